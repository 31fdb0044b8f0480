"""Hostile and random input on every public and portal form: never a 500, never an unescaped value.

Each form is fed by hypothesis with random text mixed with known-hostile values
(markup, SQL fragments, control characters, huge strings, impossible dates).
The fields of a form are read from the page that shows it, so a field added later is fuzzed too;
a file field gets random bytes under a hostile file name.
"""

from html.parser import HTMLParser

import pytest
from django.core.cache import cache, caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from housing.models import Application
from tests.security.personas import make_personas
from tests.security.world import build_world

SCRIPT = "<script>alert('xss')</script>"
HOSTILE = [
    SCRIPT,
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1' --",
    "'); DROP TABLE accounts_user; --",
    "\x00",
    "\u202e\u0000\ufeff",
    "😀" * 40,
    "a" * 20000,
    "31/02/2026",
    "2026-13-45",
    "0000-00-00",
    "9999-12-31",
    "-1",
    "99999999999999999999",
    "1e309",
    "NaN",
    "../../etc/passwd",
    "%s%n%x",
    "{{ settings.SECRET_KEY }}",
    "javascript:alert(1)",
    "data:image/png;base64,AAAA",
    "",
    " ",
]
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200))
file_names = st.sampled_from(["a.pdf", "../../x.pdf", "photo.jpg.exe", SCRIPT + ".png", "é" * 300 + ".pdf", ".pdf"])
files = st.builds(
    lambda name, content: SimpleUploadedFile(name, content, content_type="application/pdf"),
    file_names,
    st.one_of(st.binary(max_size=2000), st.sampled_from([b"%PDF-1.4\n<script>", b"\x89PNG\r\n\x1a\n" + b"\0" * 50])),
)
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))


def none(world):
    return {}


def TOKEN(world):
    return {"token": world.registration.token}


def OPEN(world):
    """alice's housing application, reopened: documents are only taken while it waits for a committee."""
    Application.objects.filter(pk=world.application.pk).update(status=Application.Status.SUBMITTED)
    world.open_application = world.application
    return {"pk": world.application.pk}


# (URL name, URL arguments, persona, where the fields come from). persona None is an anonymous visitor.
# The fields are read from the URL's own page, or from the page named (name, arguments) that shows the form,
# or given as a list of names (a form with hidden fields only).
FORMS = [
    # The site, accounts, personal data
    ("accounts:signup", none, None, None),
    ("accounts:login", none, None, None),
    ("accounts:password-reset", none, None, None),
    ("privacy:accessibility-report", none, None, None),
    ("accounts:profile", none, "alice", None),
    ("accounts:project", none, "alice", None),
    ("accounts:household", none, "alice", None),
    ("accounts:password-change", none, "alice", None),
    ("privacy:my-data", none, "alice", None),
    # Forum (public, with or without the private link)
    ("forum:index", none, None, None),
    ("forum:resend-link", none, None, None),
    ("forum:change-workshops", lambda w: {"token": w.registration.token}, None, ("forum:manage", TOKEN)),
    # Journey, impact
    ("journey:enquire", none, None, None),
    ("journey:upload", none, "alice", ("journey:mine", none)),
    ("journey:my-business", none, "alice", None),
    ("impact:declare-spending", none, "alice", None),
    # Coworking
    ("coworking:book", none, "alice", None),
    ("coworking:book-recurring", none, "alice", None),
    ("coworking:booking-change", lambda w: {"pk": w.booking.pk}, "alice", None),
    ("coworking:series-cancel", lambda w: {"pk": w.series.pk}, "alice", ("coworking:my-bookings", none)),
    ("coworking:waitlist-join", none, "alice", ["space", "start", "end"]),
    # Training
    ("training:enrol", lambda w: {"pk": w.session.pk}, "alice", None),
    ("training:complaint", none, "alice", None),
    ("training:sign", lambda w: {"slot_pk": w.slot.pk}, "alice", None),
    ("training:survey", lambda w: {"token": w.survey.token}, None, None),
    # Housing
    ("housing:apply", none, "alice", None),
    ("housing:upload-document", lambda w: {"pk": w.open_application.pk}, "alice", ("housing:application", OPEN)),
]
FIXED = ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS", "csrfmiddlewaretoken")


class FormFields(HTMLParser):
    """The named fields of the forms that post to `action` (or to the page itself)."""

    def __init__(self, action, page):
        super().__init__()
        self.targets = {action, ""} if action == page else {action}
        self.inside = False
        self.select = None
        self.fields = {}  # name -> (type, value shown on the page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = (attrs.get("action") or "") in self.targets
        elif self.inside and tag == "option" and self.select and attrs.get("value"):
            kind, value = self.fields[self.select]
            if not value or "selected" in attrs:
                self.fields[self.select] = (kind, attrs["value"])
        elif self.inside and tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            self.select = attrs["name"] if tag == "select" else None
            kind = attrs.get("type", tag) if tag == "input" else tag
            if kind not in ("submit", "button") or tag == "button" and attrs.get("value"):
                self.fields.setdefault(attrs["name"], (kind, attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def form_fields(client, url, page_url):
    parser = FormFields(url, page_url)
    parser.feed(client.get(page_url).content.decode())
    return parser.fields


def check(response):
    assert response.status_code < 500
    body = response.content.decode(errors="replace")
    assert SCRIPT not in body, "a value came back unescaped"
    assert "<img src=x onerror" not in body, "a value came back unescaped"


@pytest.fixture
def world(db):
    return build_world(make_personas())


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs", "persona", "page"), FORMS, ids=[f[0] for f in FORMS])
def test_hostile_input_never_breaks_a_form(client, world, name, kwargs, persona, page):
    if persona:
        client.force_login(world.users[persona])
    if isinstance(page, tuple):
        page[1](world)
    url = reverse(name, kwargs=kwargs(world))
    if isinstance(page, list):
        fields = dict.fromkeys(page, ("text", ""))
    else:
        page_url = reverse(page[0], kwargs=page[1](world)) if page else url
        fields = form_fields(client, url, page_url)
    fixed = {field: value for field, (kind, value) in fields.items() if field.endswith(FIXED)}
    # Each field gets hostile input, or the value the page shows (a choice, a date), so that
    # many submissions are valid and store the hostile text of the other fields.
    fuzzed = {
        field: files if kind == "file" else st.one_of(st.just(value), values) if value else values
        for field, (kind, value) in fields.items()
        if field not in fixed
    }
    assert fuzzed, f"no form found for {name}"

    tried = []

    @FUZZ
    @given(data=st.fixed_dictionaries(fuzzed))
    def post(data):
        cache.clear()  # rate limits and lockouts would answer before the form is read
        caches["ratelimit"].clear()
        tried.append(data)
        for upload in data.values():
            if hasattr(upload, "seek"):
                upload.seek(0)
        response = client.post(url, {**fixed, **data})
        check(response)
        if response.status_code == 302 and response.url.startswith("/"):
            check(client.get(response.url))

    post()
    # Hypothesis stops early when it cannot draw new inputs (a form reduced to fixed values, or nothing):
    # every form must really have been posted its share of hostile inputs.
    assert len(tried) == FUZZ.max_examples, f"{name}: {len(tried)} inputs posted"
    assert any(value in HOSTILE for data in tried for value in data.values() if isinstance(value, str))


@pytest.mark.django_db
def test_an_id_beyond_64_bits_in_a_choice_is_refused_not_a_500(client, world):
    """Found by the fuzzer: SQLite cannot compare such an id in the workshops' IN (...) query."""
    url = reverse("forum:change-workshops", kwargs={"token": world.registration.token})
    response = client.post(url, {"workshops": ["99999999999999999999"], "waitlist_if_full": "on"})
    assert response.status_code == 400
    assert world.registration.seats.filter(workshop=world.workshop).exists()

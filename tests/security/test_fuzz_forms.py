"""Hostile and random input on every public and portal form: never a 500, never an unescaped value.

Each form is fed by hypothesis with random text mixed with known-hostile values
(markup, SQL fragments, control characters, huge strings, impossible dates).
"""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import make_user

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
    "-1",
    "1e309",
    "NaN",
    "../../etc/passwd",
    "%s%n%x",
    "{{ settings.SECRET_KEY }}",
    "",
    " ",
]
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=200))
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# (url, persona, field names): persona None is an anonymous visitor.
FORMS = [
    ("/accounts/signup/", None, ["first_name", "last_name", "email", "preferred_language", "password1", "password2"]),
    ("/accounts/login/", None, ["username", "password"]),
    ("/accounts/password/reset/", None, ["email"]),
    ("/privacy/accessibility-report/", None, ["name", "email", "page_url", "description", "assistive_technology"]),
    ("/accounts/profile/", "alice", ["first_name", "last_name", "phone", "preferred_language"]),
    ("/accounts/project/", "alice", ["kind", "sector", "description", "target_commune", "desired_arrival"]),
    ("/privacy/my-data/", "alice", ["kind", "message"]),
    (
        "/accounts/household/",
        "alice",
        ["origin", "notes", "members-0-first_name", "members-0-role", "members-0-birth_year", "members-0-schooling"],
    ),
]
FORMSET_MANAGEMENT = {
    "members-TOTAL_FORMS": "1",
    "members-INITIAL_FORMS": "0",
    "members-MIN_NUM_FORMS": "0",
    "members-MAX_NUM_FORMS": "20",
}
INPUTS_TRIED = {"count": 0}


def check(response):
    assert response.status_code < 500
    body = response.content.decode(errors="replace")
    assert SCRIPT not in body, "a value came back unescaped"
    assert "onerror=alert(1)>" not in body


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "persona", "fields"), FORMS, ids=[f[0] for f in FORMS])
def test_hostile_input_never_breaks_a_form(client, url, persona, fields):
    if persona:
        client.force_login(make_user(f"{persona}@example.org"))

    @FUZZ
    @given(data=st.fixed_dictionaries(dict.fromkeys(fields, values)))
    def post(data):
        INPUTS_TRIED["count"] += 1
        response = client.post(url, {**FORMSET_MANAGEMENT, **data})
        check(response)
        if response.status_code == 302 and persona:
            check(client.get(response.url))

    post()


def test_report_inputs_tried():
    print(f"fuzz: {INPUTS_TRIED['count']} hostile inputs posted to {len(FORMS)} forms")

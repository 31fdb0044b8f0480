"""Everything the site holds about one person, for the right of access and portability (GDPR art. 15, 20).

Each relation below is listed on purpose: what is about the person (their account, project,
household, bookings, applications with their scores and decisions, enrolments with attendance and
certificates, registrations, documents, consents), never what they handled for others. A referent's
follow-up notes, a trainer's attendance sheets, a committee member's votes or a forum organiser's
check-ins are about the people served and stay out of the staff member's export, whatever their
rights are today. A model that is not listed is not exported: adding one is a decision.
"""

import datetime
import decimal
import uuid
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import dates

# Secrets (a link's token, a device key) are never exported, nor the pointers of generic relations.
SECRET_FIELDS = {"password", "token", "secret", "key", "idempotency_key", "calendar_token", "code"}
GENERIC_FIELDS = {"subject_type", "subject_id", "target_type", "target_id"}
TOTP_TECHNICAL_FIELDS = (
    "throttling_failure_timestamp",
    "throttling_failure_count",
    "step",
    "t0",
    "digits",
    "tolerance",
    "drift",
    "last_t",
)


def _own_forum_registrations(user):
    return Q(user=user) | Q(user__isnull=True, email__iexact=user.email)


def _own_forum_attendees(user):
    """The person's own ticket in each of their registrations: the booker, or the attendee with their address."""
    registrations = apps.get_model("forum.Registration").objects.filter(_own_forum_registrations(user))
    return Q(registration__in=registrations) & (Q(is_booker=True) | Q(email__iexact=user.email))


def _decisions_about(user):
    application, project = apps.get_model("housing.Application"), apps.get_model("accounts.InstallationProject")
    return Q(
        subject_type=ContentType.objects.get_for_model(application),
        subject_id__in=application.objects.filter(applicant=user).values("pk"),
    ) | Q(
        subject_type=ContentType.objects.get_for_model(project),
        subject_id__in=project.objects.filter(newcomer=user).values("pk"),
    )


@dataclass(frozen=True)
class Relation:
    """Rows of `model` about the person: `path` (a lookup from the model to the user) or `about(user)` (a Q)."""

    model: str
    path: str = ""
    about: object = None
    # The row's own fields to leave out, beyond the secrets.
    omit: tuple = ()

    def rows(self, user):
        model = apps.get_model(self.model)
        condition = self.about(user) if self.about else Q(**{self.path: user})
        return model._default_manager.filter(condition).order_by("pk")


RELATIONS = [
    # Account and installation
    Relation("otp_totp.TOTPDevice", "user", omit=TOTP_TECHNICAL_FIELDS),
    Relation("accounts.Household", "owner"),
    Relation("accounts.HouseholdMember", "household__owner"),
    Relation("accounts.InstallationProject", "newcomer"),
    Relation("journey.Enquiry", "project__newcomer"),
    Relation("journey.StageChange", "project__newcomer"),
    Relation("journey.Step", "project__newcomer"),
    Relation("journey.Document", "project__newcomer"),
    Relation("journey.Offer", "project__newcomer"),
    Relation("journey.Arrival", "project__newcomer"),
    Relation("journey.Business", "project__newcomer"),
    Relation("journey.CheckIn", "project__newcomer"),
    Relation("journey.Closure", "project__newcomer"),
    Relation("impact.LocalSpending", "project__newcomer"),
    # Coworking
    Relation("coworking.Exemption", "member"),
    Relation("coworking.Pass", "holder"),
    Relation("coworking.CalendarFeed", "member"),
    Relation("coworking.RecurringBooking", "member"),
    Relation("coworking.Booking", "member"),
    # Training: as a trainee, and the person's own trainer profile (never the trainees' sheets)
    Relation("training.TrainerProfile", "user"),
    Relation("training.Enrolment", "trainee"),
    Relation("training.TrainingContract", "enrolment__trainee"),
    Relation("training.Attendance", "enrolment__trainee"),
    Relation("training.AttendanceChange", "enrolment__trainee"),
    Relation("training.DistanceActivity", "enrolment__trainee"),
    Relation("training.Certificate", "enrolment__trainee"),
    Relation("training.SurveyResponse", "enrolment__trainee"),
    Relation("training.Complaint", "complainant"),
    # Housing: applications with their documents, checks, scores, ranks, decisions and letters
    Relation("housing.Application", "applicant"),
    Relation("housing.SupportingDocument", "application__applicant"),
    Relation("housing.CriterionCheck", "application__applicant"),
    Relation("housing.Score", "application__applicant"),
    Relation("housing.ScoreLine", "score__application__applicant"),
    Relation("housing.ProposalCandidate", "application__applicant"),
    Relation("committees.Decision", about=_decisions_about, omit=("participants",)),
    Relation("housing.NotificationLetter", "application__applicant"),
    Relation("housing.ExplanationRequest", "application__applicant"),
    Relation("housing.OccupancyAgreement", about=lambda user: Q(occupant=user) | Q(application__applicant=user)),
    # Forum: the person's own registrations and ticket; companions' details are theirs (art. 15(4))
    Relation("forum.Registration", about=_own_forum_registrations),
    Relation("forum.Attendee", about=_own_forum_attendees),
    Relation(
        "forum.Seat",
        about=lambda user: Q(attendee__in=apps.get_model("forum.Attendee").objects.filter(_own_forum_attendees(user))),
    ),
    # Everywhere: waiting lists, committee seats held, personal data requests
    Relation("waitlist.WaitingListEntry", "user", omit=("payload",)),
    Relation("committees.Membership", "user"),
    Relation("privacy.DataRequest", "user"),
]


def _fields(obj, omit=()):
    for field in obj._meta.concrete_fields:
        name = field.name
        if name in SECRET_FIELDS or name.endswith("_token") or name in GENERIC_FIELDS or name in omit:
            continue
        if field.primary_key or (field.is_relation and field.related_model is ContentType):
            continue
        yield field


def _value(obj, field):
    """The field's value as Python: related rows and choices as their labels."""
    if field.is_relation:
        related = getattr(obj, field.name)
        return str(related) if related is not None else None
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")() if getattr(obj, field.attname) not in (None, "") else ""
    value = getattr(obj, field.attname)
    if isinstance(value, FieldFile):
        return value.name.rsplit("/", 1)[-1] if value.name else None
    return value


def _row(obj, omit=()):
    return {str(field.verbose_name): _value(obj, field) for field in _fields(obj, omit)}


def collect(user):
    """{section title: [rows]}, the account first; each row {field label: Python value}."""
    sections = {str(user._meta.verbose_name): [_row(user, omit=("data_version",))]}
    for relation in RELATIONS:
        rows = [_row(obj, relation.omit) for obj in relation.rows(user)]
        if rows:
            model = apps.get_model(relation.model)
            sections.setdefault(str(model._meta.verbose_name_plural), []).extend(rows)
    return sections


def _json(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def as_json(sections):
    """The sections with values JSON can hold: ISO 8601 dates in local time, decimals as strings."""
    return {title: [{k: _json(v) for k, v in row.items()} for row in rows] for title, rows in sections.items()}


def _readable(value):
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return dates.format_date(local, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return dates.format_date(value, "DATE_FORMAT")
    if isinstance(value, datetime.time):
        return formats.time_format(value, "TIME_FORMAT")
    if isinstance(value, decimal.Decimal | float):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, list) and all(not isinstance(item, dict | list) for item in value):
        return ", ".join(_readable(item) for item in value)
    if isinstance(value, dict | list):
        return _("(a frozen document: its full content is in the JSON download)")
    return str(value)


def as_readable(sections):
    """The sections as text for a person to read: local dates in the site's format, Yes/No, local numbers."""
    return {title: [{k: _readable(v) for k, v in row.items()} for row in rows] for title, rows in sections.items()}

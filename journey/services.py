"""Journey operations that span several rows: moving stages, closing, scheduling the follow-up.

Each one runs in a transaction on the locked project row and raises
ValidationError with a message for the user (writing nothing) when a rule is broken.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import InstallationProject
from core.emails import send_templated_email
from journey import checklists
from journey.models import FOLLOW_UP_MONTHS, CheckIn, Closure, StageChange

Stage = InstallationProject.Stage
FOLLOW_UP_STAGES = (Stage.INSTALLED, Stage.FOLLOWED_UP)


def _lock(project):
    return InstallationProject.objects.select_for_update().select_related("newcomer").get(pk=project.pk)


def advance(project, to_stage, by, note=""):
    """Move the project to `to_stage`.

    Forward, every stage passed through must have its checklist complete (a
    stage may be skipped only when nothing of it applies or it is all done);
    backward needs a note saying why. Closing goes through `close`.
    """
    to_stage = Stage(to_stage)
    if to_stage == Stage.CLOSED:
        raise ValidationError(_("To close a journey, choose how it ended."), code="use_close")
    with transaction.atomic():
        locked = _lock(project)
        current = Stage(locked.stage)
        if current == Stage.CLOSED:
            raise ValidationError(_("This journey is closed: reopen it in the back office first."), code="closed")
        if to_stage == current:
            raise ValidationError(_("The project is already at this stage."), code="same_stage")
        forward = checklists.STAGES.index(to_stage) > checklists.STAGES.index(current)
        if forward:
            _require_checklists(locked, current, to_stage)
        elif not note.strip():
            raise ValidationError(_("Say why the project goes back to an earlier stage."), code="note_required")
        _move(locked, current, to_stage, by, note)
        if to_stage in FOLLOW_UP_STAGES:
            schedule_checkins(locked)
    _notify_stage(locked)
    project.refresh_from_db()
    return project


def _require_checklists(project, current, to_stage):
    gaps = checklists.missing_between(current, to_stage, checklists.Facts(project))
    if gaps:
        parts = [
            "%s: %s" % (Stage(stage).label, "; ".join(str(req.label) for req in reqs))  # noqa: UP031
            for stage, reqs in gaps
        ]
        raise ValidationError(
            _("The project cannot move yet. Still to do — %(missing)s.") % {"missing": " — ".join(parts)},
            code="checklist_incomplete",
        )


def _move(project, current, to_stage, by, note):
    project.stage = to_stage
    project.stage_changed_at = timezone.now()
    project.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    StageChange.objects.create(project=project, from_stage=current, to_stage=to_stage, changed_by=by, note=note)


def _notify_stage(project):
    newcomer = project.newcomer
    send_templated_email(
        newcomer.email,
        "journey_stage",
        {"project": project, "stage": project.get_stage_display(), "name": newcomer.first_name},
        language=newcomer.preferred_language,
    )


def close(project, outcome, by, reason="", closed_on=None):
    """End the journey. "Settled" needs the follow-up complete; any other outcome needs a reason."""
    outcome = Closure.Outcome(outcome)
    with transaction.atomic():
        locked = _lock(project)
        current = Stage(locked.stage)
        if current == Stage.CLOSED:
            raise ValidationError(_("This journey is already closed."), code="closed")
        if outcome == Closure.Outcome.SETTLED:
            if current != Stage.FOLLOWED_UP:
                raise ValidationError(
                    _("A journey ends as “settled” after the follow-up stage."), code="settled_too_early"
                )
            _require_checklists(locked, current, Stage.CLOSED)
        elif not reason.strip():
            raise ValidationError(_("Say why the journey ends."), code="reason_required")
        Closure.objects.create(
            project=locked, outcome=outcome, reason=reason, closed_on=closed_on or timezone.localdate()
        )
        _move(locked, current, Stage.CLOSED, by, reason)
    project.refresh_from_db()
    return project


def add_months(date, months):
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def follow_up_start(project):
    """The later of the household's arrival and the business's creation: the follow-up counts from it."""
    dates = []
    arrival = getattr(project, "arrival", None)
    if arrival:
        dates.append(arrival.arrival_date)
    business = getattr(project, "business", None)
    if business and business.creation_date:
        dates.append(business.creation_date)
    return max(dates) if dates else None


def schedule_checkins(project):
    """Create the M+1 ... M+36 check-ins, or move the ones not yet done when the start date changed."""
    start = follow_up_start(project)
    if start is None:
        return []
    existing = {checkin.months: checkin for checkin in CheckIn.objects.filter(project=project)}
    for months in FOLLOW_UP_MONTHS:
        due_on = add_months(start, months)
        checkin = existing.get(months)
        if checkin is None:
            existing[months] = CheckIn.objects.create(project=project, months=months, due_on=due_on)
        elif checkin.done_on is None and checkin.due_on != due_on:
            checkin.due_on = due_on
            checkin.save(update_fields=["due_on"])
    return [existing[months] for months in FOLLOW_UP_MONTHS]


def reschedule_if_following(project):
    if project.stage in FOLLOW_UP_STAGES:
        schedule_checkins(project)


def record_checkin(checkin, by):
    """Save a check-in filled by a form and carry its findings to the business."""
    with transaction.atomic():
        checkin.recorded_by = by
        checkin.save()
        business = getattr(checkin.project, "business", None)
        if business is not None:
            changed = []
            if checkin.jobs is not None and business.jobs != checkin.jobs:
                business.jobs = checkin.jobs
                changed.append("jobs")
            if checkin.business_active is False and business.ceased_on is None and business.creation_date:
                business.ceased_on = checkin.done_on
                changed.append("ceased_on")
            if changed:
                business.save(update_fields=changed)
    return checkin


def convert_enquiry(enquiry, referent, by):
    """Turn an enquiry into an account (invited by email when new) and an installation project."""
    from accounts.models import Household, User
    from accounts.tokens import one_time_path
    from journey.models import Enquiry

    with transaction.atomic():
        enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
        if enquiry.status == Enquiry.Status.CONVERTED:
            raise ValidationError(_("This enquiry is already converted into a project."), code="converted")
        user = User.objects.filter(email__iexact=enquiry.email).first()
        invited = user is None
        if invited:
            user = User.objects.create_user(
                email=enquiry.email, first_name=enquiry.first_name, last_name=enquiry.last_name, phone=enquiry.phone
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
        project, _created = InstallationProject.objects.get_or_create(
            newcomer=user, defaults={"referent": referent or by, "description": enquiry.notes}
        )
        Household.objects.get_or_create(owner=user, defaults={"origin": enquiry.origin})
        enquiry.project = project
        enquiry.status = Enquiry.Status.CONVERTED
        enquiry.save(update_fields=["project", "status"])
        if invited:
            link = one_time_path("accounts:password-reset-confirm", user)
            send_templated_email(
                user.email,
                "journey_invitation",
                {"name": user.first_name, "link": link, "referent": project.referent},
                language=user.preferred_language,
            )
    return project

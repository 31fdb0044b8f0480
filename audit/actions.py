"""What each recorded action means, in words, and which record it acts on.

An event's `action` is a stable key: the URL name of the staff screen that changed
something (recorded by the middleware), or the phrase a view passes to
`audit.record()`. The audit page shows the label below instead of the key; the
middleware uses `model` and `kwarg` to point the event at the record the URL names.
A test fails when a screen that takes a POST, or a `record()` call, has no entry here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Action:
    label: str
    model: str = ""  # "app_label.ModelName" of the record the URL's `kwarg` names
    kwarg: str = "pk"  # "" when the record is the signed-in person themselves


ACTIONS = {
    # Accounts and the site
    "accounts:confirm-email": Action(_("Email address confirmed")),
    "accounts:delete": Action(_("Account closed")),
    "accounts:household": Action(_("Household changed")),
    "accounts:login-verify": Action(_("Signed in with a second factor")),
    "accounts:profile": Action(_("Profile changed"), "accounts.User", kwarg=""),
    "accounts:project": Action(_("Installation project changed")),
    "accounts:signup": Action(_("Account created")),
    "accounts:two-factor": Action(_("Two-factor authentication set up")),
    "profile changed": Action(_("Profile changed")),
    "household changed": Action(_("Household changed")),
    "installation project changed": Action(_("Installation project changed")),
    "two-factor authentication enabled": Action(_("Two-factor authentication enabled")),
    "two-factor authentication disabled": Action(_("Two-factor authentication disabled")),
    "account deleted at the person's request": Action(_("Account closed at the person's request")),
    "person-contact": Action(_("Contact with the person logged"), "accounts.User"),
    "privacy:accessibility-report": Action(_("Accessibility problem reported")),
    "privacy:my-data": Action(_("Personal data request made")),
    # Coworking
    "coworking:book": Action(_("Coworking booking made")),
    "coworking:book-recurring": Action(_("Recurring coworking booking made")),
    "coworking:booking-cancel": Action(_("Coworking booking cancelled"), "coworking.Booking"),
    "coworking:booking-change": Action(_("Coworking booking changed"), "coworking.Booking"),
    "coworking:check-in": Action(_("Arrival at the coworking space recorded")),
    "coworking:feed-reset": Action(_("Calendar feed address renewed")),
    "coworking:series-cancel": Action(_("Recurring booking cancelled"), "coworking.RecurringBooking"),
    "coworking:staff-book": Action(_("Walk-in booking made by staff")),
    "coworking:staff-cancel": Action(_("Booking cancelled by staff"), "coworking.Booking"),
    "coworking:staff-check-in": Action(_("Arrival recorded by staff"), "coworking.Booking"),
    "coworking:waitlist-join": Action(_("Waiting list joined")),
    # Forum
    "forum:cancel": Action(_("Forum registration cancelled")),
    "forum:change-workshops": Action(_("Forum workshops changed")),
    "forum:checkin-attendee": Action(_("Forum attendee checked in"), "forum.Attendee"),
    "forum:checkin-scan": Action(_("Forum ticket scanned")),
    "forum:index": Action(_("Registered for the forum")),
    "forum:limits": Action(_("Forum registration limits changed")),
    "forum block lifted": Action(_("Forum registration block lifted")),
    "forum:mailing": Action(_("Forum mailing sent")),
    "forum:pass-on-newcomers": Action(_("Forum contacts passed on to the welcome team")),
    "forum:resend-link": Action(_("Forum registration link sent again")),
    "forum:walk-in": Action(_("Walk-in forum registration")),
    # Housing
    "housing:apply": Action(_("Housing application filed")),
    "housing:explanation-answer": Action(_("Explanation of the score answered"), "housing.ExplanationRequest"),
    "housing:meeting-attendance": Action(_("Committee attendance recorded"), "committees.Meeting"),
    "housing:meeting-close": Action(_("Committee meeting closed and applicants notified"), "committees.Meeting"),
    "housing:meeting-conflict": Action(_("Conflict of interest recorded"), "committees.Meeting"),
    "housing:meeting-create": Action(_("Committee meeting scheduled")),
    "housing:meeting-open": Action(_("Committee meeting opened"), "committees.Meeting"),
    "housing:meeting-proposal": Action(_("Proposal put on the meeting's agenda"), "committees.Meeting"),
    "housing:meeting-reschedule": Action(_("Committee meeting rescheduled"), "committees.Meeting"),
    "housing:occupancy-create": Action(_("Occupancy agreement created"), "housing.Application", kwarg="application_pk"),
    "housing:occupancy-renew": Action(_("Occupancy agreement renewed"), "housing.OccupancyAgreement"),
    "housing:proposal": Action(_("Committee decisions recorded"), "housing.Proposal"),
    "housing:request-explanation": Action(_("Explanation of the score requested"), "housing.Application"),
    "housing:run-scoring": Action(_("Applications scored")),
    "housing:upload-document": Action(_("Supporting document uploaded"), "housing.Application"),
    "housing:withdraw": Action(_("Housing application withdrawn"), "housing.Application"),
    # Impact
    "impact:declare-spending": Action(_("Spending declared")),
    # Journey and follow-up
    "journey:advance": Action(_("Project moved to its next stage"), "accounts.InstallationProject"),
    "journey:agenda": Action(_("Project put on a selection committee's agenda"), "accounts.InstallationProject"),
    "journey:checkin": Action(_("Follow-up check-in recorded"), "journey.CheckIn"),
    "journey:close": Action(_("Project closed"), "accounts.InstallationProject"),
    "journey:document-review": Action(_("Document reviewed"), "journey.Document"),
    "journey:enquire": Action(_("Enquiry sent")),
    "journey:enquiry-convert": Action(_("Enquiry turned into a project"), "journey.Enquiry"),
    "journey:enquiry-drop": Action(_("Enquiry closed without follow-up"), "journey.Enquiry"),
    "journey:fact": Action(_("Project detail recorded"), "accounts.InstallationProject"),
    "journey:my-business": Action(_("Business details changed")),
    "journey:person-referent": Action(_("Referent assigned"), "accounts.User"),
    "journey:step": Action(_("Project step updated"), "accounts.InstallationProject"),
    "journey:upload": Action(_("Document uploaded")),
    # Training
    "training:add-slots": Action(_("Half-days added to a session"), "training.Session"),
    "training:cancel": Action(_("Training enrolment cancelled"), "training.Enrolment"),
    "training:cancel-session": Action(_("Training session cancelled"), "training.Session"),
    "training:complaint": Action(_("Complaint filed")),
    "training:complaint-action": Action(_("Complaint handled"), "training.Complaint"),
    "training:complete-session": Action(_("Training session completed"), "training.Session"),
    "training:correct": Action(_("Attendance corrected"), "training.Slot"),
    "training:decide": Action(_("Enrolment decided"), "training.Enrolment"),
    "training:enrol": Action(_("Enrolled in a training session"), "training.Session"),
    "training:mark-absent": Action(_("Trainee marked absent"), "training.Slot"),
    "training:record-outcome": Action(_("Training outcome recorded"), "training.Enrolment"),
    "training:resend-certificates": Action(_("Certificates sent again"), "training.Enrolment"),
    "training:send-agreement": Action(_("Training agreement sent"), "training.Enrolment"),
    "training:sign": Action(_("Attendance signed"), "training.Slot", kwarg="slot_pk"),
    "training:sign-contract": Action(_("Training contract signed"), "training.Enrolment"),
    "training:staff-cancel-enrolment": Action(_("Enrolment cancelled by staff"), "training.Enrolment"),
    "training:survey": Action(_("Satisfaction survey answered")),
    "training:tablet-sign": Action(_("Attendance signed on the tablet"), "training.Slot"),
    "training:trainer-sign": Action(_("Half-day signed by the trainer"), "training.Slot"),
    # Waiting lists
    "waitlist:accept": Action(_("Place from the waiting list accepted")),
    "waitlist:withdraw": Action(_("Left the waiting list")),
}


def label(action):
    """The action in words; an unknown key is shown as recorded."""
    entry = ACTIONS.get(action)
    return entry.label if entry else action

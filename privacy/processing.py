"""The register of processing activities (GDPR art. 30), kept with the code that does the processing."""

from django.utils.translation import gettext_lazy as _

CONTROLLER = _("The community of communes (the telecentre's operator)")

ACTIVITIES = [
    {
        "name": _("Newcomer accounts and installation projects"),
        "purpose": _("Welcome newcomers, follow their installation project and household, assign a referent."),
        "legal_basis": _("Public task (art. 6(1)(e)) — the community's economic development and welcome policy."),
        "people": _("Newcomers and the members of their household."),
        "data": _("Identity, contact details, household composition, children's schooling, project, stage."),
        "recipients": _("Newcomer referents, the director; anonymous figures to funders."),
        "retention": _("Until the account is deleted; projects closed for 3 years are anonymised."),
    },
    {
        "name": _("Coworking bookings and passes"),
        "purpose": _("Book desks and rooms, check in, invoice through the public treasury."),
        "legal_basis": _("Contract (art. 6(1)(b)); accounting obligations (art. 6(1)(c))."),
        "people": _("Coworking members and visitors."),
        "data": _("Identity, bookings, check-ins, passes, amounts to invoice."),
        "recipients": _("Coworking managers, the public treasury (régie)."),
        "retention": _("Bookings 3 years; invoicing lines 10 years (accounting)."),
    },
    {
        "name": _("Trainings"),
        "purpose": _("Enrol trainees, keep attendance sheets and certificates, satisfaction surveys."),
        "legal_basis": _("Contract; legal obligation of training bodies (Code du travail, Qualiopi)."),
        "people": _("Trainees, trainers."),
        "data": _("Identity, enrolment, funding line, signatures per half-day, survey answers."),
        "recipients": _("Training managers, funders of the training (OPCO, France Travail, Region)."),
        "retention": _("Attendance sheets and certificates 6 years after the training (funders' audits)."),
    },
    {
        "name": _("Bridge housing and entrepreneur residences"),
        "purpose": _("Review applications, score them on the published grid, decide in committee, manage stays."),
        "legal_basis": _("Public task (art. 6(1)(e)); algorithmic decision notice (CRPA art. L311-3-1)."),
        "people": _("Applicants and their household."),
        "data": _("Identity, household, needs, supporting documents, scores, committee decisions, stays."),
        "recipients": _("Housing officers, committee members."),
        "retention": _("Unsuccessful applications 2 years; stays 5 years after departure."),
    },
    {
        "name": _("The telework forum"),
        "purpose": _("Register visitors, check them in, send the programme and a survey, count attendance."),
        "legal_basis": _("Consent (art. 6(1)(a)), recorded at registration."),
        "people": _("Forum visitors, speakers, exhibitors."),
        "data": _("Identity, email, profile, origin, workshops chosen, check-ins, accessibility needs."),
        "recipients": _("Forum organisers."),
        "retention": _("Purged or anonymised after the configured period (one year by default)."),
    },
    {
        "name": _("Security of the site"),
        "purpose": _("Protect accounts against password guessing; keep an audit trail of staff actions."),
        "legal_basis": _("Legitimate interest and security obligation (art. 32)."),
        "people": _("Every user."),
        "data": _("Login attempts (account, date), staff actions on records."),
        "recipients": _("The director, the data protection officer."),
        "retention": _("Login attempts 1 month; audit trail 5 years."),
    },
]

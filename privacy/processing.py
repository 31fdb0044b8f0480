"""The register of processing activities (GDPR art. 30), kept with the code that does the processing.

The register page and the privacy notice (art. 13) are both built from it and from the organisation record:
the controller, the DPO and their contacts are never written here.
"""

from django.utils.translation import gettext_lazy as _


class Basis:
    """Legal bases a public body relies on (art. 6(1)); legitimate interest is closed to it for its tasks."""

    PUBLIC_TASK = "public_task"
    LEGAL_OBLIGATION = "legal_obligation"
    CONSENT = "consent"

    LABELS = {
        PUBLIC_TASK: _("Public task (art. 6(1)(e) GDPR)"),
        LEGAL_OBLIGATION: _("Legal obligation (art. 6(1)(c) GDPR)"),
        CONSENT: _("Consent (art. 6(1)(a) GDPR)"),
    }


# The rights each basis opens (art. 15 to 22).
RIGHTS = {
    Basis.PUBLIC_TASK: [
        _("access to your data (art. 15)"),
        _("rectification (art. 16)"),
        _("restriction of processing (art. 18)"),
        _("objection on grounds relating to your situation (art. 21)"),
        _(
            "erasure, except for what the body must keep to carry out its public task or a legal obligation "
            "(art. 17(3)(b))"
        ),
    ],
    Basis.LEGAL_OBLIGATION: [
        _("access to your data (art. 15)"),
        _("rectification (art. 16)"),
        _("restriction of processing (art. 18)"),
        _("no erasure while the legal retention period runs (art. 17(3)(b))"),
    ],
    Basis.CONSENT: [
        _("access to your data (art. 15)"),
        _("rectification (art. 16)"),
        _("erasure (art. 17)"),
        _("portability (art. 20)"),
        _("withdrawal of your consent at any time, without affecting what was done before (art. 7(3))"),
    ],
}

NO_PORTABILITY = _(
    "Portability (art. 20) does not apply: it covers only processings based on consent or a contract (art. 20(3))."
)

SECURITY_MEASURES = [
    _("HTTPS only (HSTS), secure and HTTP-only cookies, a strict content security policy."),
    _(
        "Passwords hashed with a salted slow algorithm; login lockout after repeated failures; two-factor login for "
        "staff."
    ),
    _(
        "Each staff role sees only what its job needs (groups and permissions); other people's records answer "
        "'not found'."
    ),
    _(
        "Private documents (supporting documents, signatures, certificates) stored apart from public files and "
        "served only after a permission check, never cached."
    ),
    _("An audit trail of staff decisions and changes to personal data; daily purge of what is past its retention."),
    _("Hosting in the European Union; encrypted backups; no transfer outside the European Union."),
]

ACTIVITIES = [
    {
        "key": "accounts",
        "name": _("Accounts and sign-in"),
        "purpose": _("Give each person a secure account for the site's online services and send its emails."),
        "bases": [(Basis.PUBLIC_TASK, _("the body's online public services"))],
        "people": _("Everyone who creates an account: newcomers, trainees, applicants, coworking members, staff."),
        "data": _("Email, name, phone, language, password (hashed), sign-up and login dates."),
        "recipients": _("The staff of the service concerned; the site's host as a processor."),
        "retention": _(
            "Until the account is closed; an account never confirmed is deleted after 30 days; closing an account "
            "keeps, anonymised, only the records other processings must keep."
        ),
    },
    {
        "key": "journey",
        "name": _("Newcomer journey and follow-up"),
        "purpose": _(
            "Welcome newcomers, follow their installation project, household, checklists and documents, the "
            "selection committee, their business and the follow-up after they settle."
        ),
        "bases": [(Basis.PUBLIC_TASK, _("the body's economic development and welcome policy (CGCT L5214-16)"))],
        "people": _("Newcomers and the members of their household; people who send an enquiry."),
        "data": _(
            "Identity, contact details, household composition, children's schooling, project, stage, documents, "
            "business (SIRET), follow-up notes, selection committee decisions."
        ),
        "recipients": _("Newcomer referents, the selection committee members, the director."),
        "retention": _("Projects closed for 3 years: the person is anonymised, anonymous figures are kept."),
    },
    {
        "key": "coworking",
        "name": _("Coworking bookings and passes"),
        "purpose": _("Book desks and rooms, check in, grant passes and exemptions, invoice through the treasury."),
        "bases": [
            (Basis.PUBLIC_TASK, _("the coworking public service")),
            (Basis.LEGAL_OBLIGATION, _("public accounting (invoicing lines)")),
        ],
        "people": _("Coworking members and visitors."),
        "data": _("Identity, bookings, check-ins, passes, amounts to invoice."),
        "recipients": _("Coworking managers; the public accountant (régie, trésorerie)."),
        "retention": _(
            "Bookings and check-ins 3 years after the booking; invoicing lines 10 years (public accounting)."
        ),
    },
    {
        "key": "training",
        "name": _("Trainings"),
        "purpose": _(
            "Enrol trainees, sign contracts and agreements, keep attendance sheets and certificates, run quality "
            "surveys and complaints, report to funders (BPF, Qualiopi)."
        ),
        "bases": [
            (Basis.PUBLIC_TASK, _("the body's training activity")),
            (Basis.LEGAL_OBLIGATION, _("obligations of training bodies (Code du travail L6353-1 and following)")),
        ],
        "people": _("Trainees, trainers, funders' contacts."),
        "data": _(
            "Identity, employer, funding, contract, signatures per half-day with time and device, results, "
            "certificates, survey answers."
        ),
        "recipients": _(
            "Training managers and trainers; funders of the training (OPCO, France Travail, Region) for their "
            "trainees; the Qualiopi certifier during its audit."
        ),
        "retention": _(
            "Attendance sheets, contracts and certificates 6 years after the session (funders' and State audits), "
            "anonymised if the account is closed earlier."
        ),
    },
    {
        "key": "housing",
        "name": _("Bridge housing and entrepreneur residences"),
        "purpose": _("Review applications, score them on the published grid, decide in committee, manage stays."),
        "bases": [
            (Basis.PUBLIC_TASK, _("the body's housing policy; algorithmic decision notice (CRPA L311-3-1)")),
        ],
        "people": _("Applicants and their household."),
        "data": _("Identity, household, needs, supporting documents, scores, committee decisions, letters, stays."),
        "recipients": _("Housing officers, the allocation committee members; the applicant for their own file."),
        "retention": _(
            "Supporting documents deleted when the application is closed; decisions and letters 10 years "
            "(administrative acts, appeals); stays 5 years after departure. Anonymised if the account is closed."
        ),
    },
    {
        "key": "forum",
        "name": _("The telework forum"),
        "purpose": _("Register visitors, check them in, send the ticket and the programme, count attendance."),
        "bases": [(Basis.PUBLIC_TASK, _("organising the forum, part of the body's welcome policy"))],
        "optional": [
            _("being contacted afterwards by the welcome team about settling in the territory"),
            _("appearing in photos of the forum published by the body"),
        ],
        "people": _("Forum visitors and the companions they register, speakers, exhibitors."),
        "data": _("Identity, email, profile, origin, workshops chosen, check-ins, accessibility needs."),
        "recipients": _("Forum organisers; the welcome team only for visitors who agreed to be contacted."),
        "retention": _("Purged or anonymised after the period staff set for each edition (one year by default)."),
    },
    {
        "key": "impact",
        "name": _("Impact and programme finances"),
        "purpose": _("Account for the programme's public money and measure its effect for the council and funders."),
        "bases": [
            (Basis.PUBLIC_TASK, _("evaluation of the body's policy")),
            (Basis.LEGAL_OBLIGATION, _("public accounting and reports to co-funders")),
        ],
        "people": _("Installed households (counted, never named in reports), suppliers."),
        "data": _("Arrival dates, household size, businesses and jobs, declared local spending, expenses."),
        "recipients": _("The director; anonymous figures only to the council and funders."),
        "retention": _("Expenses and their invoices 10 years; figures are anonymous and kept."),
    },
    {
        "key": "requests",
        "name": _("Personal data requests and accessibility reports"),
        "purpose": _("Answer people who exercise their rights or report a page they could not use."),
        "bases": [(Basis.LEGAL_OBLIGATION, _("GDPR art. 12 to 22; law 2005-102 art. 47"))],
        "people": _("People who write to the body."),
        "data": _("Identity, email, the request or report, the answer."),
        "recipients": _("The director, the data protection officer."),
        "retention": _("Answered requests 5 years; accessibility reports 2 years."),
    },
    {
        "key": "security",
        "name": _("Security of the site and audit trail"),
        "purpose": _("Protect accounts against password guessing; keep an audit trail of staff actions."),
        "bases": [
            (Basis.LEGAL_OBLIGATION, _("security of processing (GDPR art. 32)")),
            (Basis.PUBLIC_TASK, _("accountability of the body's agents")),
        ],
        "people": _("Every user."),
        "data": _("Login attempts (account, address, date), staff actions on records."),
        "recipients": _("The director, the data protection officer."),
        "retention": _("Login attempts 1 month; finished email tasks 1 month; audit trail 5 years."),
    },
]


def activities():
    """The register with, for each processing, its bases' labels and the rights they open."""
    rows = []
    for activity in ACTIVITIES:
        kinds = [basis for basis, _detail in activity["bases"]]
        rights = []
        for basis in [*kinds, *([Basis.CONSENT] if activity.get("optional") else [])]:
            rights += [right for right in RIGHTS[basis] if right not in rights]
        rows.append(
            {
                **activity,
                "optional": activity.get("optional", []),
                "legal_bases": [(Basis.LABELS[basis], detail) for basis, detail in activity["bases"]],
                "rights": rights,
                "portability": Basis.CONSENT in kinds,
            }
        )
    return rows

"""Notification letters: the decision, its reasons, the algorithm notice, appeal routes, data protection.

The letter is rendered once as PDF (WeasyPrint), kept in the private storage,
attached to the email and downloadable from the portal.
"""

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from committees.models import Decision
from housing.models import Application, ApplicationOutcome, NotificationLetter
from organisation.models import Organisation, Signatory


def letter_context(decision):
    application = Application.objects.select_related("applicant", "project").get(pk=decision.subject_id)
    proposal = decision.item.housing_proposal
    organisation = Organisation.current()
    signatory = organisation.signatory_for(Signatory.Kind.HOUSING_ALLOCATION) if organisation.pk else None
    score = proposal.candidates.filter(application=application).select_related("score__run__grid").first()
    return {
        "decision": decision,
        "application": application,
        "applicant": application.applicant,
        "unit": proposal.unit,
        "meeting": decision.item.meeting,
        "score": score.score if score else None,
        "grid": score.score.run.grid if score else None,
        "outcome": decision.outcome,
        "decided": ApplicationOutcome.of_decision(decision),
        "Outcome": Decision.Outcome,
        "organisation": organisation,
        "signatory": signatory.terms() if signatory else None,
        "logo_uri": organisation.logo_data_uri(),
        "today": timezone.localdate(),
    }


def letter_pdf(context):
    from weasyprint import HTML

    return HTML(string=render_to_string("housing/letter.html", context)).write_pdf()


def send_decision_letter(decision):
    from core.emails import send_templated_email

    context = letter_context(decision)
    applicant = context["applicant"]
    with translation.override(applicant.preferred_language):
        pdf = letter_pdf(context)
    letter = NotificationLetter(application=context["application"], decision=decision)
    letter.file.save(f"decision-{decision.pk}.pdf", ContentFile(pdf), save=False)
    letter.save()
    send_templated_email(
        applicant.email,
        "housing_decision",
        {
            **context,
            "letter_url": reverse("housing:letter", args=[letter.pk]),
            "application_url": reverse("housing:application", args=[context["application"].pk]),
        },
        language=applicant.preferred_language,
        attachments=[(f"decision-{decision.pk}.pdf", pdf, "application/pdf")],
    )
    return letter

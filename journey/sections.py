"""What the journey adds to the newcomer portal and to the staff home page."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import InstallationProject
from journey import checklists
from journey.models import Document

# The apps this module's portal card reads: it is cached until one of them changes (telecentre/freshness.py).
PORTAL_SCOPES = ("journey", "accounts", "committees")


def portal(request):
    """The newcomer's stage, what is still missing and their referent."""
    project = (
        InstallationProject.objects.select_related("referent", "target_commune", "newcomer")
        .filter(newcomer=request.user)
        .first()
    )
    if project is None:
        return None
    facts = checklists.Facts(project)
    context = {
        "project": project,
        "missing": [] if project.stage == project.Stage.CLOSED else checklists.missing(project.stage, facts),
        "refused": project.documents.filter(status=Document.Status.REFUSED).count(),
    }
    return "journey/portal_card.html", context


def staff_links(user):
    links = []
    if user.has_perm("journey.view_board"):
        links.append((_("Installation projects: board by stage and overdue check-ins"), reverse("journey:board")))
    if user.has_perm("journey.view_enquiry"):
        links.append((_("Enquiries from the website, the forum and phone calls"), reverse("journey:enquiries")))
    return links


def staff_tasks(user, today):
    """What needs doing today in this app, for the staff home: [(label, count, url)]."""
    from journey.models import CheckIn, Enquiry

    tasks = []
    if user.has_perm("journey.view_board"):
        overdue = InstallationProject.objects.filter(checkins__in=CheckIn.objects.overdue(today)).distinct()
        tasks.append(
            (_("Projects with an overdue follow-up"), overdue.count(), reverse("journey:board") + "?overdue=on")
        )
    if user.has_perm("journey.view_enquiry"):
        count = Enquiry.objects.filter(status=Enquiry.Status.NEW).count()
        tasks.append((_("New enquiries to answer"), count, reverse("journey:enquiries")))
    return tasks


def staff_person(request, person):
    """The journey part of a person's record (telecentre/people.py): project, referent, documents, contacts."""
    from journey.forms import ContactForm, ReferentForm

    viewer = request.user
    if not viewer.has_perm("journey.view_contact") and not viewer.has_perm("accounts.view_installationproject"):
        return None
    project = InstallationProject.objects.select_related("referent", "target_commune").filter(newcomer=person).first()
    can_assign = project is not None and viewer.has_perm("accounts.change_installationproject")
    return "journey/includes/_person_card.html", {
        "project": project,
        "documents": list(project.documents.all()) if project else [],
        "referent_form": ReferentForm(instance=project) if can_assign else None,
        "contacts": list(person.contacts.select_related("recorded_by")[:30])
        if viewer.has_perm("journey.view_contact")
        else None,
        "contact_form": getattr(request, "contact_form", None) or ContactForm()
        if viewer.has_perm("journey.add_contact")
        else None,
        "can_open_project": viewer.has_perm("journey.view_board"),
    }

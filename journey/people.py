"""What staff change from a person's record (telecentre/people.py): the project's referent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import InstallationProject
from journey.forms import ReferentForm


@login_required
@permission_required("accounts.change_installationproject", raise_exception=True)
@require_POST
def assign_referent(request, pk):
    project = get_object_or_404(InstallationProject.objects.select_related("newcomer"), newcomer_id=pk)
    form = ReferentForm(request.POST, instance=project)
    if not form.is_valid():
        messages.error(request, _("Choose a referent from the list."))
        return redirect("person", pk)
    form.save()
    referent = project.referent
    if referent:
        messages.success(request, _("%(name)s now follows this project.") % {"name": referent.get_full_name()})
    else:
        messages.success(request, _("The project has no referent any more."))
    return redirect("person", pk)

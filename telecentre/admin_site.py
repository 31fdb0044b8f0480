"""The back office: Django's admin, entered only through the site's own login.

Django's admin has a login form of its own that checks the password alone; a person with an authenticator
app would skip its code there. Its login page sends to the site's, which asks for the code.
"""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AdminSite(admin.AdminSite):
    site_header = _("Télécentre administration")
    site_title = _("Télécentre")
    index_title = _("Back office")

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, "accounts:login")

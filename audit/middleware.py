"""Every state change a staff member makes on a custom staff screen lands in the audit trail.

The admin already writes Django's LogEntry; the staff screens of every app are
covered here at once: a successful POST by a staff member records who, when,
which screen (the URL name), on which record (the one its URL names, see
`audit.actions`) and which fields were sent (names only: the values may be
personal data, and the records' own histories keep them).
"""

import re

from django.apps import apps
from django.urls import resolve
from django.urls.exceptions import Resolver404

from audit.actions import ACTIONS
from audit.models import record

FIELDS_SENT = "fields sent"
# A formset's management fields and the prefix of each form's fields ("form-0-status" is "status").
MANAGEMENT_FIELD = re.compile(r"-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")
FORM_PREFIX = re.compile(r"^(?:[\w]+-)?\d+-")

NOT_AUDITED = {"set_language", "accounts:logout", "accounts:login", "accounts:login-verify"}
SECRET_FIELDS = {
    "csrfmiddlewaretoken",
    "password",
    "password1",
    "password2",
    "old_password",
    "new_password1",
    "new_password2",
    "token",
    "idempotency_key",
}


def changed_state(response):
    """A POST that went through: redirected (post/redirect/get) or answered with data, not a form page
    shown again with its errors."""
    if 300 <= response.status_code < 400:
        return True
    return response.status_code < 300 and not response.get("Content-Type", "").startswith("text/html")


class StaffActionAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            request.method == "POST"
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and changed_state(response)
            and not request.path.startswith("/admin/")
        ):
            self.record(request, user)
        return response

    def record(self, request, user):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return
        if match.view_name in NOT_AUDITED:
            return
        fields = sorted(
            {
                FORM_PREFIX.sub("", name)
                for name in request.POST
                if name not in SECRET_FIELDS and "password" not in name and not MANAGEMENT_FIELD.search(name)
            }
        )
        target, arguments = target_of(match, user), ""
        if target is None and match.kwargs:
            arguments = ", ".join(f"{key}={value}" for key, value in sorted(match.kwargs.items()))
        record(
            user,
            match.view_name,
            target,
            changes={FIELDS_SENT: [None, ", ".join(fields)]} if fields else None,
            reason=arguments,
        )


def target_of(match, user):
    """The record the URL names (None when the action names none, or the record is gone)."""
    action = ACTIONS.get(match.view_name)
    if action is None or not action.model:
        return None
    if not action.kwarg:
        return user
    if action.kwarg not in match.kwargs:
        return None
    return apps.get_model(action.model)._default_manager.filter(pk=match.kwargs[action.kwarg]).first()

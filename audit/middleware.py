"""Every state change a staff member makes on a custom staff screen lands in the audit trail.

The admin already writes Django's LogEntry; the staff screens of every app are
covered here at once: a successful POST by a staff member records who, when,
which screen (the URL name), on which record (the URL arguments) and which
fields were sent (names only: the values may be personal data, and the
records' own histories keep them).
"""

from django.urls import resolve
from django.urls.exceptions import Resolver404

from audit.models import record

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
        fields = sorted(name for name in request.POST if name not in SECRET_FIELDS and "password" not in name)
        arguments = ", ".join(f"{key}={value}" for key, value in sorted(match.kwargs.items()))
        record(
            user,
            match.view_name,
            changes={"fields sent": [None, ", ".join(fields)]} if fields else None,
            reason=arguments,
        )

"""Login lockout (django-axes): attempts are counted per account, whatever the case typed."""

from django.contrib.auth import authenticate

# The longest email address; axes stores the name in a varchar(255).
MAX_USERNAME_LENGTH = 254


def username_from_request(request, credentials):
    # Django's login-failure signal names the field "username"; axes' own check names it after
    # USERNAME_FIELD ("email"); the login form posts "username".
    credentials = credentials or {}
    username = credentials.get("username") or credentials.get("email") or request.POST.get("username", "")
    return username.strip().lower()[:MAX_USERNAME_LENGTH]


def password_matches(request, user, password):
    """Whether `password` is the signed-in person's, checked through authenticate() so that django-axes counts
    a wrong one with the login's failures and refuses every check once the account is locked (the lockout
    page then replaces the response). A form that asks for the current password uses this, never
    check_password(), or it becomes an unlimited password oracle for whoever holds the session."""
    return authenticate(request, username=user.get_username(), password=password) == user

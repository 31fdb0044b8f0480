"""Login lockout (django-axes): attempts are counted per account, whatever the case typed."""

# The longest email address; axes stores the name in a varchar(255).
MAX_USERNAME_LENGTH = 254


def username_from_request(request, credentials):
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()[:MAX_USERNAME_LENGTH]

"""Login lockout (django-axes): attempts are counted per account, whatever the case typed."""


def username_from_request(request, credentials):
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()

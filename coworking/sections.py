"""What this app adds to the newcomer portal and to the staff home page."""


def portal(request):
    """The portal section for request.user: (template, context) or None."""
    return None


def staff_links(user):
    """Staff screens of this app that the user's permissions open: [(label, url)]."""
    return []

"""What the impact app adds to the newcomer portal and to the staff home page."""


def portal(request):
    return None


def staff_links(user):
    return []

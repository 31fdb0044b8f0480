"""One email address however it is written: the form the duplicate and rate-limit checks compare.

The address a person typed is kept for sending; only the checks use the canonical form.
"""

# Providers that deliver "j.doe", "jdoe" and "J.Doe" to the same mailbox, and their aliases.
DOTS_IGNORED = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def canonical_email(address):
    """`address` in lower case, without its "+tag", without dots where the provider ignores them.

    "Jean.Dupont+forum@GoogleMail.com" and "jeandupont@gmail.com" are the same mailbox: both give
    "jeandupont@gmail.com". A value without "@" is only lower-cased.
    """
    address = (address or "").strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local:
        return address
    local = local.split("+", 1)[0]
    if domain in DOTS_IGNORED:
        domain = DOTS_IGNORED[domain]
        local = local.replace(".", "")
    return f"{local}@{domain}"

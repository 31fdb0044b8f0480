"""Who the client is: the one place that reads a visitor's address from a request."""

import ipaddress

from django.conf import settings


def _trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request):
    """The visitor's IP address, as the trusted reverse proxies saw it.

    Directly connected, REMOTE_ADDR. From a proxy listed in settings.TRUSTED_PROXIES (addresses or
    networks), X-Forwarded-For is read from its right end: each trusted proxy appends the address it
    received the request from, so the first hop from the right that is not a trusted proxy is the
    visitor. Whatever a client wrote in the header itself stays further left and is never read.
    """
    networks = [ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES]
    address = request.META.get("REMOTE_ADDR", "")
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    while hops and _trusted(address, networks):
        address = hops.pop()
    return address

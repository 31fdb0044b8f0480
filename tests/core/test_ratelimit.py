"""client_address: the visitor's address, believed from X-Forwarded-For only when a trusted proxy sends it."""

import pytest
from django.test import RequestFactory

from core.ratelimit import client_address


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request_from("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_a_visitor_connecting_directly_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(request_from("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_the_trusted_proxy_gives_the_address_it_received_from(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(request_from("127.0.0.1", "198.51.100.1")) == "198.51.100.1"


def test_what_the_client_wrote_before_the_proxy_is_never_read(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(request_from("127.0.0.1", "1.2.3.4, 198.51.100.1")) == "198.51.100.1"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [("198.51.100.1, 10.0.0.7", "198.51.100.1"), ("10.0.0.8, 10.0.0.7", "10.0.0.8"), ("", "10.0.0.3")],
)
def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/29"]
    assert client_address(request_from("10.0.0.3", forwarded)) == expected

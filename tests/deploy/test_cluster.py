"""The multi-server recipe (deploy/cluster.py), run for real: nginx in front of two gunicorn instances that share
PostgreSQL, a Redis and an S3 server started here, with the task worker and the scheduler, mail going to an SMTP
server started here. What one instance does, the other sees: the session, the uploaded document, the cache, the
forum's limits; and the limits count the client's real address, whatever it writes in X-Forwarded-For."""

import contextlib
import email
import re
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import requests
from django.conf import global_settings
from django.db import connection
from django.urls import reverse
from requests.adapters import HTTPAdapter

from deploy.cluster import Cluster
from forum.models import Registration
from journey.models import Document
from operations.models import Heartbeat
from tests.factories import PASSWORD, make_user
from tests.forum.factories import form_data, make_edition
from tests.journey.factories import PDF_BYTES, make_newcomer_project
from tests.objectstore import new_buckets

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="production runs on PostgreSQL (make test does)"),
]


def free_ports(count):
    """`count` consecutive free ports on 127.0.0.1."""
    for _attempt in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            base = probe.getsockname()[1]
        if base + count > 65000:
            continue
        sockets = []
        try:
            for port in range(base, base + count):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no free ports")


@contextlib.contextmanager
def redis_server():
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is missing (Debian package redis-server)")
    port = free_ports(1)
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", folder],
            stdout=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
                time.sleep(0.05)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextlib.contextmanager
def smtp_server():
    """A real SMTP server (aiosmtpd) that keeps what it receives."""
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
            self.messages.append(email.message_from_bytes(envelope.content))
            return "250 OK"

    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=free_ports(1))
    controller.start()
    try:
        yield controller.port, handler.messages
    finally:
        controller.stop()


@pytest.fixture
def cluster(s3_server):
    if not shutil.which("nginx") and not shutil.which("/usr/sbin/nginx"):
        pytest.fail("nginx is missing (make test installs nginx-light as root)")
    database = connection.settings_dict
    buckets = new_buckets(s3_server)
    with redis_server() as redis_url, smtp_server() as (smtp_port, mails):
        env = {
            "PATH": "/usr/sbin:/usr/bin:/bin",
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "REDIS_URL": redis_url,
            **buckets.env,
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "false",
            "FORUM_THROTTLE_PER_IP": "2",
        }
        with Cluster(env, port=free_ports(5), instances=2) as running:
            running.mails = mails
            running.buckets = buckets
            yield running


class From(HTTPAdapter):
    """Connections from one loopback address: a client at that address, as nginx sees it."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def browser(address="127.0.0.1"):
    session = requests.Session()
    session.mount("http://", From(address))
    return session


def csrf_token(html):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, f"no form on the page: {html[:3000]}"
    return found.group(1)


def register(session, base, edition, address_email, **headers):
    page = session.get(base + reverse("forum:index"), timeout=30)
    data = form_data(edition, email=address_email, csrfmiddlewaretoken=csrf_token(page.text))
    return session.post(base + reverse("forum:index"), data=data, headers=headers, allow_redirects=False, timeout=30)


def wait_for(condition, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.5)
    return condition()


def test_two_app_servers_behind_nginx_share_sessions_files_cache_and_limits(cluster, settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the site's, which the servers check with
    alice = make_user("alice@example.org", first_name="Alice", last_name="Martin")
    make_newcomer_project(newcomer=alice)
    edition = make_edition()
    first, second = cluster.url(0), cluster.url(1)

    # The session opened through one instance is the session of the other.
    session = browser()
    login = session.get(first + reverse("accounts:login"), timeout=30)
    logged = session.post(
        first + reverse("accounts:login"),
        data={"username": alice.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(login.text)},
        allow_redirects=False,
        timeout=30,
    )
    assert logged.status_code == 302, logged.text[:500]
    portal = session.get(second + reverse("portal"), allow_redirects=False, timeout=30)
    assert portal.status_code == 200 and "Alice" in portal.text

    # A document uploaded through the first downloads through the second, and its page there shows it at once
    # (the second had just served and cached the page without it).
    mine = session.get(second + reverse("journey:mine"), timeout=30)
    assert "attestation-cluster.pdf" not in mine.text
    uploaded = session.post(
        first + reverse("journey:upload"),
        data={"kind": "cv", "csrfmiddlewaretoken": csrf_token(mine.text)},
        files={"file": ("attestation-cluster.pdf", PDF_BYTES, "application/pdf")},
        allow_redirects=False,
        timeout=30,
    )
    assert uploaded.status_code == 302, uploaded.text[:500]
    document = Document.objects.get(project__newcomer=alice)
    assert cluster.buckets.keys(cluster.buckets.private) == [document.file.name]
    downloaded = session.get(second + reverse("journey:document-file", args=[document.pk]), timeout=30)
    assert downloaded.status_code == 200 and downloaded.content == PDF_BYTES
    assert "attestation-cluster" in session.get(second + reverse("journey:mine"), timeout=30).text
    assert (
        browser()
        .get(second + reverse("journey:document-file", args=[document.pk]), timeout=30)
        .url.endswith(reverse("accounts:login") + f"?next={reverse('journey:document-file', args=[document.pk])}")
    )

    # The forum's limit (two registrations an hour per connection here) is one count across both instances,
    # for the address nginx saw: a visitor writing another address in X-Forwarded-For is still itself.
    visitor, neighbour = browser("127.0.0.2"), browser("127.0.0.3")
    assert register(visitor, first, edition, "un@example.org").status_code == 302
    assert register(visitor, second, edition, "deux@example.org").status_code == 302
    refused = register(visitor, first, edition, "trois@example.org")
    forged = register(visitor, second, edition, "quatre@example.org", **{"X-Forwarded-For": "198.51.100.7"})
    assert (refused.status_code, forged.status_code) == (429, 429)
    assert register(neighbour, cluster.url(), edition, "cinq@example.org").status_code == 302
    assert set(Registration.objects.values_list("email", flat=True)) == {
        "un@example.org",
        "deux@example.org",
        "cinq@example.org",
    }

    # The worker sent the tickets by SMTP; the scheduler and the worker beat.
    assert wait_for(lambda: {m["To"] for m in cluster.mails} >= {"un@example.org", "cinq@example.org"})
    assert wait_for(lambda: set(Heartbeat.objects.values_list("name", flat=True)) >= {"scheduler", "worker"})

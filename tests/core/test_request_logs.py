"""JSON log lines carrying the request id, and error reports to Sentry only when a DSN is set, without personal
data (issue 21, item 8). Each runs the real settings in a fresh process, as the production server does."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

SCRIPT = """
import sys, types
import django
django.setup()
from django.test import Client, override_settings
from django.urls import path
import logging

def fails(request, token):
    logging.getLogger("telecentre.views").warning("about to fail")
    raise RuntimeError("the view failed on purpose")

urls = types.ModuleType("failing_urls")
urls.urlpatterns = [path("fails/<str:token>/", fails)]
sys.modules["failing_urls"] = urls
client = Client(raise_request_exception=False)
with override_settings(ROOT_URLCONF="failing_urls"):
    for request_id in sys.argv[1:]:
        response = client.post(
            "/fails/secret-token-123/",
            {"email": "alice@example.org", "password": "correct-horse"},
            headers={"x-request-id": request_id, "referer": "https://site.example/forum/r/referer-token/"},
        )
        print("RESPONSE", response.status_code, response["X-Request-ID"], flush=True)
import sentry_sdk
print("SENTRY", sentry_sdk.get_client().is_active(), flush=True)
sentry_sdk.flush(timeout=10)
"""


def run_site(*request_ids, **environment):
    env = {key: value for key, value in os.environ.items() if key not in {"SENTRY_DSN", "DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="telecentre.settings", LOG_FORMAT="json", PYTHONWARNINGS="ignore", **environment)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *request_ids],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    responses = [line.split()[1:] for line in result.stdout.splitlines() if line.startswith("RESPONSE")]
    sentry_active = [line for line in result.stdout.splitlines() if line.startswith("SENTRY")][0].endswith("True")
    return responses, result.stderr.splitlines(), sentry_active


def test_every_log_line_of_a_request_is_json_with_its_request_id():
    responses, lines, _sentry = run_site("given-by-the-proxy-1", "bad id\nforged")

    records = [json.loads(line) for line in lines]  # each line is one JSON object
    assert responses[0] == ["500", "given-by-the-proxy-1"]
    generated = responses[1][1]
    assert generated != "bad id\nforged" and len(generated) == 32
    for request_id in ["given-by-the-proxy-1", generated]:
        mine = [record for record in records if record.get("request_id") == request_id]
        assert {record["name"] for record in mine} >= {"telecentre.views", "django.request", "telecentre.request"}
        ending = next(record for record in mine if record["name"] == "telecentre.request")
        assert (ending["method"], ending["route"], ending["status"]) == ("POST", "fails/<str:token>/", 500)
        assert "secret-token-123" not in json.dumps(ending)  # the pattern, never the path and its token


def event_items(envelope):
    """The payloads of an envelope's event items (a header line, then item header and payload lines)."""
    lines = envelope.splitlines()[1:]
    items = zip(lines[::2], lines[1::2], strict=False)
    return [payload for header, payload in items if json.loads(header).get("type") == "event"]


class Receiver(BaseHTTPRequestHandler):
    envelopes = []

    def do_POST(self):  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        elif self.headers.get("Content-Encoding") == "br":
            import brotli

            body = brotli.decompress(body)
        self.envelopes.append((self.path, body.decode()))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_receiver():
    Receiver.envelopes = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], Receiver.envelopes
    server.shutdown()


def test_an_error_reaches_sentry_with_its_request_id_and_nothing_personal(sentry_receiver):
    port, envelopes = sentry_receiver

    _responses, _lines, active = run_site("report-me-0001", SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/42")

    assert active
    events = [item for path, body in envelopes if path == "/api/42/envelope/" for item in event_items(body)]
    assert len(events) == 1
    item = events[0]
    event = json.loads(item)
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["tags"]["request_id"] == "report-me-0001"
    assert event["transaction"].startswith("/fails/")  # the URL pattern names the page
    for personal in ["alice@example.org", "correct-horse", "referer-token", "secret-token-123", "127.0.0.1"]:
        assert personal not in item


def test_without_a_dsn_nothing_is_sent(sentry_receiver):
    _port, envelopes = sentry_receiver

    _responses, _lines, active = run_site("quiet-0001")

    assert not active
    assert envelopes == []

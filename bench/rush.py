"""The forum rush: 1 000 visitors register at once, from 32 concurrent clients, for workshops of 200 seats.

Each client is a thread with its own keep-alive HTTP connection (http.client, no dependency) posting the
public registration form. Afterwards the database is checked: no workshop holds more than its seats, every
visitor has exactly one registration, and every registration has either its seat or its place on the
waiting list.
"""

import http.client
import json
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 32
CSRF_SECRET = "benchcsrf" + "0" * 23


def form(setup, n):
    return urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": CSRF_SECRET,
            "first_name": "Rush",
            "last_name": f"Visitor {n}",
            "email": f"{setup['email_prefix']}{n}@scale.example",
            "profile": "teleworker",
            "origin": "Murat",
            "accessibility_needs": "",
            "website": "",
            "consent": "on",
            "waitlist_if_full": "on",
            "people-TOTAL_FORMS": "0",
            "people-INITIAL_FORMS": "0",
            "people-MIN_NUM_FORMS": "0",
            "people-MAX_NUM_FORMS": "9",
            "workshops": str(setup["workshops"][n % len(setup["workshops"])]),
            "idempotency_key": f"{setup['key_prefix']}{n:012x}",
        }
    )


def client(base_url, setup, numbers, barrier, statuses, latencies):
    address = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={CSRF_SECRET}"}
    barrier.wait()
    for n in numbers:
        started = time.perf_counter()
        try:
            connection.request("POST", setup["path"], body=form(setup, n), headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException):
            connection.close()
            status = "error"
        latencies.append(time.perf_counter() - started)
        statuses.append(status)
    connection.close()


def post_all(base_url, setup):
    numbers = list(range(setup["registrations"]))
    shares = [numbers[index::CLIENTS] for index in range(CLIENTS)]
    barrier = threading.Barrier(CLIENTS + 1)
    statuses, latencies = [], []
    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(client, base_url, setup, share, barrier, statuses, latencies) for share in shares]
        barrier.wait()
        started = time.perf_counter()
        for future in futures:
            future.result()
        elapsed = time.perf_counter() - started
    return statuses, sorted(latencies), elapsed


def verify(setup, env):
    argument = json.dumps(json.dumps(setup))
    code = f"import json, bench.apps.forum as f; print(json.dumps(f.verify_rush(json.loads({argument}))))"
    output = subprocess.run(  # noqa: S603 - runs this project's manage.py
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run(base_url, setup, env):
    if setup.get("missing"):
        return {"summary": f"not run ({setup['missing']})", "ok": False}
    statuses, latencies, elapsed = post_all(base_url, setup)
    check = verify(setup, env)
    redirected = statuses.count(302)
    rate = len(statuses) / elapsed
    seated = sum(check["seats"].values())
    ok = (
        not check["oversold"]
        and check["registrations"] == setup["registrations"] == check["distinct"]
        and seated + check["waiting"] == setup["registrations"]
        and redirected == setup["registrations"]
    )
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0
    summary = (
        f"{len(statuses)} registrations by {CLIENTS} clients in {elapsed:.1f} s = **{rate:.0f} registrations/s** "
        f"(p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, p99 {p99:.0f} ms); "
        f"{redirected} confirmed by a redirect; in the database: {check['registrations']} registrations "
        f"({check['distinct']} distinct addresses), {seated} seats in {len(check['seats'])} workshops of "
        f"{setup['seats']} (most taken: {max(check['seats'].values())}), {check['waiting']} on the waiting list; "
        f"oversold workshops: {len(check['oversold'])} — {'OK' if ok else 'FAILED'}"
    )
    return {"summary": summary, "ok": ok, "rate": rate, **check}

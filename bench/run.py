# ruff: noqa: S603, S607, S310 - a benchmark script that runs local commands against a local server
"""`make bench`: every key page measured against a bare Django view, served the production way.

For each database (PostgreSQL `tc_bench`, then SQLite), the script makes sure the database holds the scale
data at the requested factor (seeded once, reused while the migrations and generators are unchanged),
serves the site with gunicorn and the production settings, measures each scenario with wrk (16 connections,
a warm-up then a measured run) and, on PostgreSQL, runs the forum rush. It prints the table and writes it,
with the machine it ran on, to bench/results.md.

Environment: BENCH_FACTOR (1), BENCH_DURATION (10 s), BENCH_WARMUP (3 s), BENCH_CONNECTIONS (16),
BENCH_WORKERS (4), BENCH_THREADS (1: sync workers), BENCH_DATABASES ("postgresql sqlite"),
BENCH_PG_URL (postgres://postgres@127.0.0.1:5432/tc_bench), BENCH_NOTE (a line printed with the figures),
BENCH_REDIS_URL (redis://127.0.0.1:6379/15: the shared cache production uses, emptied before each database's
run; "none" to measure with each worker's own memory cache), BENCH_ONLY (scenario keys to measure, e.g.
"bare portal": a quick look while working; the bare view is always measured, the rush only when "rush" is
listed).
"""

import datetime
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results.md"
PY = sys.executable
GUNICORN = str(Path(PY).with_name("gunicorn"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE_URL = f"http://127.0.0.1:{PORT}"
FACTOR = float(os.environ.get("BENCH_FACTOR", "1"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
DATABASES = os.environ.get("BENCH_DATABASES", "postgresql sqlite").split()
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/tc_bench")
ONLY = set(os.environ.get("BENCH_ONLY", "").split())
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "telecentre.settings",
    "DJANGO_PRODUCTION": "true",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-" + hashlib.sha256(str(ROOT).encode()).hexdigest(),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECURE_COOKIES": "false",
    "DJANGO_HSTS_SECONDS": "0",
    "DATABASE_CONN_MAX_AGE": "600",
    "BENCH_BARE_VIEW": "1",
    "LOG_LEVEL": "WARNING",
    # Every benchmark client is 127.0.0.1: the forum's per-address limit would answer 429 after 30 posts.
    "FORUM_THROTTLE_PER_IP": "100000000",
}

# Targets as a share of the bare view's throughput (issue 9).
TARGET_HOME, TARGET_FORUM_PAGE, TARGET_GET, TARGET_POST = 0.30, 0.15, 0.10, 0.06
P99_LIMIT_MS = 100
RUSH_TARGET = 200

REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  local failed = 0
  if threads then
    for _, thread in ipairs(threads) do failed = failed + (thread:get("failures") or 0) end
  end
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,' ..
    '"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"failed":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status, e.connect, e.read, e.write, e.timeout, failed))
end
"""


def log(message):
    print(message, flush=True)


def database_env(backend):
    if backend == "postgresql":
        return {"DATABASE_URL": PG_URL}
    return {"DATABASE_URL": "", "SQLITE_PATH": str(OUT / f"bench-f{FACTOR:g}.sqlite3")}


def redis_url():
    """The shared cache for the run, emptied first (pages cached from the other database must not be served);
    None without Redis."""
    if REDIS_URL == "none":
        return None
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.RedisError as exc:
        log(f"WARNING: Redis unreachable at {REDIS_URL} ({exc}): each worker keeps its own cache")
        return None
    return REDIS_URL


def environment(backend):
    env = {**os.environ, **PRODUCTION_ENV, **database_env(backend)}
    env.pop("REDIS_URL", None)
    if url := redis_url():
        env["REDIS_URL"] = url
    if backend == "sqlite":
        env.pop("DATABASE_URL")
    return env


def manage(env, *args, capture=False):
    command = [PY, "manage.py", *args]
    if capture:
        return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return ""


def schema_fingerprint():
    """Migrations and generators: when either changes, the benchmark database is seeded again."""
    digest = hashlib.sha256()
    paths = sorted(ROOT.glob("*/migrations/*.py")) + sorted(ROOT.glob("telecentre/*/migrations/*.py"))
    paths += sorted(ROOT.glob("*/scale.py")) + sorted(ROOT.glob("telecentre/*/scale.py"))
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return f"{FACTOR:g}:{digest.hexdigest()}"


def state_file(backend):
    return OUT / f"state-{backend}.txt"


def recreate_database(backend, env):
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(env["SQLITE_PATH"] + suffix).unlink(missing_ok=True)
        return
    import psycopg

    url = PG_URL.rsplit("/", 1)
    with psycopg.connect(url[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{url[1]}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{url[1]}"')


def ensure_seeded(backend, env):
    """Seed the database once per factor and schema; reuse it otherwise. Returns the seconds spent."""
    fingerprint = schema_fingerprint()
    state = state_file(backend)
    if state.exists() and state.read_text() == fingerprint:
        try:
            manage(env, "migrate", "--no-input", "-v0")
            log(f"[{backend}] reusing the database seeded at factor {FACTOR:g}")
            return 0.0
        except subprocess.CalledProcessError:
            log(f"[{backend}] the seeded database does not migrate: seeding again")
    started = time.perf_counter()
    state.unlink(missing_ok=True)
    recreate_database(backend, env)
    manage(env, "migrate", "--no-input", "-v0")
    log(f"[{backend}] seeding at factor {FACTOR:g}...")
    manage(env, "seed_scale", "--factor", f"{FACTOR:g}")
    if backend == "postgresql":
        manage(env, "dbshell", "--", "-c", "VACUUM ANALYZE")
    state.write_text(fingerprint)
    return time.perf_counter() - started


@contextmanager
def gunicorn(env):
    command = [GUNICORN, "telecentre.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", str(WORKERS)]
    if THREADS > 1:
        command += ["--worker-class", "gthread", "--threads", str(THREADS)]
    command += ["--preload", "--backlog", "256", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(BASE_URL + "/healthz", timeout=5).read()
                break
            except OSError:  # refused while booting, or a timeout
                time.sleep(0.5)
        else:
            raise RuntimeError("gunicorn did not answer on /healthz")
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def drain(limit_seconds=120):
    """Wait until the server answers at once: sync workers may still be busy with the last page's queue."""
    deadline = time.monotonic() + limit_seconds
    quick = 0
    while quick < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            urllib.request.urlopen(BASE_URL + "/healthz", timeout=30).read()
        except OSError:
            time.sleep(0.5)
            continue
        quick = quick + 1 if time.monotonic() - started < 0.05 else 0
        time.sleep(0.2)


def check_page(scenario):
    """One request before measuring: the scenario must answer what it should, not a login page or an error."""
    if scenario.get("lua"):
        return None
    request = urllib.request.Request(BASE_URL + scenario["path"], headers=scenario.get("headers", {}))
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - local server
            if response.url != BASE_URL + scenario["path"]:
                return f"redirected to {response.url}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except OSError as exc:
        return f"no answer ({exc})"
    return None


def wrk(scenario, seconds, offset=0):
    script = OUT / f"{scenario['key']}.lua"
    script.write_text(scenario.get("lua", "") + REPORT_LUA)
    command = ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "10s", "-s", str(script)]
    for name, value in scenario.get("headers", {}).items():
        command += ["-H", f"{name}: {value}"]
    command += [BASE_URL + scenario["path"], "--", str(offset)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    # A POST answered with anything but its redirect (e.g. a form redisplayed with an error) is an error too.
    figures["errors"] = sum(figures[key] for key in ("status", "connect", "read", "write", "timeout", "failed"))
    return figures


def prepare(backend, env):
    """Ask Django (bench/scenarios.py) for the scenarios: paths, session cookies and POST scripts."""
    output = manage(env, "shell", "-c", "import bench.scenarios as s; s.main()", capture=True)
    return json.loads(output.strip().splitlines()[-1])


def measure(backend):
    env = environment(backend)
    OUT.mkdir(parents=True, exist_ok=True)
    seeded = ensure_seeded(backend, env)
    manage(env, "collectstatic", "--no-input", "-v0")
    prepared = prepare(backend, env)
    rows, rush = [], None
    with gunicorn(env):
        for scenario in prepared["scenarios"]:
            if ONLY and scenario["key"] not in ONLY | {"bare"}:
                continue
            row = {"backend": backend, **{k: scenario[k] for k in ("key", "label", "target", "method")}}
            if not scenario.get("missing"):
                drain()
            problem = scenario.get("missing") or check_page(scenario)
            if problem:
                row["problem"] = problem
                log(f"[{backend}] {scenario['label']}: skipped ({problem})")
            else:
                wrk(scenario, WARMUP)
                row.update(wrk(scenario, DURATION, offset=scenario.get("measure_offset", 1_000_000)))
                log(
                    f"[{backend}] {scenario['label']}: {row['rps']:.0f} req/s, p50 {row['p50'] / 1000:.1f} ms, "
                    f"p99 {row['p99'] / 1000:.1f} ms, errors {row['errors']}"
                )
            rows.append(row)
        limit = rows[0] if rows and rows[0]["key"] == "bare" and "rps" in rows[0] else None
        if limit:
            # The machine may be busier at the end than at the start: the limit is the mean of two runs.
            drain()
            again = wrk(prepared["scenarios"][0], DURATION)
            limit["rps_runs"] = [limit["rps"], again["rps"]]
            if again["errors"] == 0 and again["rps"] > limit["rps"] / 5:  # else the server never drained
                limit["rps"] = (limit["rps"] + again["rps"]) / 2
            log(f"[{backend}] bare view again: {again['rps']:.0f} req/s (limit taken as {limit['rps']:.0f})")
        if backend == "postgresql" and prepared.get("rush") and (not ONLY or "rush" in ONLY):
            from bench import rush as rush_module

            drain()
            rush = rush_module.run(BASE_URL, prepared["rush"], env)
            log(f"[{backend}] forum rush: {rush['summary']}")
    bare = next((row["rps"] for row in rows if row["key"] == "bare" and "rps" in row), None)
    for row in rows:
        if bare and "rps" in row:
            row["ratio"] = row["rps"] / bare
    return {"backend": backend, "rows": rows, "rush": rush, "seeded_seconds": seeded}


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    try:
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
    except (OSError, ValueError, IndexError):
        memory = "?"
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": f"{memory} GiB",
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": " ".join(f"{value:.2f}" for value in os.getloadavg()),
        "python": platform.python_version(),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
    }


def verdict(row):
    if "rps" not in row:
        return "—"
    ok = row.get("ratio", 0) >= row["target"] and row["p99"] / 1000 < P99_LIMIT_MS and row["errors"] == 0
    return "yes" if ok else "**no**"


def table(results):
    lines = [
        "| Database | Page | req/s | p50 ms | p95 ms | p99 ms | errors | share of bare | target | met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for result in results:
        for row in result["rows"]:
            if "rps" not in row:
                lines.append(
                    f"| {row['backend']} | {row['label']} | — | — | — | — | — | — | {row['target']:.0%} "
                    f"| not measured: {row['problem']} |"
                )
                continue
            if row["requests"] == 0:
                lines.append(
                    f"| {row['backend']} | {row['label']} | 0 | — | — | — | no answer within the 10 s timeout | 0% "
                    f"| {row['target']:.0%} | **no** |"
                )
                continue
            ratio = f"{row['ratio']:.0%}" if "ratio" in row else "—"
            target = "limit" if row["key"] == "bare" else f"{row['target']:.0%}"
            rps = "/".join(f"{value:.0f}" for value in row["rps_runs"]) if "rps_runs" in row else f"{row['rps']:.0f}"
            lines.append(
                f"| {row['backend']} | {row['label']} | {rps} | {row['p50'] / 1000:.1f} "
                f"| {row['p95'] / 1000:.1f} | {row['p99'] / 1000:.1f} | {row['errors']} | {ratio} | {target} "
                f"| {'—' if row['key'] == 'bare' else verdict(row)} |"
            )
    return "\n".join(lines)


def results_path():
    """bench/results.md for a full run; a partial one (BENCH_ONLY) goes to bench/out/ instead."""
    return OUT / "results-only.md" if ONLY else RESULTS


def write_results(results, info, elapsed):
    note = os.environ.get("BENCH_NOTE", "")
    parts = [
        "# Benchmark results",
        "",
        f"Run by `make bench` on {info['date']} (commit {info['commit']}), {elapsed / 60:.1f} minutes in total.",
        "",
        f"- Machine: {info['nproc']} CPU ({info['cpu']}), {info['memory']} RAM, Python {info['python']}; load "
        f"average (1, 5, 15 min) {info['load']} at the start and {info['load_end']} at the end: anything else running "
        "on the machine shows there, and lowers every figure.",
        f"- Server: gunicorn, {WORKERS} {'gthread' if THREADS > 1 else 'sync'} workers"
        f"{f' x {THREADS} threads' if THREADS > 1 else ''}, production settings (DEBUG off, "
        "persistent database connections, whitenoise for static files, "
        f"{'Redis as the shared cache' if REDIS_URL != 'none' else 'no Redis: a memory cache per worker'}).",
        f"- Load: wrk, 2 threads, {CONNECTIONS} connections, {WARMUP} s warm-up then {DURATION} s measured per page; "
        f"scale data at factor {FACTOR:g} (`manage.py seed_scale`).",
        f"- Targets (share of the bare view's req/s): home {TARGET_HOME:.0%}, forum page {TARGET_FORUM_PAGE:.0%}, "
        f"other pages {TARGET_GET:.0%}, POSTs {TARGET_POST:.0%}; p99 under {P99_LIMIT_MS} ms; "
        f"forum rush at least {RUSH_TARGET} registrations/s with no oversell.",
    ]
    if note:
        parts.append(f"- Note: {note}")
    parts += [
        "",
        "The bare view is measured first and again last; its two req/s are shown and the share of every page "
        "is taken against their mean. Errors count failed connections, non-2xx/3xx answers and, for POSTs, "
        "any answer other than the redirect of a successful booking or registration.",
        "",
        table(results),
        "",
    ]
    for result in results:
        if result["rush"]:
            parts += [f"Forum rush ({result['backend']}): {result['rush']['summary']}", ""]
    results_path().write_text("\n".join(parts))


def main():
    started = time.perf_counter()
    info = machine()
    results = [measure(backend) for backend in DATABASES]
    elapsed = time.perf_counter() - started
    info["load_end"] = " ".join(f"{value:.2f}" for value in os.getloadavg())
    write_results(results, info, elapsed)
    log("")
    log(results_path().read_text())


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

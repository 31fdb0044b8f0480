"""Several app servers on one machine: nginx in front of two gunicorn instances that share PostgreSQL, Redis and
the object store, with the task worker and the scheduler (README, "Several app servers").

    DATABASE_URL=postgres://… REDIS_URL=redis://… S3_PUBLIC_BUCKET=… S3_PRIVATE_BUCKET=… \\
    DJANGO_SECRET_KEY=… .venv/bin/python deploy/cluster.py --port 8080

serves the site on http://127.0.0.1:8080 (both instances, in turn) and on the next two ports (each instance
alone, through the same proxy), until Ctrl-C. It is the recipe tests/deploy/test_cluster.py runs, and a way to
try the multi-server setup on one machine before spreading the same processes over several hosts: each host runs
gunicorn (and one of them the worker and the scheduler) with the same environment, and the proxy lists them all.
The proxy passes the client's address the way deploy/nginx/telecentre.conf does; the site trusts it because the
proxy's address is in TRUSTED_PROXIES.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = Path(sys.executable)
GUNICORN = PY.with_name("gunicorn")
REQUIRED = ("DATABASE_URL", "REDIS_URL", "S3_PUBLIC_BUCKET", "S3_PRIVATE_BUCKET")

NGINX_CONF = """
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    server_tokens off;
    client_max_body_size 11m;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    upstream all {{ {all} }}
    {instance_upstreams}
    {servers}
}}
"""

SERVER = """
    server {{
        listen 127.0.0.1:{port};
        location /static/ {{ alias {static}/; }}
        location / {{
            proxy_pass http://{upstream};
            proxy_set_header Host $host:$server_port;
            # The client's address replaces whatever the client wrote in the header.
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
"""


def production_env(base=None):
    """The environment every process of the cluster shares: production settings on plain HTTP (the proxy of a
    real deployment terminates TLS), the proxy trusted for the client's address."""
    env = dict(os.environ if base is None else base)
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        raise SystemExit(f"deploy/cluster.py needs {', '.join(missing)} (README, Several app servers)")
    env.setdefault("DJANGO_SECRET_KEY", "cluster-" + os.urandom(16).hex())
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "telecentre.settings",
            "DJANGO_PRODUCTION": "true",
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": env.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost"),
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_HSTS_SECONDS": "0",
            "TRUSTED_PROXIES": "127.0.0.1",
        }
    )
    return env


class Cluster:
    """nginx on `port` (every instance) and the next ports (one instance each), the gunicorn instances on the
    ports after those, a task worker and a scheduler. Use as a context manager."""

    def __init__(self, env, port=8080, instances=2, workers=2, work_dir=None):
        self.env = production_env(env)
        self.port = port
        self.instances = instances
        self.workers = workers
        self.work = Path(work_dir or tempfile.mkdtemp(prefix="telecentre-cluster-"))
        self.processes = []

    def url(self, instance=None):
        """The proxy's address: for every instance in turn, or for instance 0, 1… alone."""
        port = self.port if instance is None else self.port + 1 + instance
        return f"http://127.0.0.1:{port}"

    def app_port(self, instance):
        return self.port + 1 + self.instances + instance

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def manage(self, *args):
        subprocess.run([str(PY), "manage.py", *args], cwd=ROOT, env=self.env, check=True)  # noqa: S603

    def spawn(self, name, command):
        log = open(self.work / f"{name}.log", "ab")  # noqa: SIM115 — kept open for the process's life
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        self.processes.append((name, process, log))
        return process

    def start(self):
        if not (ROOT / "staticfiles" / "staticfiles.json").exists():
            self.manage("collectstatic", "--no-input", "-v0")
        for instance in range(self.instances):
            self.spawn(
                f"gunicorn-{instance}",
                [str(GUNICORN), "telecentre.wsgi", "--bind", f"127.0.0.1:{self.app_port(instance)}"]
                + ["--workers", str(self.workers), "--log-level", "warning"],
            )
        self.spawn("worker", [str(PY), "manage.py", "db_worker"])
        self.spawn("scheduler", [str(PY), "manage.py", "run_scheduler"])
        self.spawn("nginx", [shutil.which("nginx") or "/usr/sbin/nginx", "-p", str(self.work), "-c", self.nginx_conf()])
        # Each app server first, then the shared port: nginx sets aside for a while an upstream it found down.
        for instance in [*range(self.instances), None]:
            self.wait_until_up(self.url(instance))

    def nginx_conf(self):
        for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            # Run as root, nginx's workers are `nobody`: they must write request bodies here.
            (self.work / name).mkdir(mode=0o1777, exist_ok=True)
            (self.work / name).chmod(0o1777)
        static = ROOT / "staticfiles"
        servers = [SERVER.format(port=self.port, upstream="all", static=static)]
        upstreams = []
        for instance in range(self.instances):
            upstreams.append(f"upstream instance{instance} {{ server 127.0.0.1:{self.app_port(instance)}; }}")
            servers.append(SERVER.format(port=self.port + 1 + instance, upstream=f"instance{instance}", static=static))
        conf = NGINX_CONF.format(
            work=self.work,
            all=" ".join(f"server 127.0.0.1:{self.app_port(n)};" for n in range(self.instances)),
            instance_upstreams="\n    ".join(upstreams),
            servers="".join(servers),
        )
        path = self.work / "nginx.conf"
        path.write_text("daemon off;\n" + conf)
        return str(path)

    def wait_until_up(self, url, seconds=90):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for name, process, _log in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{name} stopped: see {self.work / (name + '.log')}")
            try:
                urllib.request.urlopen(url + "/healthz", timeout=5).read()  # noqa: S310 — our own http URL
                return
            except urllib.error.HTTPError as error:
                # The site's own 503 (JSON) only says the worker or the scheduler has not beaten yet: it is up.
                # nginx's 502 means the app server behind it is still starting.
                if error.code == 503 and error.read().startswith(b"{"):
                    return
                time.sleep(0.3)
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{url} did not answer within {seconds} s")

    def stop(self):
        for _name, process, _log in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for _name, process, log in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
        self.processes = []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--instances", type=int, default=2)
    options = parser.parse_args()
    cluster = Cluster(os.environ, port=options.port, instances=options.instances)
    cluster.manage("migrate", "--no-input")
    with cluster:
        print(f"Serving on {cluster.url()} (logs in {cluster.work}); Ctrl-C stops every process.", flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()

"""Requests per second under load for ``bench/public.py``: gunicorn and a load generator.

An app is served by gunicorn (``--workers`` processes, gthread workers so that connections
stay open between requests) on a free loopback port; ``--connections`` keep-alive clients
ask for a list of paths in random order for ``--duration`` seconds. The load generator is
Debian's ``wrk`` (C, so it takes little of the CPU the server needs) when installed, else
a small one here: threads with ``http.client``, which needs a good share of a core itself
and so understates the server (the results say which one ran).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent
#: The same User-Agent for the login and the load: Flask-Login's "strong" session
#: protection ends a login whose browser seems to change.
USER_AGENT = "caseflow-bench"


def hello_app() -> Flask:
    """The bare Flask page the others are compared with (``bench.public_load:hello_app()``)."""
    app = Flask("hello")

    @app.get("/")
    def hello():
        return "hello"

    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """``with Gunicorn("caseflow:create_app()", env, args, logs) as server:`` → ``server.port``."""

    def __init__(self, app_spec: str, env: dict[str, str], args, log_dir: Path):
        self.app_spec, self.env, self.args, self.log_dir = app_spec, env, args, log_dir
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        command = [
            sys.executable, "-m", "gunicorn",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.args.workers),
            "--worker-class", "gthread",
            "--threads", str(self.args.threads),
            "--keep-alive", "30",
            "--chdir", str(ROOT),
            self.app_spec,
        ]  # fmt: skip
        log = open(self.log_dir / f"gunicorn-{self.port}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            command,
            env={**os.environ, "PYTHONPATH": str(ROOT), **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn stopped: see {log.name}")
            try:
                status, _body = get(self.port, "/")
                if status < 500:
                    return self
            except OSError:
                time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within a minute: see {log.name}")

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"User-Agent": USER_AGENT, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def login_cookie(port: int, email: str, password: str) -> str:
    """Log in over HTTP as a browser does (the form's CSRF token); the Cookie header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login", headers={"User-Agent": USER_AGENT})
    page = conn.getresponse()
    body = page.read().decode()
    cookies = _cookies(page)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body)
    form = {"email": email, "password": password}
    if token:
        form["csrf_token"] = token.group(1)
    conn.request(
        "POST",
        "/login",
        body=urllib.parse.urlencode(form),
        headers={
            "User-Agent": USER_AGENT,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
    )
    answer = conn.getresponse()
    answer.read()
    conn.close()
    if answer.status != 302:
        raise SystemExit(f"login over HTTP answered {answer.status}")
    cookies.update(_cookies(answer))
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _cookies(response) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


WRK_SCRIPT = """
local paths = {%(paths)s}
wrk.headers["User-Agent"] = "%(agent)s"
%(cookie)s
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  io.write(string.format(
    'WRK-JSON {"requests": %%d, "duration_us": %%d, "errors": %%d, "status_errors": %%d, '
    .. '"p50_ms": %%.2f, "p99_ms": %%.2f}\\n',
    summary.requests, summary.duration,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def run_load(port: int, paths: list[str], args, cookie: str | None = None) -> dict:
    """``args.connections`` keep-alive clients for ``args.duration`` s; requests/s and errors."""
    if shutil.which("wrk") and not args.python_load:
        return _run_wrk(port, paths, args, cookie)
    return _run_threads(port, paths, args, cookie)


def _run_wrk(port, paths, args, cookie) -> dict:
    lua = WRK_SCRIPT % {
        "paths": ", ".join(json.dumps(p) for p in paths),
        "agent": USER_AGENT,
        "cookie": f'wrk.headers["Cookie"] = {json.dumps(cookie)}' if cookie else "",
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua)
    try:
        threads = min(args.connections, args.load_threads)
        output = subprocess.run(
            # A slow answer is slow, not an error: wrk's own timeout is 2 s.
            ["wrk", "-t", str(threads), "-c", str(args.connections), "-d", f"{args.duration}s",
             "--timeout", "60s", "-s", script.name, f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    found = json.loads(output.split("WRK-JSON", 1)[1].strip().splitlines()[0])
    seconds = found["duration_us"] / 1e6
    return {
        "generator": "wrk",
        "requests": found["requests"],
        "seconds": round(seconds, 2),
        "per_second": round(found["requests"] / seconds, 1),
        "errors": found["errors"],
        "status_errors": found["status_errors"],
        "p50_ms": found["p50_ms"],
        "p99_ms": found["p99_ms"],
    }


def _run_threads(port, paths, args, cookie) -> dict:
    headers = {"User-Agent": USER_AGENT, **({"Cookie": cookie} if cookie else {})}
    counts, stop = [0] * args.connections, threading.Event()
    errors, status_errors = [0] * args.connections, [0] * args.connections

    def client(index: int) -> None:
        rng = random.Random(index)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while not stop.is_set():
            try:
                conn.request("GET", rng.choice(paths), headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    status_errors[index] += 1
                counts[index] += 1
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    workers = [threading.Thread(target=client, args=(i,)) for i in range(args.connections)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(args.duration)
    stop.set()
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    return {
        "generator": "python threads (understates the server: it shares the CPU)",
        "requests": sum(counts),
        "seconds": round(seconds, 2),
        "per_second": round(sum(counts) / seconds, 1),
        "errors": sum(errors),
        "status_errors": sum(status_errors),
    }

"""A throwaway Redis server for tests (Debian package ``redis-server``).

Each instance has its own temporary folder (config, log), listens on 127.0.0.1 on a free
port, keeps nothing on disk, and is gone after ``stop()``.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

MISSING = "Redis (Debian package redis-server) is not installed"


def redis_binary() -> str | None:
    return shutil.which("redis-server", path="/usr/bin:/usr/sbin:/usr/local/bin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """``with RedisServer() as server:`` then ``server.url`` (``redis://127.0.0.1:<port>/0``)."""

    def __init__(self, start_timeout: float = 10.0):
        self.start_timeout = start_timeout
        self.port = 0
        self.root: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def __enter__(self) -> RedisServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        binary = redis_binary()
        if binary is None:
            raise RuntimeError(MISSING)
        self.root = Path(tempfile.mkdtemp(prefix="caseflow-redis-"))
        # A port found free may be taken before redis binds it; try another one then.
        for _ in range(3):
            self.port = free_port()
            (self.root / "redis.conf").write_text(
                f"bind 127.0.0.1\nport {self.port}\ndir {self.root}\n"
                f"logfile {self.root / 'redis.log'}\n"
                'save ""\nappendonly no\ndaemonize no\nprotected-mode yes\n'
            )
            self._proc = subprocess.Popen(
                [binary, str(self.root / "redis.conf")],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            if self._wait_until_ready():
                return
            self._kill()
        log = self.log_text()
        self.stop()
        raise RuntimeError(f"redis-server did not start\n--- redis log ---\n{log}")

    def _wait_until_ready(self) -> bool:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                return False
            if self.ping():
                return True
            time.sleep(0.02)
        return False

    def ping(self) -> bool:
        """Whether the server answers PING (in RESP, without a client library)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        self._kill()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def _kill(self) -> None:
        if self._proc is not None:
            self._proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=5)
            if self._proc.poll() is None:
                self._proc.kill()
                self._proc.wait()
            self._proc = None

    def log_text(self) -> str:
        if self.root is None or not (self.root / "redis.log").exists():
            return ""
        return (self.root / "redis.log").read_text(errors="replace")

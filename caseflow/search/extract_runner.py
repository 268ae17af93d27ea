"""Extraction in a child process, so that the time limit really holds.

A parser stuck in a pathological PDF cannot be interrupted from the thread that called it
(pypdfium2 is native code; Python threads cannot be killed). So every file is extracted
in one long-lived child process, which the parent kills when the file's time is up (or
which dies on its own: a crash of native code takes only the child with it). The child
is kept between files: starting one (a fresh interpreter, ``python -m
caseflow.search.extract_child``, that imports the readers) costs a few hundred
milliseconds, a round trip to a running one a fraction of a millisecond (README, "Search:
file text"). A fresh interpreter rather than ``fork``: the parent may be a web server with
threads and open database connections; rather than multiprocessing's ``spawn``, which runs
the parent's main script again in the child.

The child reads the file from the store itself (its path is sent, not its bytes), and
runs under an address-space limit, so a decompression bomb fails with ``out_of_memory``
instead of taking the server's memory.

One runner per process (:func:`runner`), shared by the worker thread and the scheduler
job under a lock; :func:`shutdown` stops the child (the worker does so when idle).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import socket
import subprocess
import sys
import threading
from multiprocessing.connection import Connection
from pathlib import Path

from caseflow.search.extract import Extracted, Limits, extractor_target
from caseflow.search.models import TextStatus

log = logging.getLogger("caseflow.search.extract")

#: The child is replaced after this many files, so that leaks in native code stay bounded.
FILES_PER_CHILD = 500
#: How long a new child may take to start (import the readers) before it counts as broken.
STARTUP_SECONDS = 60
#: The child's address-space limit: room for the interpreter, PDFium and one big file.
MEMORY_LIMIT_BYTES = 2 * 1024**3


class ExtractionRunner:
    """One child process that extracts files one at a time, killed on timeout."""

    def __init__(self, *, memory_limit: int | None = MEMORY_LIMIT_BYTES):
        self._lock = threading.Lock()
        self._memory_limit = memory_limit
        self._process = None
        self._conn = None
        self._files = 0

    @property
    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def run(self, path: str | Path, kind: str | None, limits: Limits) -> Extracted:
        """Extract the file at ``path`` as ``kind`` within ``limits.timeout`` seconds."""
        with self._lock:
            try:
                self._start()
                self._conn.send((str(path), kind, extractor_target(kind or ""), limits))
            except (OSError, ValueError, EOFError, RuntimeError):
                log.exception("the extraction process could not be started")
                self._stop(kill=True)
                return Extracted(TextStatus.FAILED, reason="crashed", kind=kind)
            if not self._conn.poll(limits.timeout):
                log.warning("extracting %s took more than %s s: stopped", path, limits.timeout)
                self._stop(kill=True)
                return Extracted(TextStatus.FAILED, reason="timeout", kind=kind)
            try:
                result = self._conn.recv()
            except (EOFError, OSError):
                log.warning("the extraction process died on %s", path)
                self._stop(kill=True)
                return Extracted(TextStatus.FAILED, reason="crashed", kind=kind)
            self._files += 1
            if self._files >= FILES_PER_CHILD:
                self._stop(kill=False)
            return result

    def shutdown(self) -> None:
        """Stop the child (a new one starts with the next file)."""
        with self._lock:
            self._stop(kill=False)

    def _start(self) -> None:
        if self.is_running:
            return
        self._stop(kill=True)
        ours, theirs = socket.socketpair()
        # The child finds the modules the parent finds (an extractor a test registered too).
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        try:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [
                    sys.executable,
                    "-m",
                    "caseflow.search.extract_child",
                    str(theirs.fileno()),
                    str(self._memory_limit or 0),
                ],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                env=env,
            )
        finally:
            theirs.close()
        conn = Connection(ours.detach())
        self._process, self._conn, self._files = process, conn, 0
        if not conn.poll(STARTUP_SECONDS) or conn.recv() != "ready":
            raise RuntimeError("the extraction process did not start")

    def _stop(self, *, kill: bool) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            if not kill:
                try:
                    conn.send(None)
                except (OSError, ValueError):
                    kill = True
            conn.close()
        if process is not None:
            if not kill:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(5)
            if process.poll() is None:
                process.kill()
            process.wait()


_runner: ExtractionRunner | None = None
_runner_lock = threading.Lock()


def runner() -> ExtractionRunner:
    """This process's runner (made on first use)."""
    global _runner
    with _runner_lock:
        if _runner is None:
            _runner = ExtractionRunner()
        return _runner


def shutdown() -> None:
    """Stop this process's extraction child, if one runs."""
    if _runner is not None:
        _runner.shutdown()


atexit.register(shutdown)

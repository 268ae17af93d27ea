"""The in-process extraction worker: file text without a scheduler.

Where no ``caseflow scheduler`` runs (the demo from ``make run``, the development server)
a file registered in a request still becomes searchable within seconds: after the commit
of a request that queued a file (``caseflow.db.after_commit``), the request wakes one
background thread of its process, which extracts every pending file in its own app
context and sessions and then waits, idle, for the next wake. Its extraction child
process is stopped after ``IDLE_SECONDS`` without work. The first request a process
serves wakes it once too, for files queued while no worker ran.

``SEARCH_EXTRACT_IN_PROCESS`` switches it: True or False, or None (the default) for
"on where the scheduler is unlikely to run": on with SQLite (the embedded setup), off
with PostgreSQL (production, where ``caseflow scheduler`` runs the extraction job) and
in tests (``TESTING``), which start it themselves. Both may run at once: rows are claimed
(``jobs``), so a file is never extracted twice at once on PostgreSQL.

Threads are started only by a request, never by ``create_app``: gunicorn's workers
(started by fork) and the reloader each get their own on their first request.
"""

from __future__ import annotations

import logging
import os
import threading

from flask import Flask, current_app

from caseflow.db import after_commit, new_session
from caseflow.search import extract_runner

log = logging.getLogger("caseflow.search.extract")

#: Seconds without work after which the extraction child process is stopped.
IDLE_SECONDS = 60
_KEY = "caseflow.search.worker"
_lock = threading.Lock()


class _Stopped(Exception):
    """Raised between two files when the worker is asked to stop."""


class ExtractionWorker:
    """One background thread that extracts pending files when woken."""

    def __init__(self, app: Flask):
        self.app = app
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self._lock = threading.Lock()

    @property
    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wake(self) -> None:
        """Have the thread look for pending files now (starting it if needed)."""
        with self._lock:
            if self._stopping.is_set():
                return
            # After a fork the thread object is a copy of a thread of the parent.
            if not self.is_alive or self._pid != os.getpid():
                self._pid = os.getpid()
                self._thread = threading.Thread(
                    target=self._run, name="caseflow-extract", daemon=True
                )
                self._thread.start()
            self._wake.set()

    def stop(self, timeout: float = 60) -> None:
        """Stop the thread after the file it is reading, and its child process."""
        with self._lock:
            self._stopping.set()
            self._wake.set()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
        extract_runner.shutdown()

    def _run(self) -> None:
        while not self._stopping.is_set():
            if not self._wake.wait(IDLE_SECONDS):
                extract_runner.shutdown()
                continue
            self._wake.clear()
            if self._stopping.is_set():
                break
            try:
                self._work()
            except _Stopped:
                break
            except Exception:  # the thread lives on; the next wake tries again
                log.exception("the extraction worker failed")

    def _work(self) -> None:
        from caseflow.search.jobs import extract_pending

        def progress(_status: str) -> None:
            if self._stopping.is_set():
                raise _Stopped()

        with self.app.app_context():
            session = new_session(self.app.extensions["caseflow.engine"])
            try:
                counts = extract_pending(session, progress=progress)
            finally:
                session.close()
        if counts:
            log.info("file text extracted: %s", counts)


def in_process_enabled(app: Flask) -> bool:
    """Whether this app extracts file text in a thread of its own (see the module doc)."""
    value = app.config.get("SEARCH_EXTRACT_IN_PROCESS")
    if value is None:
        return not app.testing and str(app.config["DATABASE_URL"]).startswith("sqlite")
    return bool(value)


def worker_for(app: Flask) -> ExtractionWorker | None:
    """The app's worker in this process, or None when in-process extraction is off."""
    if not in_process_enabled(app):
        return None
    with _lock:
        worker = app.extensions.get(_KEY)
        if worker is None:
            worker = app.extensions[_KEY] = ExtractionWorker(app)
        return worker


def stop_worker(app: Flask, timeout: float = 60) -> None:
    """Stop the app's worker thread, if one was made (tests, a clean shutdown)."""
    worker = app.extensions.get(_KEY)
    if worker is not None:
        worker.stop(timeout)


def _wake_after_commit(session) -> None:
    """A request queued files: wake this app's worker once the request has committed."""
    worker = worker_for(current_app)
    if worker is not None:
        after_commit(worker.wake, session=session)


def init_app(app: Flask) -> None:
    """Wake the worker after a request that queued files, and on a process's first
    request for files queued while none ran."""
    from caseflow.search.jobs import register_when_queued

    register_when_queued(_wake_after_commit)
    woken: set[int] = set()

    @app.before_request
    def _wake_once() -> None:
        if os.getpid() in woken:
            return
        woken.add(os.getpid())
        worker = worker_for(app)
        if worker is not None:
            worker.wake()

"""File text outside the request: queueing files for extraction and extracting them.

- **Queueing.** When a ``DocumentFile`` or a ``MailMessage`` row is inserted, a
  ``FileText`` row (status pending) is added in the same transaction for its sha256 if
  there is none (:func:`register_listeners`, from search's ``init_app``: documents and
  mail know nothing of search). The store is content-addressed, so a file registered
  twice is one row, extracted once. :func:`queue_missing` does the same for files stored
  before (``caseflow search reindex``).
- **Extracting.** :func:`extract_pending` works through pending rows, each file in its own
  transaction, its text read in the child process of ``extract_runner`` under the
  per-file limits. Run by the scheduler's job (:func:`extract_text_job`), by the
  in-process worker (``worker``) after a request that queued a file, and by reindex.
- **Two workers at once** (the worker thread and the scheduler, or several web
  processes) never extract one row twice on PostgreSQL: a file's transaction holds its
  row with ``SELECT … FOR UPDATE SKIP LOCKED`` while it is read, and the others pass it
  by. On SQLite a write transaction locks the whole database, so none is held during the
  extraction: the result is written only if the row is still pending (two processes may
  then both read a file, and the second result is dropped; nothing fails).

Nothing here calls the indexer: search's indexer reacts to a ``FileText`` row flushed
with status done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app, has_request_context
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from caseflow.common.timeutil import now
from caseflow.db import UTCDateTime, new_session
from caseflow.documents.models import FileBlob
from caseflow.documents.storage import FileStore
from caseflow.search import extract as kinds
from caseflow.search.extract import Extracted, Limits, detect_kind
from caseflow.search.extract_runner import runner
from caseflow.search.models import FileText, TextStatus

log = logging.getLogger("caseflow.search.extract")

#: How many files one run of the scheduler's job takes at most (it runs every 30 s).
JOB_BATCH = 500
#: How many bytes of a file are read to tell its type.
HEAD_BYTES = 2048

_KIND_MIME = {
    kinds.PDF: "application/pdf",
    kinds.DOCX: kinds._DOCX_MIME,
    kinds.TEXT: "text/plain",
    kinds.HTML: "text/html",
    kinds.MAIL: "message/rfc822",
    kinds.OUTLOOK: "application/vnd.ms-outlook",
}


# --- queueing ---------------------------------------------------------------------------


def _table(name: str) -> sa.Table:
    return FileText.metadata.tables[name]


def _insert(dialect: str):
    return (postgresql if dialect == "postgresql" else sqlite).insert(FileText.__table__)


def queue_texts(connection: sa.Connection, shas: Iterable[str]) -> int:
    """Add a pending ``FileText`` row for each sha256 that has none; the number added."""
    shas = sorted(set(shas))
    if not shas:
        return 0
    at = now()
    rows = [
        {"sha256": sha, "status": TextStatus.PENDING, "attempts": 0, "queued_at": at}
        for sha in shas
    ]
    table = FileText.__table__
    statement = (
        _insert(connection.dialect.name)
        .values(rows)
        .on_conflict_do_nothing()
        .returning(table.c.sha256)
    )
    return len(connection.execute(statement).all())


def queue_missing(session: Session) -> int:
    """Give every stored document file and mail message without a ``FileText`` row a
    pending one (the backfill of ``caseflow search reindex``); flushes, never commits.
    Returns how many were queued."""
    files, mails, texts = _table("document_file"), _table("mail_message"), FileText.__table__
    known = sa.select(files.c.sha256).union(sa.select(mails.c.sha256)).subquery()
    missing = sa.select(
        known.c.sha256,
        sa.literal(TextStatus.PENDING.value),
        sa.literal(0),
        sa.literal(now(), UTCDateTime),
    ).where(~sa.exists().where(texts.c.sha256 == known.c.sha256))
    statement = (
        _insert(session.get_bind().dialect.name)
        .from_select(["sha256", "status", "attempts", "queued_at"], missing)
        .on_conflict_do_nothing()
        .returning(texts.c.sha256)
    )
    session.flush()
    return len(session.execute(statement).all())


#: Called with the session when a request queued files (the in-process worker wakes after
#: its commit: :func:`caseflow.search.worker.init_app` registers it).
_when_queued: list = []


def register_when_queued(fn) -> None:
    """Have ``fn(session)`` called when a request's session queued files to read."""
    if fn not in _when_queued:
        _when_queued.append(fn)


def _queued(session: Session, shas: set[str], connection: sa.Connection) -> None:
    if queue_texts(connection, shas) and has_request_context():
        for fn in _when_queued:
            fn(session)


def _after_flush(session: Session, _flush_context) -> None:
    names = ("document_file", "mail_message")
    shas = {
        obj.sha256
        for obj in session.new
        if getattr(obj, "__tablename__", None) in names and getattr(obj, "sha256", None)
    }
    if shas:
        _queued(session, shas, session.connection())


def _on_execute(state) -> None:
    """Mail intake inserts its rows with Core statements, which flushes do not see."""
    if not state.is_insert:
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) not in ("document_file", "mail_message"):
        return
    params = state.parameters
    rows = params if isinstance(params, list | tuple) else [params or {}]
    shas = {row["sha256"] for row in rows if row.get("sha256")}
    if shas:
        # Before the statement: the blob row is already there (stored first), and a
        # failing insert rolls the queued row back with it.
        _queued(state.session, shas, state.session.connection())


def register_listeners() -> None:
    """Queue every inserted file and message, in every session (web, CLI, jobs)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _on_execute)


# --- extracting ---------------------------------------------------------------------------


def limits_from(config) -> Limits:
    """The per-file limits from the app's configuration."""
    return Limits(
        max_bytes=int(config["SEARCH_EXTRACT_MAX_BYTES"]),
        max_chars=int(config["SEARCH_TEXT_MAX_CHARS"]),
        timeout=float(config["SEARCH_EXTRACT_TIMEOUT_SECONDS"]),
    )


@dataclass
class _Job:
    sha256: str
    size: int | None
    mime_type: str | None
    filename: str | None


def _job_for(session: Session, sha: str) -> _Job:
    """What is known of a file: its size, and the type and name it was registered with."""
    files, mails = _table("document_file"), _table("mail_message")
    size = session.execute(sa.select(FileBlob.size).where(FileBlob.sha256 == sha)).scalar()
    found = session.execute(
        sa.select(files.c.mime_type, files.c.filename)
        .where(files.c.sha256 == sha)
        .order_by(files.c.id)
        .limit(1)
    ).first()
    if found is not None:
        return _Job(sha, size, found.mime_type, found.filename)
    raw_format = session.execute(
        sa.select(mails.c.raw_format).where(mails.c.sha256 == sha).limit(1)
    ).scalar()
    mime = "application/vnd.ms-outlook" if raw_format == "outlook-msg" else "message/rfc822"
    return _Job(sha, size, mime if raw_format else None, None)


def _extract(job: _Job, store: FileStore, limits: Limits) -> Extracted:
    if job.size is not None and job.size > limits.max_bytes:
        return Extracted(TextStatus.TOO_LARGE, reason="file_too_large")
    path = store.path_for(job.sha256)
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except FileNotFoundError:
        return Extracted(TextStatus.FAILED, reason="file_missing")
    kind = detect_kind(head, mime_type=job.mime_type, filename=job.filename)
    if kind is None:
        return Extracted(TextStatus.UNSUPPORTED, reason="unknown_type")
    return runner().run(path, kind, limits)


def _record(row: FileText, job: _Job, result: Extracted) -> None:
    row.status = result.status
    row.text = result.text if result.status == TextStatus.DONE else None
    row.reason = result.reason
    row.mime_type = _KIND_MIME.get(result.kind or "") or job.mime_type
    row.size = job.size
    row.attempts = (row.attempts or 0) + 1
    row.extracted_at = now()


def extract_file(engine: sa.Engine, sha: str, store: FileStore, limits: Limits) -> str | None:
    """Extract one pending file in a transaction of its own; its new status, or None when
    it was not pending (done meanwhile, or held by another worker)."""
    pending = (FileText.sha256 == sha) & (FileText.status == TextStatus.PENDING)
    if engine.dialect.name == "postgresql":
        with new_session(engine, write=True) as session:
            row = session.scalars(
                sa.select(FileText).where(pending).with_for_update(skip_locked=True)
            ).first()
            if row is None:
                return None
            job = _job_for(session, sha)
            result = _extract(job, store, limits)
            _record(row, job, result)
            session.commit()
            return row.status
    with new_session(engine) as session:
        if session.scalars(sa.select(FileText.sha256).where(pending)).first() is None:
            return None
        job = _job_for(session, sha)
    result = _extract(job, store, limits)
    with new_session(engine, write=True) as session:
        row = session.scalars(sa.select(FileText).where(pending)).first()
        if row is None:  # another process was quicker: its result stands
            return None
        _record(row, job, result)
        session.commit()
        return row.status


def _fail(engine: sa.Engine, sha: str) -> None:
    """Record an unexpected error on the row, so the file is not tried for ever."""
    with new_session(engine, write=True) as session:
        row = session.get(FileText, sha)
        if row is not None and row.status == TextStatus.PENDING:
            row.status, row.reason = TextStatus.FAILED, "internal_error"
            row.attempts = (row.attempts or 0) + 1
            row.extracted_at = now()
            session.commit()


def extract_pending(
    session: Session,
    *,
    limit: int | None = None,
    progress: Callable[[str], object] | None = None,
) -> dict[str, int]:
    """Extract pending files, oldest first, each in a transaction of its own, and return
    how many ended in each status (and ``skipped``: taken by another worker meanwhile).

    ``session`` gives the database; what it holds is committed first, as the files'
    transactions are sessions of their own. Needs an app context (the limits and the file
    store come from its config). ``progress(status)`` is called after each file. An error
    on one file is recorded on its row (failed, ``internal_error``) and the run goes on.
    """
    session.commit()
    engine = session.get_bind()
    config = current_app.config
    store, limits = FileStore(config["FILES_DIR"]), limits_from(config)
    counts: dict[str, int] = {}
    done, after = 0, None
    while limit is None or done < limit:
        batch = min(100, limit - done) if limit is not None else 100
        query = sa.select(FileText.sha256, FileText.queued_at).where(
            FileText.status == TextStatus.PENDING
        )
        if after is not None:  # onwards from the last one seen: a row held elsewhere is passed
            queued_at, sha = after
            query = query.where(
                (FileText.queued_at > queued_at)
                | ((FileText.queued_at == queued_at) & (FileText.sha256 > sha))
            )
        with new_session(engine) as reader:
            rows = reader.execute(
                query.order_by(FileText.queued_at, FileText.sha256).limit(batch)
            ).all()
        if not rows:
            break
        for sha, queued_at in rows:
            after = (queued_at, sha)
            done += 1
            try:
                status = extract_file(engine, sha, store, limits) or "skipped"
            except Exception:
                log.exception("extracting the text of %s failed", sha)
                _fail(engine, sha)
                status = TextStatus.FAILED
            counts[status] = counts.get(status, 0) + 1
            if progress is not None:
                progress(status)
    return counts


def pending_count(session: Session) -> int:
    """How many files wait for their text to be read (the length of a progress bar)."""
    return session.scalar(sa.select(sa.func.count()).where(FileText.status == TextStatus.PENDING))


def extract_text_job(session: Session) -> dict[str, int]:
    """The scheduler's job: extract up to ``JOB_BATCH`` pending files. Never raises for a
    file; the counts per status are logged by the scheduler."""
    return extract_pending(session, limit=JOB_BATCH)

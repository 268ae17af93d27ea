"""Work on meetings that runs outside a request's transaction, each in sessions of its own.

Sending a dispatch (after the commit that registered it, and again from the scheduler),
and building a meeting's batch export. The services these call only flush; every commit
of this domain's background work is here.
"""

from __future__ import annotations

import json
import logging
import tempfile
import threading
import zipfile
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate

import sqlalchemy as sa
from flask import Flask, current_app
from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.common import audit
from caseflow.common.mailer import MailNotSent, Sent, render_body, send
from caseflow.common.timeutil import now
from caseflow.db import after_commit, get_engine, new_session
from caseflow.documents.models import DocumentFile
from caseflow.documents.services import store_blob
from caseflow.documents.storage import FileStore, file_store
from caseflow.meetings import excerpts
from caseflow.meetings.models import (
    Dispatch,
    DispatchStatus,
    ExportJob,
    ExportStatus,
    Meeting,
)
from caseflow.meetings.services import exportable_items
from caseflow.organisation.services import profile_snapshot

log = logging.getLogger("caseflow.meetings")


def build_message(session: Session, store: FileStore, dispatch: Dispatch) -> EmailMessage:
    """The e-mail of a dispatch: the registered excerpt attached, the body from a template."""
    config = current_app.config
    item = session.exec(
        select(DocumentFile)
        .where(DocumentFile.document_id == dispatch.document_id)
        .order_by(DocumentFile.id.desc())
    ).first()
    case = session.get(Case, dispatch.case_id)
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = ", ".join(json.loads(dispatch.recipients))
    message["Subject"] = dispatch.subject
    message["Message-ID"] = dispatch.message_id
    message["Date"] = formatdate(localtime=True)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        render_body(
            "dispatch.txt",
            case_number=case.number,
            # A dispatch without a § sends a decision taken under delegation.
            is_excerpt=dispatch.agenda_item_id is not None,
            organisation=profile_snapshot(session),
        )
    )
    with store.open(item.sha256) as handle:
        maintype, subtype = item.mime_type.split("/", 1)
        message.add_attachment(
            handle.read(), maintype=maintype, subtype=subtype, filename=item.filename
        )
    return message


def claim(session: Session, dispatch_id: int) -> bool:
    """Mark the dispatch as being sent, if it waits or failed; only one caller wins."""
    table = Dispatch.__table__
    claimed = session.execute(
        sa.update(table)
        .where(
            table.c.id == dispatch_id,
            table.c.status.in_([DispatchStatus.PENDING, DispatchStatus.FAILED]),
        )
        .values(status=DispatchStatus.SENDING, attempts=table.c.attempts + 1)
        .returning(table.c.id)
    ).first()
    return claimed is not None


def record_sent(session: Session, dispatch: Dispatch, sent: Sent) -> None:
    dispatch.status, dispatch.error, dispatch.sent_at = DispatchStatus.SENT, None, now()
    dispatch.sent_via = sent.via
    after = {"message_id": dispatch.message_id, "attempt": dispatch.attempts, "via": sent.via}
    if sent.refused:
        after["refused"] = sent.refused
    audit.record(
        session, "dispatch.sent", dispatch, case=session.get(Case, dispatch.case_id), after=after
    )
    session.flush()


def record_failed(session: Session, dispatch: Dispatch, code: str, detail: str) -> None:
    dispatch.status = DispatchStatus.FAILED
    dispatch.error = json.dumps({"code": code, "detail": detail}, ensure_ascii=False)
    audit.record(
        session,
        "dispatch.failed",
        dispatch,
        case=session.get(Case, dispatch.case_id),
        after={"error": code, "detail": detail, "attempt": dispatch.attempts},
    )
    session.flush()


def due_for_retry(session: Session) -> list[int]:
    """Failed dispatches, and any left pending (the process stopped between its commit and
    the send) for more than five minutes."""
    stale = now() - timedelta(minutes=5)
    return list(
        session.exec(
            select(Dispatch.id).where(
                (Dispatch.status == DispatchStatus.FAILED)
                | ((Dispatch.status == DispatchStatus.PENDING) & (Dispatch.created_at < stale))
            )
        ).all()
    )


def send_after_commit(session: Session, dispatch_id: int) -> None:
    """Send the dispatch once ``session``'s transaction has committed."""
    after_commit(lambda: send_dispatch(dispatch_id), session=session)


def send_dispatch(dispatch_id: int, store: FileStore | None = None) -> str:
    """Claim, send and record one dispatch; returns its status afterwards.

    Needs an application context. The claim is committed before the mail server is
    contacted, so a second sender (the scheduler beside a person) finds it taken.
    """
    store = store or file_store()
    session = new_session(get_engine(), write=True)
    try:
        claimed = claim(session, dispatch_id)
        session.commit()
        dispatch = session.get(Dispatch, dispatch_id, populate_existing=True)
        if not claimed:
            session.commit()
            return dispatch.status
        try:
            message = build_message(session, store, dispatch)
            # End the transaction before talking to the mail server: on SQLite a write
            # session holds the database's write lock for as long as it is open.
            session.commit()
            sent = send(message)
        except MailNotSent as exc:
            record_failed(session, dispatch, exc.code, exc.detail)
        except Exception as exc:  # a file missing from the store, a broken header …
            log.exception("dispatch %s could not be built", dispatch_id)
            record_failed(session, dispatch, "unknown", f"{type(exc).__name__}")
        else:
            record_sent(session, dispatch, sent)
        session.commit()
        return dispatch.status
    finally:
        session.close()


def retry_dispatches(store: FileStore | None = None) -> dict[int, str]:
    """Send every failed dispatch again, and any left pending. The scheduler's job."""
    session = new_session(get_engine())
    try:
        ids = due_for_retry(session)
    finally:
        session.close()
    return {dispatch_id: send_dispatch(dispatch_id, store) for dispatch_id in ids}


#: An export still "running" after this long was lost with its process (a restart).
STALE_EXPORT = timedelta(hours=1)


def fail_stale_exports() -> int:
    """Mark exports whose process is gone as failed, so nobody waits for them for ever."""
    session = new_session(get_engine(), write=True)
    try:
        table = ExportJob.__table__
        failed = session.execute(
            sa.update(table)
            .where(
                table.c.status == ExportStatus.RUNNING,
                table.c.created_at < now() - STALE_EXPORT,
            )
            .values(status=ExportStatus.FAILED, error="lost")
        ).rowcount
        session.commit()
        return failed
    finally:
        session.close()


def run_export(app: Flask, job_id: int, store: FileStore) -> None:
    """Build the ZIP, recording progress after each excerpt. Runs outside any request."""
    with app.app_context():
        engine = app.extensions["caseflow.engine"]
        session = new_session(engine)
        progress = new_session(engine, write=True)
        try:
            job = progress.get(ExportJob, job_id)
            progress.commit()  # no write lock while the first excerpt is rendered
            meeting = session.get(Meeting, job.meeting_id)
            with tempfile.TemporaryFile() as buffer:
                with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                    for item in exportable_items(meeting):
                        if job.fmt == "pdf":
                            content = excerpts.excerpt_pdf(session, store, item)
                        else:
                            content, _template = excerpts.render_excerpt(session, store, item)
                        archive.writestr(excerpts.excerpt_filename(session, item, job.fmt), content)
                        job.done += 1
                        progress.commit()
                buffer.seek(0)
                job.sha256, _size = store_blob(progress, store, buffer)
            job.status = ExportStatus.DONE
            progress.commit()
        except Exception as exc:  # recorded for the person waiting on the progress page
            log.exception("export %s failed", job_id)
            progress.rollback()
            job = progress.get(ExportJob, job_id)
            # The page says it failed in words; the cause is in the log for the administrator.
            job.status, job.error = ExportStatus.FAILED, type(exc).__name__
            progress.commit()
        finally:
            session.close()
            progress.close()


def start_export_after_commit(session: Session, job_id: int) -> None:
    """Start building the export once the row that tracks it is committed."""
    app, store = current_app._get_current_object(), file_store()
    after_commit(lambda: run_in_background(app, job_id, store), session=session)


def run_in_background(app: Flask, job_id: int, store: FileStore) -> threading.Thread:
    thread = threading.Thread(
        target=run_export, args=(app, job_id, store), name=f"export-{job_id}", daemon=True
    )
    thread.start()
    return thread

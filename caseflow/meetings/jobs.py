"""Work on meetings that runs outside a request's transaction, each in sessions of its own.

Sending a dispatch (after the commit that registered it, and again from the scheduler),
and building a meeting's batch export. The services these call only flush; every commit
of this domain's background work is here.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import zipfile
from datetime import timedelta
from email.errors import HeaderParseError
from email.headerregistry import Address, Group
from email.message import EmailMessage
from email.utils import formatdate

import sqlalchemy as sa
from flask import Flask, current_app
from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.common import audit
from caseflow.common.mailer import MailNotSent, Sent, default_sender, render_body, send
from caseflow.common.timeutil import now
from caseflow.db import after_commit, get_engine, new_session
from caseflow.documents.models import DocumentFile
from caseflow.documents.services import store_blob
from caseflow.documents.storage import FileStore, file_store
from caseflow.meetings import excerpts, serving
from caseflow.meetings.decisions import exportable_items
from caseflow.meetings.dispatch_models import (
    Channel,
    Dispatch,
    DispatchRecipient,
    DispatchStatus,
    ExportJob,
    ExportStatus,
    RecipientStatus,
)
from caseflow.meetings.models import Meeting
from caseflow.organisation.services import profile_snapshot

log = logging.getLogger("caseflow.meetings")


def one_line(text: str | None, limit: int = 500) -> str:
    """Text from any field as one header line: no CR/LF or other control characters."""
    return " ".join("".join(c if c.isprintable() else " " for c in text or "").split())[:limit]


def mail_address(name: str | None, email: str | None) -> Address | None:
    """The address as a header may carry it, the display name quoted as needed; None
    when the address cannot be used in a message at all."""
    try:
        address = Address(display_name=one_line(name, 200), addr_spec=(email or "").strip())
        str(address)  # the header text is built here; a broken address fails now
    except (ValueError, IndexError, HeaderParseError):
        return None
    if not address.username or not address.domain:
        return None
    return address


def build_message(
    session: Session, store: FileStore, dispatch: Dispatch, rows: list[DispatchRecipient]
) -> EmailMessage:
    """The e-mail of a dispatch: the registered document attached, the body from a template.

    The To header names the recipients who may be named (never a secret party or a
    protected person, who get the same message through the envelope alone).
    """
    item = session.exec(
        select(DocumentFile)
        .where(DocumentFile.document_id == dispatch.document_id)
        .order_by(DocumentFile.id.desc())
    ).first()
    case = session.get(Case, dispatch.case_id)
    message = EmailMessage()
    message["From"] = default_sender()
    named = [
        address
        for r in rows
        if r.channel == Channel.EMAIL and not r.is_hidden
        for address in [mail_address(r.name, r.email)]
        if address is not None
    ]
    message["To"] = named or Group("undisclosed-recipients")
    message["Subject"] = one_line(dispatch.subject)
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
            handle.read(), maintype=maintype, subtype=subtype, filename=one_line(item.filename)
        )
    return message


def claim(session: Session, dispatch_id: int, *, by_hand: bool = False) -> list[int]:
    """Mark the dispatch and the addresses to send to now as being sent; only one caller
    wins. Returns the recipients claimed (none: nothing to send, or another has it).

    The scheduler sends to addresses waiting, and to those whose failure it retries when
    their time has come; a person also to those refused, failed for good or uncertain.
    """
    table = Dispatch.__table__
    states = [DispatchStatus.PENDING, DispatchStatus.FAILED]
    if by_hand:
        states.append(DispatchStatus.UNCERTAIN)
    claimed = session.execute(
        sa.update(table)
        .where(table.c.id == dispatch_id, table.c.status.in_(states))
        .values(status=DispatchStatus.SENDING, attempts=table.c.attempts + 1)
        .returning(table.c.id)
    ).first()
    if claimed is None:
        return []
    dispatch = session.get(Dispatch, dispatch_id, populate_existing=True)
    at, chosen = now(), []
    for row in serving.recipients_of(session, dispatch):
        if row.channel != Channel.EMAIL or not _due(row, at, by_hand=by_hand):
            continue
        row.status, row.last_attempt_at, row.next_retry_at = RecipientStatus.SENDING, at, None
        row.attempts += 1
        chosen.append(row.id)
    if not chosen:
        serving.settle(session, dispatch)
    session.flush()
    return chosen


def _due(row: DispatchRecipient, at, *, by_hand: bool) -> bool:
    if row.status == RecipientStatus.PENDING:
        return True
    if by_hand:
        return row.status in (RecipientStatus.FAILED, RecipientStatus.UNCERTAIN)
    return (
        row.status == RecipientStatus.FAILED
        and row.next_retry_at is not None
        and row.next_retry_at <= at
    )


def record_outcome(
    session: Session, dispatch: Dispatch, rows: list[DispatchRecipient], outcome
) -> None:
    """Record what the mail server said, address by address, then settle the dispatch."""
    if isinstance(outcome, Sent):
        dispatch.sent_at, dispatch.sent_via = now(), outcome.via
        refused = {k.lower(): v for k, v in outcome.refused.items()}
        for row in rows:
            reply = refused.get((row.email or "").lower())
            if reply is None:
                serving.record_accepted(session, row, via=outcome.via)
            else:
                serving.record_failed(session, row, serving.reply_code(reply), reply)
    else:
        refused = {k.lower(): v for k, v in outcome.refused.items()}
        for row in rows:
            reply = refused.get((row.email or "").lower())
            if reply is not None:
                serving.record_failed(session, row, serving.reply_code(reply), reply)
            else:
                serving.record_failed(session, row, outcome.code, outcome.detail)
    dispatch.error = None
    accepted = [r.email for r in rows if r.status == RecipientStatus.ACCEPTED]
    failed = {r.email: r.error_code for r in rows if r.status == RecipientStatus.FAILED}
    audit.record(
        session,
        "dispatch.sent" if accepted else "dispatch.failed",
        dispatch,
        case=session.get(Case, dispatch.case_id),
        after={"accepted": accepted, "failed": failed, "attempt": dispatch.attempts},
    )
    serving.settle(session, dispatch)


def due_for_retry(session: Session) -> list[int]:
    """Dispatches with an address whose retry time has come, and any left pending (the
    process stopped between its commit and the send) for more than five minutes. An
    uncertain one is never among them: a person decides."""
    at = now()
    retried = select(DispatchRecipient.dispatch_id).where(
        DispatchRecipient.status == RecipientStatus.FAILED,
        DispatchRecipient.next_retry_at <= at,
    )
    stale = at - timedelta(minutes=5)
    return list(
        session.exec(
            select(Dispatch.id)
            .where(
                ((Dispatch.status == DispatchStatus.FAILED) & Dispatch.id.in_(retried))
                | ((Dispatch.status == DispatchStatus.PENDING) & (Dispatch.created_at < stale))
            )
            .order_by(Dispatch.id)
        ).all()
    )


def send_after_commit(session: Session, dispatch_id: int, *, by_hand: bool = False) -> None:
    """Send the dispatch once ``session``'s transaction has committed."""
    after_commit(lambda: send_dispatch(dispatch_id, by_hand=by_hand), session=session)


def send_dispatch(dispatch_id: int, store: FileStore | None = None, *, by_hand=False) -> str:
    """Claim, send and record one dispatch; returns its status afterwards.

    Needs an application context. The claim is committed before the mail server is
    contacted, so a second sender (the scheduler beside a person) finds it taken, and a
    process that dies while sending leaves the addresses "sending" (uncertain later).
    """
    store = store or file_store()
    session = new_session(get_engine(), write=True)
    try:
        chosen = claim(session, dispatch_id, by_hand=by_hand)
        session.commit()
        dispatch = session.get(Dispatch, dispatch_id, populate_existing=True)
        if not chosen:
            session.commit()
            return dispatch.status
        everyone = serving.recipients_of(session, dispatch)
        rows = [r for r in everyone if r.id in chosen]
        try:
            message = build_message(session, store, dispatch, everyone)
            usable = [r for r in rows if mail_address(r.name, r.email) is not None]
            for row in rows:
                if row not in usable:
                    serving.record_failed(session, row, "invalid_address", row.email or "")
            # End the transaction before talking to the mail server: on SQLite a write
            # session holds the database's write lock for as long as it is open.
            session.commit()
            outcome = (
                send(message, recipients=[r.email.strip() for r in usable]) if usable else None
            )
        except MailNotSent as exc:
            outcome = exc
        except Exception as exc:  # a file missing from the store, a broken attachment …
            log.exception("dispatch %s could not be built", dispatch_id)
            session.rollback()
            outcome = MailNotSent("", code="unknown", detail=type(exc).__name__)
            usable = [r for r in serving.recipients_of(session, dispatch) if r.id in chosen]
        if outcome is None:  # no address could be used: each one recorded as failed
            serving.settle(session, dispatch)
        else:
            record_outcome(session, dispatch, usable, outcome)
        session.commit()
        return dispatch.status
    finally:
        session.close()


def retry_dispatches(store: FileStore | None = None) -> dict[int, str]:
    """Mark what a stopped process left "sending" as uncertain, then send every dispatch
    whose retry time has come, and any left pending. The scheduler's job."""
    session = new_session(get_engine(), write=True)
    try:
        serving.mark_uncertain(session)
        session.commit()
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

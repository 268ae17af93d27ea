"""Sending a kallelse: recorded with its version (:func:`send_summons`), then sent after
the commit that recorded it, in a session of its own.

One message for everyone: the members and substitutes go in Bcc, and the visible To is
a group without addresses ("Ledamöter och ersättare i Regionstyrelsen:;"). Members often
give private addresses, which the others need not learn, and a reply-all to a whole body
is never what anyone meant. The kallelse .docx is attached, then the papers that may
travel (public files only), in agenda order until ``SUMMONS_MAX_ATTACHMENT_BYTES``; what
does not fit is listed in the body.
"""

from __future__ import annotations

import json
import logging
import smtplib
from email.headerregistry import Group
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app
from sqlmodel import Session

from caseflow.cases.models import Case
from caseflow.common import audit
from caseflow.common.mailer import MailNotSent, default_sender, new_message_id, render_body, send
from caseflow.common.projection import EMAIL, file_name
from caseflow.common.timeutil import LOCAL_TZ, now
from caseflow.db import after_commit, get_engine, new_session
from caseflow.documents.formats import DOCX_MIME
from caseflow.documents.models import Document
from caseflow.documents.services import store_blob
from caseflow.documents.storage import FileStore, file_store
from caseflow.meetings.hooks import run_meeting_hooks
from caseflow.meetings.models import Meeting, MeetingSummons
from caseflow.meetings.state import meeting_date
from caseflow.meetings.summons import (
    SummonsStatus,
    agenda_entries,
    check_sendable,
    next_version,
    split_recipients,
    subject,
    summons_docx,
)
from caseflow.organisation.services import profile_snapshot

log = logging.getLogger("caseflow.meetings")


def send_after_commit(session: Session, summons_id: int) -> None:
    """Send the kallelse once ``session``'s transaction has committed."""
    after_commit(lambda: deliver(summons_id), session=session)


def _attachments(session: Session, meeting: Meeting) -> tuple[list[tuple], list[str], bool]:
    """(name, mime, sha256) of the papers to attach, the labels of those left out for
    size, and whether any paper is secret (listed, never attached)."""
    limit = int(current_app.config.get("SUMMONS_MAX_ATTACHMENT_BYTES") or 0)
    attached, left_out, total, any_secret, seen = [], [], 0, False, set()
    for entry in agenda_entries(session, meeting):
        for paper in entry.papers:
            any_secret = any_secret or paper.is_secret
            for f in paper.files:
                if f.sha256 in seen:
                    continue
                seen.add(f.sha256)
                if total + f.size > limit:
                    left_out.append(paper.label)
                    continue
                total += f.size
                doc = session.get(Document, f.document_id)
                name = file_name(doc, session.get(Case, doc.case_id), f, EMAIL)
                attached.append((f"{entry.number}. {name}", f.mime_type, f.sha256))
    return attached, list(dict.fromkeys(left_out)), any_secret


def build_message(session: Session, store: FileStore, summons: MeetingSummons) -> EmailMessage:
    meeting = session.get(Meeting, summons.meeting_id)
    attached, left_out, any_secret = _attachments(session, meeting)
    local = meeting.starts_at.astimezone(LOCAL_TZ)
    message = EmailMessage()
    message["From"] = default_sender()
    message["To"] = Group(f"Ledamöter och ersättare i {meeting.organ.name}", ())
    message["Bcc"] = ", ".join(r["email"] for r in json.loads(summons.recipients))
    message["Subject"] = subject(meeting, summons.version)
    message["Message-ID"] = summons.message_id
    message["Date"] = formatdate(localtime=True)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        render_body(
            "summons.txt",
            organ=meeting.organ.name,
            day=meeting_date(meeting).isoformat(),
            time=f"{local:%H.%M}",
            place=meeting.place,
            secretary=meeting.secretary,
            is_revised=summons.version > 1,
            left_out=left_out,
            any_secret=any_secret,
            organisation=profile_snapshot(session),
        )
    )
    with store.open(summons.sha256) as handle:
        maintype, subtype = DOCX_MIME.split("/", 1)
        name = f"{'Reviderad kallelse' if summons.version > 1 else 'Kallelse'} " + (
            f"{meeting.organ.name} {meeting_date(meeting).isoformat()}.docx"
        )
        message.add_attachment(handle.read(), maintype=maintype, subtype=subtype, filename=name)
    for name, mime, sha256 in attached:
        maintype, subtype = mime.split("/", 1) if "/" in mime else ("application", "octet-stream")
        with store.open(sha256) as handle:
            message.add_attachment(handle.read(), maintype=maintype, subtype=subtype, filename=name)
    return message


def _failure_code(exc: MailNotSent) -> str:
    """The mailer's code, made finer where a secretary can act differently on it."""
    cause = exc.__cause__
    if isinstance(cause, TimeoutError):
        return "timeout"
    if isinstance(cause, smtplib.SMTPResponseException) and cause.smtp_code == 552:
        return "too_large"
    return exc.code


def deliver(summons_id: int, store: FileStore | None = None) -> str:
    """Send a pending kallelse and record what became of it; returns its status.

    Needs an application context. The transaction ends before the mail server is
    contacted (on SQLite an open write session would hold the write lock meanwhile).
    """
    store = store or file_store()
    session = new_session(get_engine(), write=True)
    try:
        summons = session.get(MeetingSummons, summons_id)
        if summons is None or summons.status != SummonsStatus.PENDING:
            return summons.status if summons else "missing"
        try:
            message = build_message(session, store, summons)
            session.commit()
            sent = send(message, recipients=[r["email"] for r in json.loads(summons.recipients)])
        except MailNotSent as exc:
            _record(session, summons, SummonsStatus.FAILED, code=_failure_code(exc))
            log.warning("kallelse %s not sent: %s", summons_id, exc.detail)
        except Exception:  # a file missing from the store, a broken header …
            log.exception("kallelse %s could not be built", summons_id)
            _record(session, summons, SummonsStatus.FAILED, code="unknown")
        else:
            status = SummonsStatus.SENT if sent.via == "smtp" else SummonsStatus.OUTBOX
            _record(session, summons, status, refused=sent.refused)
        session.commit()
        return summons.status
    finally:
        session.close()


def _record(session: Session, summons: MeetingSummons, status: str, *, code=None, refused=None):
    summons.status, summons.error_code = status, code
    after = {"version": summons.version, "status": status, "message_id": summons.message_id}
    if status == SummonsStatus.SENT:
        summons.sent_at = now()
    if refused:
        # The server took the message for the others: these are to be reached another way.
        recipients = json.loads(summons.recipients)
        names = {r["email"].casefold(): r["name"] for r in recipients}
        unreachable = json.loads(summons.unreachable or "[]")
        for address in refused:
            unreachable.append(
                {"name": names.get(address.casefold(), address), "reason": "refused"}
            )
        summons.unreachable = json.dumps(unreachable, ensure_ascii=False)
        after["refused"] = sorted(refused)
    if code:
        after["error"] = code
    action = "meeting.summons_failed" if status == SummonsStatus.FAILED else "meeting.summons_sent"
    audit.record(session, action, summons, after=after)
    session.flush()


def send_summons(session: Session, store: FileStore, meeting: Meeting, *, user) -> MeetingSummons:
    """Record a kallelse and send it after the caller's commit (see the module's docstring)."""
    recipients, unreachable = split_recipients(check_sendable(session, meeting))
    version = next_version(session, meeting)
    sha256, _size = store_blob(session, store, summons_docx(session, meeting, version=version))
    summons = MeetingSummons(
        meeting_id=meeting.id,
        version=version,
        recipients=json.dumps(recipients, ensure_ascii=False),
        unreachable=json.dumps(unreachable, ensure_ascii=False),
        sha256=sha256,
        message_id=new_message_id(),
        status=SummonsStatus.PENDING,
        created_by_id=getattr(user, "id", None),
    )
    session.add(summons)
    session.flush()
    audit.record(
        session,
        "meeting.summons",
        summons,
        actor=user,
        after={
            "meeting_id": meeting.id,
            "version": version,
            "recipients": [r["email"] for r in recipients],
            "unreachable": [u["name"] for u in unreachable],
            "sha256": sha256,
            "message_id": summons.message_id,
        },
    )
    session.flush()
    # The notice board announces the meeting with its public agenda (caseflow.noticeboard).
    run_meeting_hooks(session, "summons_sent", meeting, user=user)
    send_after_commit(session, summons.id)
    return summons

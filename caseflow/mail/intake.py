"""Mail intake: store first, then parse and route, one message at a time.

1. The raw bytes (content-addressed), their sha256, the source and the Message-ID are
   committed before anything is parsed. A source position already taken is not taken
   again, so re-running an import files nothing twice.
2. Parsing and routing run in a second transaction. Any failure rolls that back and marks
   the message ``failed`` with the error; it waits in the registrar's queue.

The same two steps serve files, mbox, maildir and IMAP (``caseflow.mail.imap``).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from flask import Flask, current_app
from sqlmodel import Session, select

from caseflow.common import audit
from caseflow.common.timeutil import now
from caseflow.db import new_session
from caseflow.documents.services import store_blob
from caseflow.documents.storage import FileStore
from caseflow.mail.filing import original_sender, register_mail
from caseflow.mail.models import MailMessage, MailStatus
from caseflow.mail.parsing import ParsedMessage, parse_message
from caseflow.mail.routing import Route, route

_MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)

#: Formats of raw mail intake can store.
RFC822, OUTLOOK_MSG = "rfc822", "outlook-msg"


@dataclass
class RawMail:
    """One message as a source delivered it, and where exactly it came from."""

    raw: bytes
    source: str
    #: Unique per source position (file, mbox offset, IMAP account/folder/UIDVALIDITY/UID).
    source_key: str
    raw_format: str = RFC822
    mailbox_id: int | None = None
    imap_folder: str | None = None
    imap_uidvalidity: int | None = None
    imap_uid: int | None = None


def quick_message_id(raw: bytes, raw_format: str = RFC822) -> str:
    """The Message-ID from the header block, without parsing; derived from the hash if none."""
    if raw_format == RFC822:
        head = re.split(rb"\r?\n\r?\n", raw[: 1 << 20], maxsplit=1)[0]
        head = re.sub(rb"\r?\n[ \t]+", b" ", head)  # unfold
        match = _MESSAGE_ID.search(head)
        if match:
            return match[1].decode("ascii", "replace").strip()
    return f"<{hashlib.sha256(raw).hexdigest()}@caseflow.invalid>"


def store_raw(session: Session, store: FileStore, mail: RawMail) -> tuple[MailMessage, bool]:
    """Step 1. Returns the stored row and whether it is new (False: this source was taken)."""
    taken = session.exec(
        select(MailMessage).where(MailMessage.source_key == mail.source_key)
    ).first()
    if taken is not None:
        return taken, False
    sha, size = store_blob(session, store, mail.raw)
    message_id = quick_message_id(mail.raw, mail.raw_format)
    flags = []
    same_id = session.exec(
        select(MailMessage.sha256).where(
            MailMessage.message_id == message_id, MailMessage.source_key != mail.source_key
        )
    ).all()
    status = MailStatus.RECEIVED
    if sha in same_id:
        status = MailStatus.DUPLICATE
    elif same_id:
        flags.append("message_id_collision")
    row = MailMessage(
        sha256=sha,
        size=size,
        message_id=message_id,
        source=mail.source[:1000],
        source_key=mail.source_key,
        raw_format=mail.raw_format,
        mailbox_id=mail.mailbox_id,
        imap_folder=mail.imap_folder,
        imap_uidvalidity=mail.imap_uidvalidity,
        imap_uid=mail.imap_uid,
        status=status,
        flags=json.dumps(flags) if flags else None,
        reason="Samma meddelande finns redan." if status == MailStatus.DUPLICATE else None,
    )
    session.add(row)
    session.flush()
    return row, True


def read_raw(store: FileStore, mail: MailMessage) -> bytes:
    with store.open(mail.sha256) as handle:
        return handle.read()


def as_rfc822(mail: MailMessage, raw: bytes) -> bytes:
    """The message as RFC 5322 bytes: Outlook .msg files are converted first."""
    if mail.raw_format == OUTLOOK_MSG:
        from caseflow.mail.outlook import msg_to_rfc822

        return msg_to_rfc822(raw)
    return raw


def read_parsed(store: FileStore, mail: MailMessage) -> tuple[bytes, ParsedMessage]:
    """The stored raw bytes and what they say (the queue shows and files from this)."""
    raw = read_raw(store, mail)
    return raw, parse_message(as_rfc822(mail, raw), received_at=mail.received_at)


def describe(mail: MailMessage, parsed: ParsedMessage) -> None:
    """Copy what the queue lists (sender, subject, date, parts) from the parsed mail."""
    name, address = original_sender(parsed)
    mail.message_id = parsed.message_id
    mail.from_address = (parsed.from_address or "")[:254] or None
    mail.from_name = (parsed.from_name or "")[:300] or None
    if parsed.forward is not None:
        mail.original_from = (address or "")[:254] or None
        mail.original_from_name = (name or "")[:300] or None
    mail.subject = parsed.subject
    mail.sent_at = parsed.date
    mail.attachment_count = len(parsed.attachments)
    mail.flags = json.dumps(sorted(set(json.loads(mail.flags or "[]")) | set(parsed.flags)))


def _too_large(mail: MailMessage) -> Route | None:
    limit = current_app.config["MAIL_MAX_MESSAGE_BYTES"]
    if mail.size <= limit:
        return None
    return Route(
        MailStatus.QUEUED,
        f"Meddelandet är {mail.size / 1_000_000:.1f} MB, större än gränsen "
        f"{limit / 1_000_000:.0f} MB för automatisk diarieföring: granska det i kön.",
    )


def process(session: Session, store: FileStore, mail: MailMessage) -> Route:
    """Step 2: parse, route, and file when the route is certain."""
    raw, parsed = read_parsed(store, mail)
    describe(mail, parsed)
    decision = _too_large(mail) or route(session, parsed)
    if mail.size > current_app.config["MAIL_MAX_MESSAGE_BYTES"]:
        mail.flags = json.dumps(sorted(set(json.loads(mail.flags)) | {"oversized"}))
    mail.status, mail.reason = decision.status, decision.reason
    mail.suggested_cases = json.dumps(decision.suggestions)
    mail.case_id = decision.case.id if decision.case else None
    if decision.status == MailStatus.FILED:
        doc = register_mail(session, store, mail, parsed, raw, decision.case)
        mail.document_id = doc.id
        audit.record(
            session,
            "mail.filed",
            mail,
            case=decision.case,
            after={"message_id": mail.message_id, "reason": decision.reason},
        )
    elif decision.status == MailStatus.BOUNCE and decision.case is not None:
        # The case's timeline tells that a mail sent from it did not arrive.
        audit.record(
            session,
            "mail.bounced",
            mail,
            case=decision.case,
            after={"bounce_of": parsed.bounce_of, "reason": decision.reason},
        )
    mail.processed_at = now()
    session.flush()
    mail._parsed = parsed  # for the report; not stored
    return decision


def outcome(mail: MailMessage, session: Session) -> dict:
    """The machine-readable result of one message (a contract other tools rely on)."""
    from caseflow.cases.models import Case

    parsed = getattr(mail, "_parsed", None)
    case = (
        session.get(Case, mail.case_id)
        if mail.case_id and mail.status in (MailStatus.FILED, MailStatus.BOUNCE)
        else None
    )
    return {
        "source": mail.source,
        "message_id": mail.message_id,
        "status": mail.status,
        "case": case.number if case else None,
        "suggested_cases": json.loads(mail.suggested_cases or "[]"),
        "reason": mail.reason or mail.error,
        "from": mail.from_address,
        "original_from": mail.original_from,
        "subject": mail.subject,
        "date": mail.sent_at.isoformat() if mail.sent_at else None,
        "attachments": [
            {"filename": a.filename, "size": a.size, "sha256": a.sha256}
            for a in (parsed.attachments if parsed else [])
        ],
        "flags": json.loads(mail.flags or "[]"),
    }


def process_or_fail(session: Session, store: FileStore, row: MailMessage) -> MailMessage:
    """Step 2 in its own transaction; a failure is committed as ``failed`` with the error."""
    try:
        process(session, store, row)
        session.commit()
        return row
    except Exception as exc:  # kept and shown to the registrar, never lost
        session.rollback()
        row = session.get(MailMessage, row.id)
        row.status, row.error = MailStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
        row.reason = None  # the report and the queue show the error
        row.processed_at = now()
        session.commit()
        return row


def intake(app: Flask, store: FileStore, mail: RawMail) -> tuple[str, dict]:
    """Both steps for one message; returns the stored status and the report. Never raises
    for bad mail (only for a database or disk that is gone)."""
    engine = app.extensions["caseflow.engine"]
    with app.app_context():
        session = new_session(engine, write=True)
        try:
            row, is_new = store_raw(session, store, mail)
            session.commit()
            if not is_new and row.status != MailStatus.RECEIVED:
                report = outcome(row, session)
                report["status"] = MailStatus.DUPLICATE
                report["reason"] = "Redan inläst från samma källa."
                return row.status, report
            if row.status == MailStatus.DUPLICATE:
                return row.status, outcome(row, session)
            row = process_or_fail(session, store, row)
            return row.status, outcome(row, session)
        finally:
            session.close()


def import_one(app: Flask, store: FileStore, mail: RawMail) -> dict:
    """Both steps for one message, each in its own transaction; the report of it."""
    return intake(app, store, mail)[1]


def process_stranded(app: Flask, store: FileStore, *, older_than_seconds: int = 600) -> int:
    """Process messages a crashed import stored but never processed; returns how many."""
    from datetime import timedelta

    engine = app.extensions["caseflow.engine"]
    done = 0
    with app.app_context():
        session = new_session(engine, write=True)
        try:
            ids = session.exec(
                select(MailMessage.id).where(
                    MailMessage.status == MailStatus.RECEIVED,
                    MailMessage.received_at < now() - timedelta(seconds=older_than_seconds),
                )
            ).all()
            session.rollback()
            for mail_id in ids:
                row = session.get(MailMessage, mail_id)
                if row is not None and row.status == MailStatus.RECEIVED:
                    process_or_fail(session, store, row)
                    done += 1
        finally:
            session.close()
    return done

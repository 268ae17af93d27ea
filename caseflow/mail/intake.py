"""Mail intake: store first, then parse and route, one message at a time.

1. The raw bytes (content-addressed), their sha256, the source and the Message-ID are
   committed before anything is parsed. A source position already taken is not taken
   again, so re-running an import files nothing twice.
2. Parsing and routing run in a second transaction. Any failure rolls that back and marks
   the message ``failed`` with the error; it waits in the registrar's queue.
"""

from __future__ import annotations

import hashlib
import json
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlmodel import Session, select

from caseflow.common import audit
from caseflow.common.timeutil import LOCAL_TZ, now
from caseflow.db import new_session
from caseflow.documents.filenames import safe_filename
from caseflow.documents.services import IncomingFile, register_document, store_blob
from caseflow.documents.storage import FileStore
from caseflow.mail.models import MailMessage, MailStatus
from caseflow.mail.numbers import strip_subject_prefixes
from caseflow.mail.parsing import ParsedMessage, parse_message
from caseflow.mail.routing import Route, route

_MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(<[^>\r\n]+>)", re.IGNORECASE | re.MULTILINE)


@dataclass
class RawMail:
    raw: bytes
    source: str
    source_key: str


def quick_message_id(raw: bytes) -> str:
    """The Message-ID from the header block, without parsing; derived from the hash if none."""
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
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
    message_id = quick_message_id(mail.raw)
    flags = []
    same_id = session.exec(
        select(MailMessage).where(
            MailMessage.message_id == message_id, MailMessage.source_key != mail.source_key
        )
    ).all()
    status = MailStatus.RECEIVED
    if any(other.sha256 == sha for other in same_id):
        status = MailStatus.DUPLICATE
    elif same_id:
        flags.append("message_id_collision")
    row = MailMessage(
        sha256=sha,
        size=size,
        message_id=message_id,
        source=mail.source,
        source_key=mail.source_key,
        status=status,
        flags=json.dumps(flags) if flags else None,
        reason="Samma meddelande finns redan." if status == MailStatus.DUPLICATE else None,
    )
    session.add(row)
    session.flush()
    return row, True


def _title(parsed: ParsedMessage) -> str:
    subject = (
        parsed.forward.original_subject
        if parsed.forward and parsed.forward.original_subject
        else parsed.subject
    )
    return (strip_subject_prefixes(subject or "") or "(inget ämne)")[:500]


def _counterpart(parsed: ParsedMessage) -> tuple[str, str | None]:
    if parsed.forward and (
        parsed.forward.original_from_address or parsed.forward.original_from_name
    ):
        name, address = parsed.forward.original_from_name, parsed.forward.original_from_address
    else:
        name, address = parsed.from_name, parsed.from_address
    label = f"{name} <{address}>" if name and address else (name or address or "Okänd avsändare")
    return label[:300], address


def file_into_case(
    session: Session, store: FileStore, mail: MailMessage, parsed: ParsedMessage, raw: bytes, case
) -> int:
    """Register the mail as an incoming document: the message itself and every part."""
    counterpart, address = _counterpart(parsed)
    received_on = mail.received_at.astimezone(LOCAL_TZ).date()
    original = parsed.forward.original_date if parsed.forward else None
    files = [IncomingFile(safe_filename(_title(parsed))[:150] + ".eml", raw, "message/rfc822")]
    files += [IncomingFile(a.filename, a.content, a.content_type) for a in parsed.attachments]
    doc = register_document(
        session,
        store,
        case=case,
        direction="incoming",
        kind="E-post",
        title=_title(parsed),
        counterpart=counterpart,
        counterpart_email=address,
        received_on=received_on,
        document_date=(original or parsed.date).astimezone(LOCAL_TZ).date(),
        message_id=parsed.message_id,
        files=files,
    )
    return doc.id


def process(session: Session, store: FileStore, mail: MailMessage) -> Route:
    """Step 2: parse, route, and file when the route is certain."""
    with store.open(mail.sha256) as handle:
        raw = handle.read()
    parsed = parse_message(raw, received_at=mail.received_at)
    decision = route(session, parsed)
    mail.message_id = parsed.message_id
    mail.from_address = (parsed.from_address or "")[:254] or None
    mail.original_from = parsed.forward.original_from_address if parsed.forward else None
    mail.subject = parsed.subject
    mail.sent_at = parsed.date
    mail.flags = json.dumps(sorted(set(json.loads(mail.flags or "[]")) | set(parsed.flags)))
    mail.status, mail.reason = decision.status, decision.reason
    mail.suggested_cases = json.dumps(decision.suggestions)
    mail.case_id = decision.case.id if decision.case else None
    if decision.status == MailStatus.FILED:
        mail.document_id = file_into_case(session, store, mail, parsed, raw, decision.case)
        audit.record(
            session,
            "mail.filed",
            mail,
            case=decision.case,
            after={"message_id": mail.message_id, "reason": decision.reason},
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
        if mail.case_id and mail.status == MailStatus.FILED
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


def import_one(app: Flask, store: FileStore, mail: RawMail) -> dict:
    """Both steps for one message, each in its own transaction; never raises for bad mail."""
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
                return report
            if row.status == MailStatus.DUPLICATE:
                return outcome(row, session)
            try:
                process(session, store, row)
                session.commit()
            except Exception as exc:  # kept and shown to the registrar, never lost
                session.rollback()
                row = session.get(MailMessage, row.id)
                row.status, row.error = MailStatus.FAILED, f"{type(exc).__name__}: {exc}"
                row.processed_at = now()
                session.commit()
            return outcome(row, session)
        finally:
            session.close()


def read_sources(paths: list[Path]) -> Iterator[RawMail]:
    """.eml files, folders of them, mbox files and maildirs, in the order given."""
    for path in paths:
        path = Path(path)
        if path.is_dir() and (path / "cur").is_dir() and (path / "new").is_dir():
            box = mailbox.Maildir(path, factory=None, create=False)
            for key in sorted(box.keys()):
                yield RawMail(
                    box.get_bytes(key), f"maildir:{path}", f"maildir:{path.resolve()}#{key}"
                )
        elif path.is_dir():
            for item in sorted(p for p in path.iterdir() if p.suffix.lower() == ".eml"):
                yield from read_sources([item])
        elif path.suffix.lower() == ".eml":
            yield RawMail(path.read_bytes(), f"file:{path}", f"file:{path.resolve()}")
        else:
            box = mailbox.mbox(path, create=False)
            try:
                for index, key in enumerate(box.keys()):
                    yield RawMail(
                        box.get_bytes(key, from_=False),
                        f"mbox:{path}#{index}",
                        f"mbox:{path.resolve()}#{index}",
                    )
            finally:
                box.close()

"""Mail intake: store first (``caseflow.mail.store``), then parse and route, one message
at a time.

1. The raw bytes (content-addressed), their sha256, the source and the Message-ID are
   committed before anything is parsed. A source position already taken is not taken
   again, so re-running an import files nothing twice.
2. Parsing and routing run in a second transaction. Any failure rolls that back and marks
   the message ``failed`` with the error; it waits in the registrar's queue.

The same two steps serve files, mbox, maildir and IMAP. The functions here only flush;
the runs that own the sessions and commit each step are in ``caseflow.mail.jobs``.
"""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.common import audit
from caseflow.common.timeutil import now
from caseflow.documents.storage import FileStore
from caseflow.mail.filing import original_sender, register_mail
from caseflow.mail.models import MailMessage, MailStatus
from caseflow.mail.parsing import ParsedMessage
from caseflow.mail.reasons import Reason
from caseflow.mail.routing import Route, route
from caseflow.mail.store import is_oversized, read_mail

#: Notices about mail sent from a case that its timeline shows, by their audit action.
_TOLD_IN_THE_CASE = {MailStatus.BOUNCE: "mail.bounced", MailStatus.DELAYED: "mail.delayed"}

#: Processing runs a message may begin; one that crashed the process this often is failed.
MAX_ATTEMPTS = 3

_CLAIM = (
    select(MailMessage)
    .where(MailMessage.id == sa.bindparam("id"))
    .with_for_update()
    .execution_options(populate_existing=True)
)


def describe(mail: MailMessage, parsed: ParsedMessage) -> None:
    """Copy what the queue lists (sender, subject, date, parts) from the parsed mail."""
    name, address = original_sender(parsed)
    if not parsed.message_id_derived:
        mail.message_id = parsed.message_id
    mail.from_address = (parsed.from_address or "")[:254] or None
    mail.from_name = (parsed.from_name or "")[:300] or None
    if parsed.forward is not None:
        mail.original_from = (address or "")[:254] or None
        mail.original_from_name = (name or "")[:300] or None
    mail.subject = parsed.subject
    mail.sent_at = parsed.date
    mail.attachment_count = len(parsed.attachments)
    _add_flags(mail, parsed.flags)


def _add_flags(mail: MailMessage, flags) -> None:
    mail.flags = json.dumps(sorted(set(json.loads(mail.flags or "[]")) | set(flags)))


def _has_flag(mail: MailMessage, flag: str) -> bool:
    return flag in json.loads(mail.flags or "[]")


def _first_copy(session: Session, mail: MailMessage):
    """The case the earlier mail with the same Message-ID was filed in, if any."""
    case_id = session.exec(
        select(MailMessage.case_id).where(
            MailMessage.header_message_id == mail.header_message_id,
            MailMessage.id != mail.id,
            MailMessage.case_id.is_not(None),
        )
    ).first()
    return session.get(Case, case_id) if case_id else None


def _decide(session: Session, mail: MailMessage, parsed: ParsedMessage) -> Route:
    if is_oversized(mail):
        _add_flags(mail, ["oversized"])
        limit = current_app.config["MAIL_MAX_MESSAGE_BYTES"]
        return Route(
            MailStatus.QUEUED,
            Reason(
                "oversized", size=round(mail.size / 1_000_000, 1), limit=round(limit / 1_000_000)
            ),
        )
    decision = route(session, parsed)
    if decision.status == MailStatus.FILED and _has_flag(mail, "message_id_collision"):
        # The same Message-ID with other bytes: perhaps the same mail again, changed on the
        # way (other Received: lines, a client's status header). A person decides.
        first = _first_copy(session, mail)
        where = {"case": first.number} if first else {}
        return Route(
            MailStatus.QUEUED,
            Reason("message_id_collision_in_case" if first else "message_id_collision", **where),
            suggestions=[decision.case.number],
        )
    return decision


def process(session: Session, store: FileStore, mail: MailMessage) -> Route:
    """Step 2: parse, route, and file when the route is certain."""
    raw, parsed = read_mail(store, mail)
    describe(mail, parsed)
    decision = _decide(session, mail, parsed)
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
    elif decision.status in _TOLD_IN_THE_CASE and decision.case is not None:
        # The case's timeline tells that a mail sent from it did not arrive, or is late.
        audit.record(
            session,
            _TOLD_IN_THE_CASE[decision.status],
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
    parsed = getattr(mail, "_parsed", None)
    case = (
        session.get(Case, mail.case_id)
        if mail.case_id
        and mail.status
        in (
            MailStatus.FILED,
            MailStatus.BOUNCE,
            MailStatus.DELAYED,
            MailStatus.RECEIPT,
            MailStatus.DUPLICATE,
        )
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


def claim_for_processing(session: Session, mail_id: int) -> MailMessage | None:
    """The row, locked for this transaction, if it still waits to be processed.

    Two imports of one file, an import beside the scheduler's stranded-mail job, or two
    pollers: whoever comes second finds it processed and leaves it. PostgreSQL locks the
    row; SQLite's write transaction (BEGIN IMMEDIATE) already lets one writer in at a time.
    """
    row = session.exec(_CLAIM, params={"id": mail_id}).one()
    return row if row.status == MailStatus.RECEIVED else None


def mark_failed(session: Session, mail_id: int, error: str) -> MailMessage:
    """Record that step 2 failed for this message; it waits in the registrar's queue."""
    row = session.get(MailMessage, mail_id, populate_existing=True)
    row.status, row.error = MailStatus.FAILED, error[:2000]
    row.reason = None  # the report and the queue show the error
    row.processed_at = now()
    session.flush()
    return row


def count_attempt(session: Session, mail_id: int) -> MailMessage:
    """Count one more processing run of a message a crashed run left behind."""
    table = MailMessage.__table__
    session.execute(
        sa.update(table).where(table.c.id == mail_id).values(attempts=table.c.attempts + 1)
    )
    return session.get(MailMessage, mail_id, populate_existing=True)


def gave_up(row: MailMessage) -> bool:
    """Whether a stored message has crashed the process too often to be tried again."""
    return row.attempts > MAX_ATTEMPTS and row.status == MailStatus.RECEIVED


def stranded_ids(session: Session, older_than: timedelta) -> list[int]:
    """Messages stored but never processed (a crashed run) for longer than ``older_than``."""
    return list(
        session.exec(
            select(MailMessage.id).where(
                MailMessage.status == MailStatus.RECEIVED,
                MailMessage.received_at < now() - older_than,
            )
        ).all()
    )

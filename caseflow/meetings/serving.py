"""What became of each recipient of a dispatch, and when the case counts as dispatched.

A recipient is *served* when the mail server accepted the message for its address, or
when its letter was marked as posted; ``served_on`` is that day (FL 44 § counts the
appeal period from it). When the last recipient of a dispatch is served, the case takes
its ``dispatch`` transition — in the job that recorded the last acceptance, or in the
request that marked the last letter posted.

Functions here flush and never commit: the job or the request owns the transaction.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.auth.models import User
from caseflow.cases.models import Case, CaseStatus
from caseflow.cases.workflow import DISPATCH, apply_transition
from caseflow.common import audit
from caseflow.common.errors import CaseflowError, ValidationError
from caseflow.common.timeutil import LOCAL_TZ, now, today
from caseflow.meetings.dispatch_models import (
    Channel,
    Dispatch,
    DispatchRecipient,
    DispatchStatus,
    RecipientStatus,
)

log = logging.getLogger("caseflow.meetings")

#: A recipient still "sending" after this long was lost with its process: uncertain.
UNCERTAIN_AFTER = timedelta(minutes=5)
#: How long the scheduler waits before it tries a failed address again.
RETRY_INTERVAL = timedelta(minutes=10)
#: Failures the scheduler retries by itself; the others need a person.
RETRIED = frozenset({"unreachable", "deferred", "unknown"})


def recipients_of(session: Session, dispatch: Dispatch) -> list[DispatchRecipient]:
    return list(
        session.exec(
            select(DispatchRecipient)
            .where(DispatchRecipient.dispatch_id == dispatch.id)
            .order_by(DispatchRecipient.position, DispatchRecipient.id)
        ).all()
    )


def reply_code(reply: str) -> str:
    """The failure code of one address the server refused: "deferred" for a 4xx reply
    (try again later), "refused" for a permanent one."""
    return "deferred" if reply.strip().startswith("4") else "refused"


def record_accepted(session: Session, row: DispatchRecipient, *, via: str) -> None:
    at = now()
    row.status, row.accepted_at = RecipientStatus.ACCEPTED, at
    row.served_on = at.astimezone(LOCAL_TZ).date()
    row.error_code = row.error_detail = row.next_retry_at = None
    audit.record(session, "dispatch.accepted", row, after={"email": row.email, "via": via})


def record_failed(session: Session, row: DispatchRecipient, code: str, detail: str) -> None:
    row.status, row.error_code, row.error_detail = RecipientStatus.FAILED, code, detail[:2000]
    row.next_retry_at = now() + RETRY_INTERVAL if code in RETRIED else None
    audit.record(
        session,
        "dispatch.refused",
        row,
        after={"email": row.email, "error": code, "detail": detail, "attempt": row.attempts},
    )


def settle(session: Session, dispatch: Dispatch, *, user=None) -> None:
    """Derive the message's status from its recipients and, when every recipient is
    served, complete the dispatch: the case becomes dispatched."""
    rows = recipients_of(session, dispatch)
    email = [r.status for r in rows if r.channel == Channel.EMAIL]
    for status in (RecipientStatus.SENDING, RecipientStatus.UNCERTAIN, RecipientStatus.FAILED):
        if status in email:
            dispatch.status = status
            break
    else:
        dispatch.status = (
            DispatchStatus.PENDING if RecipientStatus.PENDING in email else DispatchStatus.SENT
        )
    if dispatch.completed_at is None and rows and all(r.is_served for r in rows):
        _complete(session, dispatch, user=user)
    session.flush()


def _complete(session: Session, dispatch: Dispatch, *, user) -> None:
    dispatch.completed_at = now()
    case = session.get(Case, dispatch.case_id)
    actor = user or (session.get(User, dispatch.created_by_id) if dispatch.created_by_id else None)
    audit.record(session, "dispatch.completed", dispatch, case=case, actor=actor)
    if case.status != CaseStatus.DECIDED:
        return  # moved on meanwhile (closed, withdrawn, dispatched by another dispatch)
    try:
        apply_transition(session, case, "dispatch", user=actor, taken_by=DISPATCH)
    except CaseflowError as exc:  # e.g. the person who asked no longer has the right
        log.warning("dispatch %s complete, case %s kept its status: %s", dispatch.id, case.id, exc)


def effective_status(row: DispatchRecipient) -> str:
    """The status to show: one left "sending" too long is uncertain, whether or not the
    scheduler has marked it yet."""
    if row.status == RecipientStatus.SENDING and _stale(row):
        return RecipientStatus.UNCERTAIN
    return row.status


def _stale(row: DispatchRecipient) -> bool:
    return row.last_attempt_at is None or row.last_attempt_at < now() - UNCERTAIN_AFTER


def mark_uncertain(session: Session) -> int:
    """Mark recipients left "sending" by a process that stopped as uncertain; their
    dispatches too. The scheduler never sends an uncertain one again by itself."""
    rows = session.exec(
        select(DispatchRecipient).where(
            DispatchRecipient.status == RecipientStatus.SENDING,
            DispatchRecipient.last_attempt_at < now() - UNCERTAIN_AFTER,
        )
    ).all()
    for row in rows:
        row.status = RecipientStatus.UNCERTAIN
        audit.record(session, "dispatch.uncertain", row, after={"email": row.email})
    for dispatch_id in {r.dispatch_id for r in rows}:
        settle(session, session.get(Dispatch, dispatch_id))
    session.flush()
    return len(rows)


def mark_sent(session: Session, row: DispatchRecipient, *, user) -> None:
    """The registrar checked that an uncertain message did reach the mail server."""
    if effective_status(row) != RecipientStatus.UNCERTAIN:
        raise ValidationError(_l("Only a message whose fate is uncertain can be marked as sent."))
    at = row.last_attempt_at or now()
    row.status, row.accepted_at = RecipientStatus.ACCEPTED, at
    row.served_on = at.astimezone(LOCAL_TZ).date()
    dispatch = session.get(Dispatch, row.dispatch_id)
    audit.record(
        session,
        "dispatch.marked_sent",
        row,
        case=session.get(Case, dispatch.case_id),
        actor=user,
        after={"email": row.email, "served_on": row.served_on.isoformat()},
    )
    settle(session, dispatch, user=user)


def mark_posted(session: Session, row: DispatchRecipient, *, posted_on, user) -> None:
    """The letter to ``row`` was posted on ``posted_on``: the recipient is served."""
    if row.status != RecipientStatus.LETTER:
        raise ValidationError(_l("Only a letter waiting to be posted can be marked as posted."))
    if posted_on > today():
        raise ValidationError(_l("A letter cannot be posted in the future."))
    row.status, row.posted_on, row.served_on = RecipientStatus.POSTED, posted_on, posted_on
    row.posted_by_id = user.id if user is not None else None
    dispatch = session.get(Dispatch, row.dispatch_id)
    audit.record(
        session,
        "dispatch.posted",
        row,
        case=session.get(Case, dispatch.case_id),
        actor=user,
        after={"name": row.name, "posted_on": posted_on.isoformat()},
    )
    settle(session, dispatch, user=user)


#: The words a registrar reads for a recipient, by status and failure code.
FAILURES = {
    "unreachable": _l("The mail server could not be reached or did not take the message."),
    "deferred": _l("The mail server asked caseflow to try this address again later."),
    "login": _l(
        "The mail server did not accept caseflow's login. Ask the administrator to check "
        "the mail settings, then send it again."
    ),
    "outbox": _l(
        "No mail server is configured and the message could not be written to the outbox "
        "folder. Ask the administrator to check that caseflow may write there, then send it "
        "again."
    ),
    "invalid_address": _l(
        "The address cannot be used in an e-mail. Send the document as a letter instead."
    ),
    "unknown": _l("Sending failed."),
}

#: Why a server refused an address for good, by what its reply says.
REFUSALS = (
    (re.compile(r"^55[03]\b|\b5\.1\.[0-9]\b"), _l("the address is unknown to the mail server")),
    (re.compile(r"^552\b|\b5\.2\.2\b"), _l("the recipient's mailbox is full")),
    (re.compile(r"^554\b|\b5\.7\.[0-9]\b"), _l("the mail server does not accept mail from us")),
)


def _refusal(detail: str | None) -> str:
    for pattern, words in REFUSALS:
        if pattern.search(detail or ""):
            return str(words)
    return str(_l("the mail server refused it"))


def _clock(value) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%H:%M")


def _stamp(value) -> str:
    return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def describe(row: DispatchRecipient, *, via: str | None = None) -> str:
    """What a registrar reads about one recipient: what happened, and what happens next.
    Never the server's or the system's own text."""
    status = effective_status(row)
    if status == RecipientStatus.ACCEPTED:
        if via == "outbox":
            return str(_l("Written to the outbox folder (no mail server is configured)."))
        return str(_l("Sent: the mail server accepted it %(at)s.", at=_stamp(row.accepted_at)))
    if status == RecipientStatus.POSTED:
        return str(_l("Letter posted on %(date)s.", date=row.posted_on.isoformat()))
    if status == RecipientStatus.LETTER:
        return str(_l("Letter to print and post."))
    if status == RecipientStatus.PENDING:
        return str(_l("Waiting to be sent."))
    if status == RecipientStatus.SENDING:
        return str(_l("Being handed to the mail server."))
    if status == RecipientStatus.UNCERTAIN:
        return str(
            _l(
                "Uncertain: sending began %(at)s but caseflow does not know whether the mail "
                "server took it. Ask the administrator to check, then send it again or mark it "
                "as sent.",
                at=_stamp(row.last_attempt_at) if row.last_attempt_at else "–",
            )
        )
    if row.error_code == "refused":
        return str(
            _l(
                "Refused: %(reason)s. Check the address, or send the document as a letter.",
                reason=_refusal(row.error_detail),
            )
        )
    sentence = str(FAILURES.get(row.error_code, FAILURES["unknown"]))
    if row.next_retry_at is not None:
        return (
            sentence
            + " "
            + str(_l("Next automatic attempt at %(time)s.", time=_clock(row.next_retry_at)))
        )
    return sentence

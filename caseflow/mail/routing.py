"""Where a message goes: DESIGN.md's order, and when in doubt, the registrar's queue.

0. Our own mail is a Message-ID caseflow recorded as sent (a dispatch, a kallelse, an
   outgoing document) — never any Message-ID on a domain: colleagues write from it too.
1. Auto-replies (RFC 3834) are kept and trigger nothing; bounces, delays and receipts are
   matched to what we sent. Mailing-list mail is no auto-reply: it is routed.
2. Strong: a reply (not a forward) whose In-Reply-To/References names a Message-ID we sent
   for a case.
3. Strong: exactly one case number in the subject, and that case exists and is open.
4. Everything else, and any conflict between the signals, goes to the queue with
   suggestions: numbers in the body or forwarded blocks, numbers written another way
   (``RS-720-2021``, ``2021/720``), known counterparts' cases.
A wrong filing is worse than a queued mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, select

from caseflow.cases.models import Case, CaseParty, CaseStatus, Series
from caseflow.documents.models import Document
from caseflow.mail.models import MailStatus
from caseflow.mail.parsing import ParsedMessage
from caseflow.mail.reasons import Reason
from caseflow.meetings.dispatch_models import Dispatch
from caseflow.meetings.models import MeetingSummons


@dataclass
class Route:
    status: str
    reason: Reason
    case: Case | None = None
    suggestions: list[str] = field(default_factory=list)


# Built once: routing runs them for every message (see intake's note on the cost).
_DISPATCHED = select(Dispatch.case_id).where(
    Dispatch.message_id.in_(sa.bindparam("ids", expanding=True))
)
_SENT_DOCUMENT = select(Document.case_id).where(
    Document.message_id.in_(sa.bindparam("ids", expanding=True)),
    Document.direction == "outgoing",
)
#: Whether caseflow recorded a Message-ID as sent, and from which case: one round trip for
#: every message intake reads.
_SENT_BY_US = (
    sa.union_all(
        sa.select(Dispatch.case_id).where(Dispatch.message_id == sa.bindparam("mid")),
        sa.select(Document.case_id).where(
            Document.message_id == sa.bindparam("mid"), Document.direction == "outgoing"
        ),
        sa.select(sa.null().label("case_id")).where(
            MeetingSummons.message_id == sa.bindparam("mid")
        ),
    )
    .subquery()
    .select()
    .limit(1)
)
_BY_NUMBER = select(Case).where(Case.number.in_(sa.bindparam("numbers", expanding=True)))
#: The newest open cases with this counterpart; walks ix_case_party_email_case backwards.
_PARTY_CASES = (
    select(Case.number)
    .join(CaseParty, CaseParty.case_id == Case.id)
    .where(
        CaseParty.email == sa.bindparam("email"),
        Case.status.in_(CaseStatus.open_states()),
        Case.voided_at.is_(None),
    )
    .order_by(CaseParty.case_id.desc())
    .limit(5)
)


def _case_of_sent_message(session: Session, message_ids: list[str]) -> Case | None:
    """The case of a message we sent (an excerpt, an outgoing document), if any is named."""
    if not message_ids:
        return None
    case_id = session.exec(_DISPATCHED, params={"ids": message_ids}).first()
    if case_id is None:
        case_id = session.exec(_SENT_DOCUMENT, params={"ids": message_ids}).first()
    return session.get(Case, case_id) if case_id else None


def _existing(session: Session, numbers: list[str]) -> list[Case]:
    if not numbers:
        return []
    found = {c.number: c for c in session.exec(_BY_NUMBER, params={"numbers": numbers})}
    return [found[n] for n in numbers if n in found]


def _suggestions(session: Session, parsed: ParsedMessage) -> list[str]:
    """Numbers named in the body (forwarded blocks included), then known counterparts' cases."""
    numbers = [c.number for c in _existing(session, parsed.case_numbers_in_body)]
    # For a forward, the original sender's cases: not those of the colleague who forwarded.
    if parsed.forward is not None:
        sender = parsed.forward.original_from_address
    else:
        sender = parsed.from_address
    if sender:
        party_cases = session.exec(_PARTY_CASES, params={"email": sender.lower()}).all()
        numbers += [n for n in party_cases if n not in numbers]
    return numbers


def _is_our_own(session: Session, parsed: ParsedMessage) -> tuple[bool, Case | None]:
    """Mail caseflow sent (an excerpt or a kallelse reaching the shared mailbox as a
    recipient or Bcc): its Message-ID is one caseflow recorded as sent. Never a guess
    from the domain: MAIL_MESSAGE_ID_DOMAIN may be the authority's own mail domain."""
    if parsed.message_id_derived:
        return False, None
    sent = session.execute(_SENT_BY_US, {"mid": parsed.message_id}).first()
    if sent is None:
        return False, None
    return True, session.get(Case, sent.case_id) if sent.case_id else None


def _other_spellings(session: Session, parsed: ParsedMessage) -> list[str]:
    """Existing cases named in another spelling (``RS-720-2021``, ``2021/720``)."""
    numbers: list[str] = []
    for mention in parsed.other_numbers[:20]:
        query = select(Case.number).where(Case.seq == mention.seq, Case.year == mention.year)
        if mention.series is not None:
            query = query.join(Series, Series.id == Case.series_id).where(
                Series.code == mention.series
            )
        numbers += [n for n in session.exec(query.limit(5)).all() if n not in numbers]
    return numbers


def _notice(session: Session, parsed: ParsedMessage) -> Route:
    """A bounce, a delay or a receipt: matched to the mail it concerns, never filed."""
    case = _case_of_sent_message(session, [parsed.bounce_of] if parsed.bounce_of else [])
    status = {"bounce": MailStatus.BOUNCE, "delay": MailStatus.DELAYED}.get(
        parsed.kind, MailStatus.RECEIPT
    )
    code = {"bounce": "bounce", "delay": "delayed"}.get(parsed.kind, "receipt")
    reason = Reason(f"{code}_in_case", case=case.number) if case else Reason(f"{code}_unknown")
    return Route(status, reason, case=case)


def route(session: Session, parsed: ParsedMessage) -> Route:
    own, case = _is_our_own(session, parsed)
    if own:
        reason = Reason("own_mail_in_case", case=case.number) if case else Reason("own_mail")
        return Route(MailStatus.DUPLICATE, reason, case=case)
    if parsed.kind == "autoreply":
        return Route(MailStatus.AUTOREPLY, Reason("autoreply"))
    if parsed.kind in ("bounce", "delay", "receipt"):
        return _notice(session, parsed)

    #: What points at a case: "reply" (to mail we sent) and "subject" (its number there).
    signals: dict[str, Case] = {}
    if parsed.is_reply and parsed.forward is None:
        replied = _case_of_sent_message(
            session, [i for i in [parsed.in_reply_to, *parsed.references] if i]
        )
        if replied is not None:
            signals["reply"] = replied
    numbers = parsed.case_numbers_in_subject
    if len(numbers) > 1:
        return Route(
            MailStatus.QUEUED,
            Reason("several_numbers", numbers=numbers),
            suggestions=numbers,
        )
    if numbers:
        existing = _existing(session, numbers)
        if not existing:
            return Route(
                MailStatus.QUEUED,
                Reason("unknown_number", number=numbers[0]),
                suggestions=_suggestions(session, parsed),
            )
        signals["subject"] = existing[0]

    cases = {case.id: case for case in signals.values()}
    if len(cases) > 1:
        return Route(
            MailStatus.QUEUED,
            Reason(
                "conflicting_signals",
                reply=signals["reply"].number,
                subject=signals["subject"].number,
            ),
            suggestions=[c.number for c in cases.values()],
        )
    if len(cases) == 1:
        case = next(iter(cases.values()))
        if case.is_voided or case.status not in CaseStatus.open_states():
            return Route(
                MailStatus.QUEUED,
                Reason("case_not_open", case=case.number),
                suggestions=[case.number],
            )
        if "autoreply_subject" in parsed.flags:
            # "Frånvaro: …" with no header saying it is automatic: a person decides.
            return Route(
                MailStatus.QUEUED,
                Reason("looks_automatic", case=case.number),
                suggestions=[case.number],
            )
        why = next(iter(signals))
        code = "filed_reply" if why == "reply" else "filed_subject"
        return Route(MailStatus.FILED, Reason(code, case=case.number), case=case)
    suggestions = _suggestions(session, parsed)
    spelled = _other_spellings(session, parsed)
    if spelled:
        return Route(
            MailStatus.QUEUED,
            Reason("other_spelling", numbers=spelled),
            suggestions=spelled + [n for n in suggestions if n not in spelled],
        )
    code = "no_case_number" if parsed.forward is None else "forwarded_no_case_number"
    return Route(MailStatus.QUEUED, Reason(code), suggestions=suggestions)

"""Where a message goes: DESIGN.md's order, and when in doubt, the registrar's queue.

1. Auto-replies are kept and trigger nothing; bounces are matched to what we sent.
2. Strong: a reply (not a forward) whose In-Reply-To/References names a Message-ID we sent
   for a case.
3. Strong: exactly one case number in the subject, and that case exists and is open.
4. Everything else, and any conflict between the signals, goes to the queue with
   suggestions: numbers in the body or forwarded blocks, known counterparts' cases.
A wrong filing is worse than a queued mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlmodel import Session, select

from caseflow.cases.models import Case, CaseParty, CaseStatus
from caseflow.documents.models import Document
from caseflow.mail.models import MailStatus
from caseflow.mail.parsing import ParsedMessage
from caseflow.mail.reasons import Reason
from caseflow.meetings.models import Dispatch


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


def _is_our_own(parsed: ParsedMessage) -> bool:
    """Mail caseflow sent (an excerpt reaching the shared mailbox as a recipient or Bcc)."""
    domain = current_app.config.get("MAIL_MESSAGE_ID_DOMAIN") if has_app_context() else None
    if not domain or parsed.message_id_derived:
        return False
    return parsed.message_id.rstrip(">").lower().endswith("@" + domain.lower())


def route(session: Session, parsed: ParsedMessage) -> Route:
    if _is_our_own(parsed):
        case = _case_of_sent_message(session, [parsed.message_id])
        reason = Reason("own_mail_in_case", case=case.number) if case else Reason("own_mail")
        return Route(MailStatus.DUPLICATE, reason, case=case)
    if parsed.kind == "autoreply":
        return Route(MailStatus.AUTOREPLY, Reason("autoreply"))
    if parsed.kind == "bounce":
        case = _case_of_sent_message(session, [parsed.bounce_of] if parsed.bounce_of else [])
        reason = Reason("bounce_in_case", case=case.number) if case else Reason("bounce_unknown")
        return Route(MailStatus.BOUNCE, reason, case=case)

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
        why = next(iter(signals))
        code = "filed_reply" if why == "reply" else "filed_subject"
        return Route(MailStatus.FILED, Reason(code, case=case.number), case=case)
    suggestions = _suggestions(session, parsed)
    code = "no_case_number" if parsed.forward is None else "forwarded_no_case_number"
    return Route(MailStatus.QUEUED, Reason(code), suggestions=suggestions)

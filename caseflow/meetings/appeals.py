"""Recording an appeal (överklagande) that came in, its end, and a delegated decision's own
notice on the notice board. Each flushes and is audited on the case; the caller commits."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.cases.models import Case, CaseParty
from caseflow.common import audit
from caseflow.common.errors import NotFound, ValidationError
from caseflow.common.timeutil import today
from caseflow.documents.models import Document
from caseflow.meetings.appeal_models import Appeal, AppealEnd, AppealKind
from caseflow.meetings.delegation_models import DelegatedDecision
from caseflow.meetings.hooks import run_meeting_hooks
from caseflow.meetings.legal_force import CaseDecision, case_decision


def _clean(text: str | None, limit: int, message) -> str:
    cleaned = " ".join((text or "").split())
    if len(cleaned) > limit:
        raise ValidationError(message)
    return cleaned


def _check_day(day, earliest: date, too_early) -> None:
    if not isinstance(day, date):
        raise ValidationError(_l("Give the date."))
    if day > today():
        raise ValidationError(_l("The date cannot be in the future."))
    if day < earliest:
        raise ValidationError(too_early)


def appeals_of(session: Session, case: Case) -> list[Appeal]:
    """Every appeal recorded in ``case``, oldest first."""
    return list(
        session.exec(select(Appeal).where(Appeal.case_id == case.id).order_by(Appeal.id)).all()
    )


def incoming_documents(session: Session, case: Case) -> list[Document]:
    """The documents an appeal may be: the case's incoming ones, not voided."""
    docs = session.exec(
        select(Document)
        .where(Document.case_id == case.id, Document.direction == "incoming")
        .order_by(Document.seq)
    ).all()
    return [d for d in docs if not d.is_voided]


def record_appeal(
    session: Session,
    case: Case,
    *,
    kind: str,
    received_on: date,
    appellant: str | None = None,
    case_party_id: int | None = None,
    document_id: int | None = None,
    user,
) -> Appeal:
    """Record that an appeal against the case's decision came in: its clock stops."""
    decision: CaseDecision | None = case_decision(session, case)
    if decision is None:
        raise ValidationError(
            _l("%(number)s has no decision that can be appealed.", number=case.number)
        )
    if kind not in set(AppealKind):
        raise ValidationError(_l("Choose how the decision is appealed."))
    _check_day(
        received_on,
        decision.decided_on,
        _l("An appeal cannot have come in before the decision was made."),
    )
    party = session.get(CaseParty, case_party_id) if case_party_id else None
    if case_party_id and (party is None or party.case_id != case.id):
        raise ValidationError(_l("The appellant chosen is not a counterpart of this case."))
    name = _clean(appellant, 200, _l("The appellant's name may be at most 200 characters."))
    name = name or (party.label if party else "")
    if not name:
        raise ValidationError(_l("Give who appealed, or choose one of the counterparts."))
    document = session.get(Document, document_id) if document_id else None
    if document_id and document not in incoming_documents(session, case):
        raise ValidationError(_l("The document chosen is not an incoming document of this case."))
    appeal = Appeal(
        case_id=case.id,
        agenda_item_id=decision.item.id if decision.item else None,
        delegated_decision_id=decision.delegated.id if decision.delegated else None,
        kind=kind,
        appellant=name,
        case_party_id=party.id if party else None,
        received_on=received_on,
        document_id=document.id if document else None,
        created_by_id=getattr(user, "id", None),
    )
    session.add(appeal)
    session.flush()
    audit.record(
        session,
        "appeal.record",
        appeal,
        case=case,
        actor=user,
        after={
            "kind": kind,
            "appellant": name,
            "received_on": received_on.isoformat(),
            "document_id": appeal.document_id,
            "agenda_item_id": appeal.agenda_item_id,
            "delegated_decision_id": appeal.delegated_decision_id,
        },
    )
    return appeal


def get_appeal(session: Session, case: Case, appeal_id: int) -> Appeal:
    appeal = session.get(Appeal, appeal_id)
    if appeal is None or appeal.case_id != case.id:
        raise NotFound(_l("There is no such appeal in %(number)s.", number=case.number))
    return appeal


def end_appeal(
    session: Session,
    appeal: Appeal,
    *,
    how: str,
    ended_on: date,
    outcome: str | None = None,
    user,
) -> Appeal:
    """Record that the appeal was withdrawn (the clock runs on) or decided by the court."""
    if not appeal.is_open:
        raise ValidationError(_l("The appeal has already ended."))
    if how not in set(AppealEnd):
        raise ValidationError(_l("Choose how the appeal ended."))
    _check_day(
        ended_on,
        appeal.received_on,
        _l("An appeal cannot end before it came in."),
    )
    text = (outcome or "").replace("\r\n", "\n").strip()
    if len(text) > 2000:
        raise ValidationError(_l("The outcome may be at most 2000 characters."))
    if how == AppealEnd.DECIDED and not text:
        raise ValidationError(_l("Write what the court decided."))
    appeal.ended_on, appeal.ended_how, appeal.outcome = ended_on, how, text or None
    session.flush()
    audit.record(
        session,
        "appeal.end",
        appeal,
        case=session.get(Case, appeal.case_id),
        actor=user,
        after={"how": how, "ended_on": ended_on.isoformat(), "outcome": appeal.outcome},
    )
    return appeal


def record_delegated_notice(
    session: Session, decision: DelegatedDecision, *, posted_on: date, user
) -> DelegatedDecision:
    """Record that the delegated decision itself was posted on the notice board: its
    laglighetsprövning runs from that day (KL 13 kap. 5 §)."""
    if decision.notice_posted_on is not None:
        raise ValidationError(_l("The notice of this decision is already recorded."))
    _check_day(
        posted_on,
        decision.decided_on,
        _l("The notice cannot be posted before the decision was made."),
    )
    decision.notice_posted_on = posted_on
    session.flush()
    audit.record(
        session,
        "delegation.notice",
        decision,
        case=session.get(Case, decision.case_id),
        actor=user,
        after={"posted_on": posted_on.isoformat()},
    )
    # The notice board puts the notice up (caseflow.noticeboard).
    run_meeting_hooks(session, "delegated_notice_posted", decision, user=user)
    return decision

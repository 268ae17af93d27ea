"""The decision under each §: recorded and undone before justering, and which decisions
are final enough for an excerpt or a dispatch."""

from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.cases.models import Case, CaseStatus
from caseflow.cases.workflow import MEETING, apply_transition
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import now
from caseflow.meetings.models import (
    AgendaItem,
    DecidedBy,
    DecisionKind,
    Meeting,
)
from caseflow.meetings.paragraphs import when_text
from caseflow.meetings.state import before_change, decision_points, is_final
from caseflow.memos.services import get_memo


def proposal_points(session: Session, case: Case) -> list[str]:
    memo = get_memo(session, case)
    return [p.text for p in memo.points] if memo else []


def record_decision(
    session: Session,
    item: AgendaItem,
    *,
    kind: str,
    user,
    points: list[str] | None = None,
    immediately_attested: bool = False,
    correction_reason: str | None = None,
) -> AgendaItem:
    """Record what the body decided under a §; the case moves on accordingly."""
    meeting = item.meeting
    correcting = meeting.is_attested
    if correcting and not (correction_reason or "").strip():
        raise ValidationError(
            _l("The protocol is attested: a change is a correction and needs a reason.")
        )
    if not meeting.is_opened:
        raise ValidationError(
            _l(
                "The meeting begins %(when)s and has not been opened: decisions are "
                "recorded once it has begun.",
                when=when_text(meeting),
            )
        )
    if not item.has_case:
        raise ValidationError(_l("A § without a case has its text, not a decision of a case."))
    if not correcting:
        before_change(meeting, user)
    if kind not in set(DecisionKind):
        raise ValidationError(_l("Choose what was decided."))
    case = session.get(Case, item.case_id)
    if kind == DecisionKind.ADOPTED:
        points = proposal_points(session, case)
    elif kind in (DecisionKind.RETURNED, DecisionKind.TABLED):
        points = []  # nothing is decided in the matter itself
    points = [p.strip() for p in (points or []) if p and p.strip()]
    if kind in (DecisionKind.ADOPTED, DecisionKind.AMENDED) and not points:
        raise ValidationError(_l("The decision needs at least one point."))
    before = {"kind": item.decision_kind, "points": decision_points(item)}
    if not correcting:
        if item.decision_kind is not None:
            raise ValidationError(
                _l("§ %(paragraph)s already has a decision.", paragraph=item.paragraph)
            )
        action = {
            DecisionKind.ADOPTED: "decide",
            DecisionKind.AMENDED: "decide",
            DecisionKind.RETURNED: "refer_back",
            DecisionKind.TABLED: "table",
        }[kind]
        # The timeline's label says "referred back" in the reader's language; the comment
        # only names the paragraph, so nothing stored is in one language.
        comment = f"§ {item.paragraph}" if kind == DecisionKind.RETURNED else None
        apply_transition(session, case, action, user=user, comment=comment, taken_by=MEETING)
    item.decision_kind = kind
    item.decision_points = json.dumps(points, ensure_ascii=False) if points else None
    item.decided_by = item.decided_by or DecidedBy.ACCLAMATION
    item.is_immediately_attested = bool(immediately_attested)
    item.decided_at = now()
    session.flush()
    audit.record(
        session,
        "meeting.correct_decision" if correcting else "meeting.decision",
        meeting,
        case=case,
        actor=user,
        before=before,
        after={
            "paragraph": item.paragraph,
            "kind": kind,
            "points": points,
            "immediately_attested": item.is_immediately_attested,
            "reason": correction_reason,
        },
    )
    if correcting:  # the excerpts already registered get a new, sealed version
        from caseflow.meetings.reissue import reissue_excerpts

        reissue_excerpts(session, item, reason=correction_reason, user=user)
    return item


#: The state each decision leaves its case in: an undo needs the case still there.
_LEFT_IN = {
    DecisionKind.ADOPTED: CaseStatus.DECIDED,
    DecisionKind.AMENDED: CaseStatus.DECIDED,
    DecisionKind.TABLED: CaseStatus.APPROVED,
    DecisionKind.RETURNED: CaseStatus.IN_PREPARATION,
}


def undo_decision(session: Session, item: AgendaItem, *, reason: str, user) -> AgendaItem:
    """Undo a decision recorded by mistake, before justering: the case is back on the
    agenda of this meeting and the § waits for its decision."""
    meeting = item.meeting
    before_change(meeting, user)
    if item.decision_kind is None:
        raise ValidationError(_l("§ %(paragraph)s has no decision.", paragraph=item.paragraph))
    if item.is_immediately_attested:
        raise ValidationError(
            _l(
                "§ %(paragraph)s was declared immediately attested: it is corrected after "
                "justering, with a reason.",
                paragraph=item.paragraph,
            )
        )
    if not (reason or "").strip():
        raise ValidationError(_l("Give the reason."))
    case = session.get(Case, item.case_id)
    if case.status != _LEFT_IN[item.decision_kind]:
        raise ValidationError(
            _l(
                "%(number)s has moved on since the decision: it cannot be undone here.",
                number=case.number,
            )
        )
    apply_transition(
        session, case, "undo_decision", user=user, comment=reason.strip(), taken_by=MEETING
    )
    before = {
        "paragraph": item.paragraph,
        "kind": item.decision_kind,
        "points": decision_points(item),
    }
    item.decision_kind = None
    item.decision_points = None
    item.decided_by = None
    item.decided_at = None
    session.flush()
    audit.record(
        session,
        "meeting.undo_decision",
        meeting,
        case=case,
        actor=user,
        before=before,
        after={"reason": reason.strip()},
    )
    return item


def latest_decided_item(session: Session, case: Case) -> AgendaItem | None:
    """The case's latest § with a decision (adopted or amended)."""
    return session.exec(
        select(AgendaItem)
        .join(Meeting)
        .where(
            AgendaItem.case_id == case.id,
            AgendaItem.decision_kind.in_([DecisionKind.ADOPTED, DecisionKind.AMENDED]),
        )
        .order_by(Meeting.starts_at.desc(), AgendaItem.id.desc())
    ).first()


def exportable_items(meeting: Meeting) -> list[AgendaItem]:
    """The §§ of ``meeting`` an excerpt may be made of: decided, and attested."""
    return [item for item in meeting.items if item.decision_kind and is_final(item)]


def decision_is_final(session: Session, case: Case):
    """Guard of ``dispatch``: the decision's protocol is attested (or the § immediately)."""
    item = latest_decided_item(session, case)
    if item is not None and not is_final(item):
        return _l("The protocol is not attested: the decision cannot be dispatched yet.")
    return None

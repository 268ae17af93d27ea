"""The demo's generated cases walk their path through the real services, so that what
the demo shows is what caseflow itself would have made: an approved case has its memo
with proposal points, a case on an agenda has its meeting, a decided one its decision."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from caseflow.cases.models import Case, CaseStatus
from caseflow.cases.workflow import apply_transition
from caseflow.memos.services import MemoData, save_memo

#: The steps that bring a case from registered to each state (meetings come later).
_PATH = {
    CaseStatus.REGISTERED: (),
    CaseStatus.IN_PREPARATION: ("start",),
    CaseStatus.IN_REVIEW: ("start", "memo", "submit"),
    CaseStatus.APPROVED: ("start", "memo", "submit", "approve"),
    CaseStatus.ON_AGENDA: ("start", "memo", "submit", "approve"),
    CaseStatus.DECIDED: ("start", "memo"),
    CaseStatus.DISPATCHED: ("start", "memo", "submit", "approve"),
    CaseStatus.CLOSED: ("start", "memo"),
    CaseStatus.WITHDRAWN: ("start",),
}


def demo_memo(case: Case, official, manager, *, body: str = "Regionstyrelsen") -> MemoData:
    """A short memo for a generated case, with one proposal point."""
    topic = case.public_title if case.title_is_secret else case.title
    return MemoData(
        memo_date=case.opened_on + timedelta(days=10),
        title=topic,
        unit=official.unit.name if official.unit else None,
        officer_name=official.name,
        officer_email=official.email,
        decision_body=body,
        proposer="Regiondirektören",
        description=f"Ärendet gäller {topic[0].lower()}{topic[1:]}.",
        points=[f"{body} beslutar i enlighet med förvaltningens förslag i ärendet."],
        signatories=[(manager.name, "Regiondirektör")],
        # "Utdrag till": the counterpart (by post) and the official (by e-mail).
        recipients=[
            *((None, p.organisation, None) for p in case.parties if p.organisation),
            (official.name, official.unit.name if official.unit else None, official.email),
        ],
    )


def walk(session: Session, case: Case, target: str, *, official, manager) -> None:
    """Take ``case`` through the steps towards ``target`` that need no meeting."""
    for step in _PATH[target]:
        if step == "memo":
            memo = demo_memo(case, official, manager)
            save_memo(session, case, memo, expected_version=case.version, user=official)
        elif step == "approve":
            apply_transition(session, case, "approve", user=manager)
        else:
            apply_transition(session, case, step, user=official)
    if target == CaseStatus.WITHDRAWN:
        apply_transition(
            session,
            case,
            "withdraw",
            user=official,
            comment="Sökanden har återkallat sin ansökan.",
        )

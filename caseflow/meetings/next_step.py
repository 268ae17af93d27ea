"""The meeting's word in the case page's "Next step" box (see caseflow.cases.next_step).

A case on an agenda is decided at that meeting; a decided case waits for the protocol's
justering, then its excerpt is dispatched. Delegated decisions have no §: the generic
text of cases says their step.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.meetings.attestation import deadlines_of
from caseflow.meetings.decisions import latest_decided_item
from caseflow.meetings.dispatch_models import Dispatch
from caseflow.meetings.models import AgendaItem, Meeting
from caseflow.meetings.state import is_final, meeting_date


def _pending_item(session: Session, case: Case) -> AgendaItem | None:
    """The § the case waits on: on an agenda and not yet decided, the latest meeting first."""
    return session.exec(
        select(AgendaItem)
        .join(Meeting)
        .where(AgendaItem.case_id == case.id, AgendaItem.decision_kind.is_(None))
        .order_by(Meeting.starts_at.desc(), AgendaItem.id.desc())
    ).first()


def _dispatch_under_way(session: Session, item: AgendaItem) -> bool:
    found = session.exec(
        select(Dispatch.id).where(
            Dispatch.agenda_item_id == item.id, Dispatch.completed_at.is_(None)
        )
    ).first()
    return found is not None


def on_agenda_step(session: Session, case: Case) -> str | None:
    """ "Regionstyrelsen decides the case at its meeting on 2021-11-24"."""
    item = _pending_item(session, case)
    if item is None:
        return None
    meeting = item.meeting
    return _l(
        "%(organ)s decides the case at its meeting on %(date)s.",
        organ=meeting.organ.name,
        date=meeting_date(meeting).isoformat(),
    )


def decided_step(session: Session, case: Case) -> str | None:
    """Justering first (with its due date), then dispatch; None for a delegated decision."""
    item = latest_decided_item(session, case)
    if item is None:
        return None
    if is_final(item):
        if _dispatch_under_way(session, item):
            return _l(
                "The excerpt is being dispatched: the case becomes dispatched when every "
                "recipient is served. The meeting's page shows each recipient."
            )
        return _l("The protocol is attested: a registrar or a manager dispatches the excerpt.")
    return _l(
        "The protocol is attested (due %(date)s), then a registrar or a manager dispatches "
        "the excerpt.",
        date=deadlines_of(item.meeting).attestation_due.isoformat(),
    )


def dispatched_step(session: Session, case: Case) -> str | None:
    """Until its decision has legal force, a dispatched case waits for it (or for the
    court); None once it has, leaving the word to the generic "closes the case"."""
    from caseflow.meetings.legal_force import State, case_decision, decision_legal_force
    from caseflow.meetings.legal_force_text import AWAITING_LABELS

    decision = case_decision(session, case)
    if decision is None:
        return None
    found = decision_legal_force(session, decision)
    if found.state == State.APPEALED:
        return _l(
            "The decision is appealed: a registrar or a manager records the court's outcome "
            "under Legal force, then the case is closed."
        )
    if found.state == State.RUNNING:
        return _l(
            "The decision gains legal force on %(date)s unless it is appealed; then the case "
            "is closed.",
            date=found.on.isoformat(),
        )
    if found.state == State.PENDING:
        awaited = dict.fromkeys(found.awaiting)
        return _l(
            "The case is closed once the decision has gained legal force, which is known "
            "%(awaiting)s.",
            awaiting=", ".join(str(AWAITING_LABELS[a]) for a in awaited),
        )
    return None

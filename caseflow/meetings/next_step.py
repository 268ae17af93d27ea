"""The meeting's word in the case page's "Next step" box (see caseflow.cases.next_step).

A case on an agenda is decided at that meeting; a decided case waits for the protocol's
justering, then its excerpt is dispatched. Delegated decisions have no §: the generic
text of cases says their step.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.meetings.models import AgendaItem, Meeting
from caseflow.meetings.services import deadlines_of, is_final, latest_decided_item, meeting_date


def _pending_item(session: Session, case: Case) -> AgendaItem | None:
    """The § the case waits on: on an agenda and not yet decided, the latest meeting first."""
    return session.exec(
        select(AgendaItem)
        .join(Meeting)
        .where(AgendaItem.case_id == case.id, AgendaItem.decision_kind.is_(None))
        .order_by(Meeting.starts_at.desc(), AgendaItem.id.desc())
    ).first()


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
        return _l("The protocol is attested: a registrar or a manager dispatches the excerpt.")
    return _l(
        "The protocol is attested (due %(date)s), then a registrar or a manager dispatches "
        "the excerpt.",
        date=deadlines_of(item.meeting).attestation_due.isoformat(),
    )

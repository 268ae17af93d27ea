"""A decision's legal force in words: the meeting page's line per §, the periods, appeals."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.common import projection
from caseflow.meetings.appeal_models import Appeal, AppealEnd, AppealKind
from caseflow.meetings.legal_force import (
    AppealPeriod,
    Awaiting,
    LegalForce,
    State,
    item_legal_force,
)
from caseflow.meetings.models import Meeting

APPEAL_KIND_LABELS = {
    AppealKind.LEGALITY: _l("Laglighetsprövning (KL 13 kap. 5 §)"),
    AppealKind.ADMINISTRATIVE: _l("Förvaltningsbesvär (FL 44 §)"),
}

AWAITING_LABELS = {
    Awaiting.NOTICE: _l("when the notice of the protocol's attestation has been posted"),
    Awaiting.REPORT: _l(
        "when the decision has been reported to the body and the notice of that protocol "
        "has been posted"
    ),
    Awaiting.SERVICE: _l("when the party has been notified of the decision"),
}

APPEAL_END_LABELS = {
    AppealEnd.WITHDRAWN: _l("Withdrawn"),
    AppealEnd.DECIDED: _l("Decided by the court"),
}


def summary(legal_force: LegalForce) -> str:
    """One line: "Gains legal force on 2026-02-03", "Appealed", …"""
    if legal_force.state == State.APPEALED:
        return str(_l("Appealed: the decision does not gain legal force while it is tried."))
    if legal_force.state == State.FINAL:
        return str(_l("Gained legal force on %(date)s.", date=legal_force.on.isoformat()))
    if legal_force.state == State.RUNNING:
        return str(
            _l(
                "Gains legal force on %(date)s unless it is appealed.",
                date=legal_force.on.isoformat(),
            )
        )
    awaited = list(dict.fromkeys(legal_force.awaiting))
    return str(
        _l(
            "The day it gains legal force is not known yet: %(awaiting)s.",
            awaiting=", ".join(str(AWAITING_LABELS[a]) for a in awaited),
        )
    )


def short(legal_force: LegalForce | None) -> str | None:
    """The meeting page's small line under a §: "Vinner laga kraft 2026-…" or "Överklagat"."""
    if legal_force is None:
        return None
    if legal_force.state == State.APPEALED:
        return str(_l("Appealed"))
    if legal_force.state == State.FINAL:
        return str(_l("Gained legal force %(date)s", date=legal_force.on.isoformat()))
    if legal_force.state == State.RUNNING:
        return str(_l("Gains legal force %(date)s", date=legal_force.on.isoformat()))
    return str(_l("Legal force: not known yet"))


def period_line(p: AppealPeriod) -> str:
    label = str(APPEAL_KIND_LABELS[p.kind])
    if p.party:
        label = f"{label}, {p.party}"
    if p.ends_on is None:
        return f"{label}: {AWAITING_LABELS[p.awaiting]}"
    return str(
        _l(
            "%(period)s: from %(start)s, ends %(end)s",
            period=label,
            start=p.runs_from.isoformat(),
            end=p.ends_on.isoformat(),
        )
    )


def is_late(appeal: Appeal, legal_force: LegalForce) -> bool:
    """Whether the appeal came in after every period of its kind had ended."""
    ends = [p.ends_on for p in legal_force.periods if p.kind == appeal.kind]
    return bool(ends) and all(e is not None and appeal.received_on > e for e in ends)


def appeal_line(appeal: Appeal, legal_force: LegalForce) -> str:
    line = str(
        _l(
            "%(kind)s by %(appellant)s, received %(date)s",
            kind=APPEAL_KIND_LABELS[appeal.kind],
            appellant=appeal.appellant,
            date=appeal.received_on.isoformat(),
        )
    )
    if is_late(appeal, legal_force):
        line += " " + str(_l("(received after the appeal period ended)"))
    if appeal.ended_on is not None:
        line += " – " + str(
            _l(
                "%(how)s %(date)s",
                how=APPEAL_END_LABELS[appeal.ended_how],
                date=appeal.ended_on.isoformat(),
            )
        )
        if appeal.outcome:
            line += f": {appeal.outcome}"
    return line


def page_context(session: Session, meeting: Meeting) -> dict:
    """The meeting page's line per § (see meetings/show.html)."""
    return {
        "legal_force": {
            item.id: short(item_legal_force(session, item, audience=projection.Audience.HOLDER))
            for item in meeting.items
        }
    }

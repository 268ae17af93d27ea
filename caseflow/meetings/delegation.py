"""The delegationsordning: which decisions a body has delegated to whom, and the report
of the decisions taken under it to the body (anmälan av delegationsbeslut).

A decision taken under a delegation is made in :mod:`caseflow.meetings.delegated_decisions`.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.cases.models import Case
from caseflow.common import audit
from caseflow.common.errors import NotFound, ValidationError
from caseflow.meetings import agenda_items, state
from caseflow.meetings.delegation_models import DelegatedDecision, Delegation
from caseflow.meetings.excerpts import excerpt_title
from caseflow.meetings.models import AgendaItem, ItemKind, Meeting, Organ
from caseflow.memos.services import get_memo

#: The heading of the § that reports the delegated decisions to the body.
REPORT_TITLE = "Anmälan av delegationsbeslut"


def _text(value: str | None, limit: int, what, *, required: bool = False) -> str | None:
    value = (value or "").replace("\r\n", "\n").strip()
    if not value:
        if required:
            raise ValidationError(_l("Give %(what)s.", what=what))
        return None
    if len(value) > limit:
        raise ValidationError(
            _l("%(field)s may be at most %(limit)s characters long.", field=what, limit=limit)
        )
    return value


def _check(
    session: Session,
    organ: Organ,
    *,
    code: str,
    valid_from: date | None,
    valid_to: date | None,
    same: Delegation | None = None,
) -> None:
    if not isinstance(valid_from, date):
        raise ValidationError(_l("Give the first day the delegation is valid."))
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError(_l("A delegation cannot end before it begins."))
    clash = session.exec(
        select(Delegation).where(
            Delegation.organ_id == organ.id,
            Delegation.is_active,
            sa.func.lower(Delegation.code) == code.lower(),
        )
    ).all()
    if any(other.id != (same.id if same else None) for other in clash):
        raise ValidationError(
            _l(
                "%(organ)s already has a delegation with the number %(code)s.",
                organ=organ.name,
                code=code,
            )
        )


def delegation_values(delegation: Delegation) -> dict:
    """The delegation as plain data (CLI, audit)."""
    return {
        "id": delegation.id,
        "organ": delegation.organ.name if delegation.organ else None,
        "code": delegation.code,
        "matter": delegation.matter,
        "delegate": delegation.delegate,
        "limits": delegation.limits,
        "resting_on": delegation.resting_on,
        "valid_from": delegation.valid_from.isoformat(),
        "valid_to": delegation.valid_to.isoformat() if delegation.valid_to else None,
        "is_active": delegation.is_active,
    }


def _cleaned(
    *, code, matter, delegate, resting_on, limits, valid_from, valid_to
) -> dict[str, object]:
    return {
        "code": _text(code, 20, _l("the number in the delegationsordning"), required=True),
        "matter": _text(matter, 500, _l("the kind of decision delegated"), required=True),
        "delegate": _text(delegate, 200, _l("to whom it is delegated"), required=True),
        "resting_on": _text(
            resting_on, 200, _l("the body's decision the delegation rests on"), required=True
        ),
        "limits": _text(limits, 5000, _l("the limits")),
        "valid_from": valid_from,
        "valid_to": valid_to,
    }


def add_delegation(
    session: Session,
    organ: Organ,
    *,
    code: str,
    matter: str,
    delegate: str,
    resting_on: str,
    limits: str | None = None,
    valid_from: date,
    valid_to: date | None = None,
    user=None,
) -> Delegation:
    """Add a line to ``organ``'s delegationsordning."""
    values = _cleaned(
        code=code,
        matter=matter,
        delegate=delegate,
        resting_on=resting_on,
        limits=limits,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    _check(session, organ, code=values["code"], valid_from=valid_from, valid_to=valid_to)
    delegation = Delegation(organ_id=organ.id, **values)
    session.add(delegation)
    session.flush()
    session.refresh(delegation)
    audit.record(
        session, "delegation.create", delegation, actor=user, after=delegation_values(delegation)
    )
    return delegation


def update_delegation(
    session: Session,
    delegation: Delegation,
    *,
    code: str,
    matter: str,
    delegate: str,
    resting_on: str,
    limits: str | None = None,
    valid_from: date,
    valid_to: date | None = None,
    user=None,
) -> Delegation:
    """Change a line of the delegationsordning; decisions taken under it keep pointing at it."""
    before = delegation_values(delegation)
    values = _cleaned(
        code=code,
        matter=matter,
        delegate=delegate,
        resting_on=resting_on,
        limits=limits,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    if delegation.is_active:
        _check(
            session,
            delegation.organ,
            code=values["code"],
            valid_from=valid_from,
            valid_to=valid_to,
            same=delegation,
        )
    elif valid_to is not None and isinstance(valid_from, date) and valid_to < valid_from:
        raise ValidationError(_l("A delegation cannot end before it begins."))
    for name, value in values.items():
        setattr(delegation, name, value)
    session.flush()
    audit.record(
        session,
        "delegation.update",
        delegation,
        actor=user,
        before=before,
        after=delegation_values(delegation),
    )
    return delegation


def deactivate_delegation(session: Session, delegation: Delegation, *, user=None) -> Delegation:
    """Take a line out of use; it stays in the register, as do the decisions taken under it."""
    if not delegation.is_active:
        raise ValidationError(_l("The delegation is already out of use."))
    delegation.is_active = False
    session.flush()
    audit.record(
        session,
        "delegation.deactivate",
        delegation,
        actor=user,
        before={"is_active": True},
        after={"is_active": False},
    )
    return delegation


def delegations_of(session: Session, organ: Organ) -> list[Delegation]:
    """Every line of ``organ``'s delegationsordning, those in use first, by number."""
    rows = session.exec(select(Delegation).where(Delegation.organ_id == organ.id)).all()
    return sorted(rows, key=lambda d: (not d.is_active, _code_key(d.code), d.id))


def all_delegations(session: Session) -> list[Delegation]:
    """Every body's delegationsordning, body by body."""
    organs = session.exec(select(Organ).order_by(Organ.name)).all()
    return [d for organ in organs for d in delegations_of(session, organ)]


def _code_key(code: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


def is_valid_on(delegation: Delegation, day: date) -> bool:
    return (
        delegation.is_active
        and delegation.valid_from <= day
        and (delegation.valid_to is None or day <= delegation.valid_to)
    )


def delegations_for(session: Session, organ: Organ | None, day: date) -> list[Delegation]:
    """The delegations in use and valid on ``day``: ``organ``'s, or every body's (None)."""
    query = select(Delegation).where(Delegation.is_active)
    if organ is not None:
        query = query.where(Delegation.organ_id == organ.id)
    rows = [d for d in session.exec(query).all() if is_valid_on(d, day)]
    return sorted(rows, key=lambda d: (d.organ_id, _code_key(d.code), d.id))


def get_delegation(session: Session, delegation_id: int | None) -> Delegation:
    delegation = session.get(Delegation, delegation_id) if delegation_id else None
    if delegation is None:
        raise NotFound(_l("There is no such delegation."))
    return delegation


# --- anmälan av delegationsbeslut ------------------------------------------------------


def unreported_decisions(session: Session, meeting: Meeting) -> list[DelegatedDecision]:
    """The body's delegated decisions taken on or before the meeting's day, not yet reported."""
    return list(
        session.exec(
            select(DelegatedDecision)
            .join(Delegation, Delegation.id == DelegatedDecision.delegation_id)
            .where(
                Delegation.organ_id == meeting.organ_id,
                DelegatedDecision.reported_item_id.is_(None),
                DelegatedDecision.decided_on <= state.meeting_date(meeting),
            )
            .order_by(DelegatedDecision.decided_on, DelegatedDecision.id)
        ).all()
    )


def report_line(session: Session, decision: DelegatedDecision) -> str:
    """One decision as the § lists it; the title as it may be published."""
    case = session.get(Case, decision.case_id)
    delegation = decision.delegation
    title = excerpt_title(case, get_memo(session, case))
    return (
        f"{case.number} {title}. Beslut {decision.decided_on.isoformat()} enligt punkt "
        f"{delegation.code} ({delegation.matter}), {decision.decided_by_name}."
    )


def report_delegated_decisions(session: Session, meeting: Meeting, *, user) -> AgendaItem:
    """Add the § "Anmälan av delegationsbeslut" listing the decisions not yet reported."""
    if meeting.is_attested:
        raise ValidationError(_l("The protocol is attested; the agenda can no longer change."))
    decisions = unreported_decisions(session, meeting)
    if not decisions:
        raise ValidationError(
            _l(
                "There are no delegated decisions of %(organ)s to report up to %(date)s.",
                organ=meeting.organ.name,
                date=state.meeting_date(meeting).isoformat(),
            )
        )
    body = "\n".join(report_line(session, d) for d in decisions)
    item = agenda_items.add_item(
        session,
        meeting,
        kind=ItemKind.DELEGATION_REPORT,
        title=REPORT_TITLE,
        body=body,
        user=user,
    )
    for decision in decisions:
        decision.reported_item_id = item.id
    session.flush()
    audit.record(
        session,
        "delegation.report",
        meeting,
        actor=user,
        after={"item_id": item.id, "decisions": [d.id for d in decisions]},
    )
    return item


def page_context(session: Session, meeting: Meeting) -> dict:
    """What the meeting page's delegation section needs."""
    if meeting.is_attested:
        return {"delegation_unreported": []}
    return {
        "delegation_unreported": [
            report_line(session, d) for d in unreported_decisions(session, meeting)
        ]
    }

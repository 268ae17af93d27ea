"""The scheduler's daily look at decisions: which gained legal force, and telling the
secretary.

Each decision that has gained legal force is recorded once (a ``LegalForceNotice``, with
an audit event on its case's timeline), then its meeting's secretary gets one e-mail a run
listing the decisions. The record is committed before the mail is sent and the mail
claimed before it leaves: a second run records nothing twice and repeats no mail; a mail
the server refused is tried again on the next run.

The secretary is the meeting's secretary as a user: an enabled manager with that name.
When no user has it (a name typed differently), every enabled manager is told, so the
reminder is never lost. A delegated decision reported to no meeting goes to its case's
officer.
"""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.auth.models import Role, User
from caseflow.cases.models import Case
from caseflow.common import audit, projection
from caseflow.common.counters import insert_ignoring_conflict
from caseflow.common.mailer import MailNotSent, default_sender, render_body, send
from caseflow.common.timeutil import local, now
from caseflow.db import get_engine, new_session
from caseflow.meetings.appeal_models import LegalForceNotice
from caseflow.meetings.delegation_models import DelegatedDecision
from caseflow.meetings.legal_force import (
    FINAL_KINDS,
    CaseDecision,
    State,
    decision_legal_force,
)
from caseflow.meetings.models import AgendaItem, Meeting, MeetingStatus


def waiting_decisions(session: Session) -> list[CaseDecision]:
    """Decisions that may have gained legal force and are not recorded as having done so:
    §§ of attested protocols whose notice is posted, and delegated decisions with a notice
    or a report."""
    notice = LegalForceNotice.__table__.c
    items = session.exec(
        select(AgendaItem)
        .join(Meeting)
        .outerjoin(LegalForceNotice, notice.agenda_item_id == AgendaItem.id)
        .where(
            Meeting.status == MeetingStatus.ATTESTED,
            Meeting.notice_posted_on.is_not(None),
            AgendaItem.case_id.is_not(None),
            AgendaItem.decision_kind.in_(FINAL_KINDS),
            notice.id.is_(None),
        )
        .order_by(AgendaItem.id)
    ).all()
    delegated = session.exec(
        select(DelegatedDecision)
        .outerjoin(LegalForceNotice, notice.delegated_decision_id == DelegatedDecision.id)
        .where(
            sa.or_(
                DelegatedDecision.notice_posted_on.is_not(None),
                DelegatedDecision.reported_item_id.is_not(None),
            ),
            notice.id.is_(None),
        )
        .order_by(DelegatedDecision.id)
    ).all()
    return [CaseDecision(item=i) for i in items] + [CaseDecision(delegated=d) for d in delegated]


def record_legal_force(session: Session, day: date) -> int:
    """Record each decision that has gained legal force by ``day``; how many were new."""
    recorded = 0
    for decision in waiting_decisions(session):
        found = decision_legal_force(session, decision, day)
        if found.state != State.FINAL:
            continue
        item, delegated = decision.item, decision.delegated
        case_id = item.case_id if item else delegated.case_id
        key = "agenda_item_id" if item else "delegated_decision_id"
        values = {
            "case_id": case_id,
            key: (item or delegated).id,
            "final_on": found.on,
            "recorded_at": now(),
        }
        if not insert_ignoring_conflict(session, LegalForceNotice.__table__, values, [key]):
            continue
        audit.record(
            session,
            "decision.legal_force",
            item or delegated,
            case=session.get(Case, case_id),
            after={"final_on": found.on.isoformat()},
        )
        recorded += 1
    session.flush()
    return recorded


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _meeting_of(session: Session, notice: LegalForceNotice) -> Meeting | None:
    if notice.agenda_item_id is not None:
        return session.get(AgendaItem, notice.agenda_item_id).meeting
    decision = session.get(DelegatedDecision, notice.delegated_decision_id)
    item = session.get(AgendaItem, decision.reported_item_id) if decision.reported_item_id else None
    return item.meeting if item is not None else None


def secretaries(session: Session, notice: LegalForceNotice) -> list[User]:
    """Who is told that the decision of ``notice`` gained legal force."""
    managers = list(
        session.exec(
            select(User).where(User.is_enabled, User.role == Role.MANAGER).order_by(User.id)
        ).all()
    )
    meeting = _meeting_of(session, notice)
    if meeting is not None:
        named = [u for u in managers if _same_name(u.name, meeting.secretary)]
        return named or managers
    case = session.get(Case, notice.case_id)
    officer = session.get(User, case.officer_id) if case.officer_id else None
    return [officer] if officer is not None and officer.is_enabled else managers


def notice_line(session: Session, notice: LegalForceNotice) -> str:
    """ "RS/720/2021 Title, Regionstyrelsen 2026-01-14 § 12: gained legal force on …"."""
    case = session.get(Case, notice.case_id)
    title = f"{case.number} {projection.case_title(case, projection.EMAIL)}"
    if notice.agenda_item_id is not None:
        item = session.get(AgendaItem, notice.agenda_item_id)
        where = (
            f"{item.meeting.organ.name} {local(item.meeting.starts_at).date().isoformat()} "
            f"§ {item.paragraph}"
        )
    else:
        where = str(_l("delegated decision"))
    return str(
        _l(
            "%(case)s, %(where)s: gained legal force on %(date)s",
            case=title,
            where=where,
            date=notice.final_on.isoformat(),
        )
    )


def _message(users: list[User], day: date, lines: list[str]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = default_sender()
    message["To"] = ", ".join(u.email for u in users)
    message["Subject"] = str(
        _l("caseflow: decisions that gained legal force %(day)s", day=day.isoformat())
    )
    message["Auto-Submitted"] = "auto-generated"
    name = ", ".join(u.name for u in users)
    message.set_content(render_body("digest.txt", name=name, lines=lines))
    return message


def _claim(session: Session, ids: list[int]) -> None:
    table = LegalForceNotice.__table__
    session.execute(sa.update(table).where(table.c.id.in_(ids)).values(mailed_at=now()))


def tell_secretaries(session: Session, day: date) -> dict[str, int]:
    """Mail each secretary the decisions not yet told; each group claimed before it is sent."""
    counts = {"sent": 0, "failed": 0}
    waiting = session.exec(
        select(LegalForceNotice)
        .where(LegalForceNotice.mailed_at.is_(None))
        .order_by(LegalForceNotice.id)
    ).all()
    groups: dict[tuple[int, ...], list[LegalForceNotice]] = {}
    people: dict[tuple[int, ...], list[User]] = {}
    for notice in waiting:
        users = secretaries(session, notice)
        key = tuple(u.id for u in users)
        groups.setdefault(key, []).append(notice)
        people[key] = users
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for key, notices in groups.items():
            if not key:
                continue  # nobody to tell (no manager at all): tried again tomorrow
            ids = [n.id for n in notices]
            message = _message(people[key], day, [notice_line(session, n) for n in notices])
            _claim(session, ids)
            session.commit()
            try:
                send(message)
            except MailNotSent:
                table = LegalForceNotice.__table__
                session.execute(sa.update(table).where(table.c.id.in_(ids)).values(mailed_at=None))
                session.commit()
                counts["failed"] += 1
            else:
                counts["sent"] += 1
    return counts


def remind_legal_force(day: date) -> dict[str, int]:
    """The scheduler's job: record what gained legal force by ``day``, then tell."""
    session = new_session(get_engine(), write=True)
    try:
        recorded = record_legal_force(session, day)
        session.commit()
        return {"recorded": recorded, **tell_secretaries(session, day)}
    finally:
        session.close()

"""The audit page's events: filtered, paged newest first, and told as each reader may see
them (before and after values only as :func:`projection.audit_values_visible` allows).

The page and its export (CSV or XLSX, through :mod:`caseflow.common.export`) share this
module, so the export never shows more than the page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import Flask
from flask_babel import gettext as _
from sqlmodel import Session, select

from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cases.queries import Page
from caseflow.cases.services import get_case_by_number
from caseflow.common import corrections, export, projection
from caseflow.common.audit import action_labels, actor_name, record
from caseflow.common.errors import CaseflowError
from caseflow.common.models import AuditEvent
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.documents.models import Document
from caseflow.parties.models import Party


@dataclass
class AuditFilter:
    actor_id: int | None = None
    case_number: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class EventRow:
    """One event as the reader may see it."""

    seq: int
    at: datetime
    actor: str
    action: str
    label: str
    case_number: str | None
    object: str
    #: The before and after values as recorded, or the secrecy mask.
    before: str | None
    after: str | None
    is_masked: bool


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, LOCAL_TZ)


def filtered(session: Session, filters: AuditFilter):
    """The events that match, as a statement (no order): an unknown case matches none."""
    stmt = select(AuditEvent)
    if filters.actor_id:
        stmt = stmt.where(AuditEvent.actor_id == filters.actor_id)
    if filters.case_number:
        try:
            case = get_case_by_number(session, filters.case_number)
        except CaseflowError:
            return stmt.where(sa.false())
        stmt = stmt.where(AuditEvent.case_id == case.id)
    if filters.action:
        stmt = stmt.where(AuditEvent.action == filters.action)
    if filters.date_from:
        stmt = stmt.where(AuditEvent.at >= _day_start(filters.date_from))
    if filters.date_to:
        stmt = stmt.where(AuditEvent.at < _day_start(filters.date_to + timedelta(days=1)))
    return stmt


def list_events(session: Session, filters: AuditFilter, page: int, per_page: int) -> Page:
    """One page of events, newest first, with the total for paging."""
    page = max(1, page)
    stmt = filtered(session, filters)
    total = session.exec(select(sa.func.count()).select_from(stmt.subquery())).one()
    items = session.exec(
        stmt.order_by(AuditEvent.seq.desc()).offset((page - 1) * per_page).limit(per_page)
    ).all()
    return Page(list(items), total, page, per_page)


def count_events(session: Session, filters: AuditFilter) -> int:
    stmt = filtered(session, filters)
    return session.exec(select(sa.func.count()).select_from(stmt.subquery())).one()


def all_events(session: Session, filters: AuditFilter) -> list[AuditEvent]:
    return list(session.exec(filtered(session, filters).order_by(AuditEvent.seq.desc())).all())


def kinds(session: Session, app: Flask) -> list[tuple[str, str]]:
    """(code, name) of every kind of event there is: the registered ones by their labels,
    and those in the trail without one (an older kind) by their code; sorted by name."""
    labels = {code: str(label) for code, label in action_labels(app).items()}
    recorded = session.exec(select(AuditEvent.action).distinct()).all()
    for code in recorded:
        labels.setdefault(code, code)
    return sorted(labels.items(), key=lambda pair: pair[1].casefold())


def _by_id(session: Session, model, ids) -> dict:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {row.id: row for row in session.exec(select(model).where(model.id.in_(ids))).all()}


def _values_text(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return json.dumps(json.loads(raw), ensure_ascii=False, sort_keys=True)
    except ValueError:
        return raw


def present(session: Session, app: Flask, events: list[AuditEvent], viewer) -> list[EventRow]:
    """The events as ``viewer`` may read them: secret values masked (the case's, the
    document's, a protected person's), corrections told with their secrets masked."""
    cases = _by_id(session, Case, [e.case_id for e in events])
    docs = _by_id(session, Document, [e.object_id for e in events if e.object_type == "document"])
    parties = _by_id(session, Party, [e.object_id for e in events if e.object_type == "party"])
    users = _by_id(session, User, [e.actor_id for e in events])
    labels = action_labels(app)
    rows = []
    for ev in events:
        case = cases.get(ev.case_id)
        doc = docs.get(ev.object_id) if ev.object_type == "document" else None
        party = parties.get(ev.object_id) if ev.object_type == "party" else None
        if case is None and doc is not None and doc.case_id:
            case = session.get(Case, doc.case_id)
        audience = projection.audience_for(viewer, case)
        visible = projection.audit_values_visible(audience, case=case, document=doc, party=party)
        hidden = projection.mask(
            (doc.secrecy_provision if doc is not None else None)
            or (case.secrecy_provision if case is not None else None)
        )
        # A correction told in words names its values: only where they may be shown.
        detail = corrections.describe(app, ev, audience) if visible else None
        label = detail or str(labels.get(ev.action, ev.action))
        rows.append(
            EventRow(
                seq=ev.seq,
                at=ev.at,
                actor=users[ev.actor_id].name
                if ev.actor_id in users
                else actor_name(ev.actor_label),
                action=ev.action,
                label=label,
                case_number=case.number if case is not None else None,
                object=f"{ev.object_type} {ev.object_id}" if ev.object_id else ev.object_type,
                before=_values_text(ev.before) if visible else (hidden if ev.before else None),
                after=_values_text(ev.after) if visible else (hidden if ev.after else None),
                is_masked=not visible and bool(ev.before or ev.after),
            )
        )
    return rows


def export_table(
    session: Session, app: Flask, filters: AuditFilter, viewer, *, fmt: str, described: dict
) -> export.Table:
    """The filtered events as ``viewer`` reads them on the page, newest first, as a table;
    the export is itself an event, with the filter as ``described`` (the page's query),
    the format and the number of events.

    Raises :class:`export.ExportTooLarge` above ``EXPORT_MAX_ROWS`` (nothing recorded)."""
    export.check_row_count(count_events(session, filters))
    rows = present(session, app, all_events(session, filters), viewer)
    record(session, "audit.export", None,
           after=export.event_values("audit", fmt, len(rows), described))  # fmt: skip
    return export.Table(
        headings=[_("No."), _("Time"), _("User"), _("Event"), _("Event code"),
                  _("Case number"), _("Object"), _("Before"), _("After")],
        rows=[
            [row.seq, row.at, row.actor, row.label, row.action, row.case_number, row.object,
             row.before, row.after]
            for row in rows
        ],
        sheet=_("Audit trail"),
        widths=(8, 17, 24, 40, 24, 16, 16, 50, 50),
    )  # fmt: skip

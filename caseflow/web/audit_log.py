"""The audit page's events: filtered, paged newest first, and told as each reader may see
them (before and after values only as :func:`projection.audit_values_visible` allows).

The page and its CSV export share this module, so the export never shows more than the
page. A cell of the CSV that a spreadsheet would read as a formula is made plain text.
"""

from __future__ import annotations

import csv
import io
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
from caseflow.common import corrections, projection
from caseflow.common.audit import action_labels, record
from caseflow.common.errors import CaseflowError
from caseflow.common.models import AuditEvent
from caseflow.common.timeutil import LOCAL_TZ, local
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


def export(session: Session, app: Flask, filters: AuditFilter, viewer, described: dict) -> str:
    """The filtered events as CSV for ``viewer``; the export is itself an event, with the
    filter as ``described`` (the page's query) and the number of events."""
    rows = present(session, app, all_events(session, filters), viewer)
    record(session, "audit.export", None, after={"filter": described, "events": len(rows)})
    return to_csv(rows)


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
                actor=users[ev.actor_id].name if ev.actor_id in users else ev.actor_label,
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


#: A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: list[EventRow]) -> str:
    """The rows as CSV with a header, UTF-8 with a byte-order mark for Excel."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [_("No."), _("Time"), _("User"), _("Event"), _("Event code"), _("Case number"),
         _("Object"), _("Before"), _("After")]
    )  # fmt: skip
    for row in rows:
        writer.writerow(
            safe_cell(v)
            for v in (
                row.seq,
                local(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                row.actor,
                row.label,
                row.action,
                row.case_number,
                row.object,
                row.before,
                row.after,
            )
        )
    return "\ufeff" + out.getvalue()

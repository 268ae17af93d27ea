"""Recording and verifying the audit trail.

Services call :func:`record` while they work. The events wait in the session and are
chained just before the commit: the chain's head row is locked only for that moment, so
concurrent writers queue briefly instead of for their whole transaction, and a
transaction that rolls back leaves no event behind.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, g, has_app_context, has_request_context
from sqlalchemy import event
from sqlmodel import Session, select

from caseflow.common.counters import insert_ignoring_conflict
from caseflow.common.models import AuditEvent, AuditHead
from caseflow.common.timeutil import now

GENESIS_HASH = "0" * 64
_PENDING_KEY = "caseflow.pending_audit"


@dataclass
class _Pending:
    action: str
    obj: Any
    object_type: str
    case: Any
    before: dict | None
    after: dict | None
    actor: Any
    actor_label: str
    at: datetime = field(default_factory=now)


def _json(value: dict | None) -> str | None:
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=_plain)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def current_actor():
    """The user acting in this request or command, if any."""
    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated:
            return current_user
    return g.get("cli_actor") if has_app_context() else None


def record(
    session: Session,
    action: str,
    obj: Any = None,
    *,
    case: Any = None,
    before: dict | None = None,
    after: dict | None = None,
    actor: Any = None,
) -> None:
    """Queue an audit event for this transaction; it is chained when the session commits."""
    actor = actor if actor is not None else current_actor()
    label = getattr(actor, "email", None) or (g.get("cli_label") if has_app_context() else None)
    session.info.setdefault(_PENDING_KEY, []).append(
        _Pending(
            action=action,
            obj=obj,
            object_type=type(obj).__name__.lower() if obj is not None else "system",
            case=case,
            before=before,
            after=after,
            actor=actor,
            actor_label=label or "system",
        )
    )


def _digest(values: dict) -> str:
    payload = {name: values[name] for name in _HASHED if name != "at"}
    payload["at"] = values["at"].isoformat(timespec="microseconds")
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


_HASHED = (
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "before",
    "after",
    "prev_hash",
)


def event_digest(ev: AuditEvent) -> str:
    """The hash of an event: its content and the hash before it."""
    return _digest({name: getattr(ev, name) for name in _HASHED})


def _lock_head(session: Session, count: int):
    """Reserve ``count`` places in the chain; the head row stays locked until commit."""
    head = AuditHead.__table__
    reserve = (
        sa.update(head)
        .where(head.c.id == 1)
        .values(last_seq=head.c.last_seq + count)
        .returning(head.c.last_seq, head.c.last_hash)
    )
    row = session.execute(reserve).first()
    if row is None:  # a database made without the migration's head row
        insert_ignoring_conflict(
            session, head, {"id": 1, "last_seq": 0, "last_hash": GENESIS_HASH}, ["id"]
        )
        row = session.execute(reserve).first()
    return row.last_seq - count, row.last_hash


def _write_pending(session: Session) -> None:
    """Chain the queued events and write them with Core: this runs while locks are held."""
    pending: list[_Pending] = session.info.pop(_PENDING_KEY, [])
    if not pending:
        return
    session.flush()  # gives new objects their ids
    seq, prev = _lock_head(session, len(pending))
    rows = []
    for item in pending:
        seq += 1
        case_id = getattr(item.case, "id", None)
        if case_id is None and type(item.obj).__name__ == "Case":
            case_id = item.obj.id
        values = {
            "seq": seq,
            "at": item.at,
            "actor_id": getattr(item.actor, "id", None),
            "actor_label": item.actor_label,
            "action": item.action,
            "object_type": item.object_type,
            "object_id": getattr(item.obj, "id", None),
            "case_id": case_id,
            "before": _json(item.before),
            "after": _json(item.after),
            "prev_hash": prev,
        }
        values["hash"] = prev = _digest(values)
        rows.append(values)
    session.execute(sa.insert(AuditEvent.__table__), rows)
    head = AuditHead.__table__
    session.execute(sa.update(head).where(head.c.id == 1).values(last_hash=prev))


def _discard_pending(session: Session, *_args) -> None:
    session.info.pop(_PENDING_KEY, None)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str | None = None


def verify_chain(session: Session, batch: int = 5000) -> VerifyResult:
    """Recompute the chain; name the first event whose hash or link does not hold."""
    prev, expected_seq, checked = GENESIS_HASH, 1, 0
    last_seq = 0
    while True:
        rows = session.exec(
            select(AuditEvent)
            .where(AuditEvent.seq > last_seq)
            .order_by(AuditEvent.seq)
            .limit(batch)
        ).all()
        if not rows:
            break
        for ev in rows:
            if ev.seq != expected_seq:
                return VerifyResult(False, checked, expected_seq, "missing event")
            if ev.prev_hash != prev:
                return VerifyResult(False, checked, ev.seq, "link to the previous event broken")
            if event_digest(ev) != ev.hash:
                return VerifyResult(False, checked, ev.seq, "content does not match its hash")
            prev, expected_seq, checked = ev.hash, expected_seq + 1, checked + 1
        last_seq = rows[-1].seq
    head = session.get(AuditHead, 1)
    if head is not None and head.last_seq != checked:
        return VerifyResult(False, checked, checked + 1, "events missing at the end of the chain")
    return VerifyResult(True, checked)


def events_for_case(session: Session, case_id: int) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.seq)
        ).all()
    )


_LABELS_KEY = "caseflow.audit_labels"


def register_labels(app: Flask, labels: dict) -> None:
    """Name the domain's audit actions for the case timeline (action → lazy text).

    Each domain registers the actions it records in its ``init_app``.
    """
    app.extensions.setdefault(_LABELS_KEY, {}).update(labels)


def action_labels(app: Flask) -> dict:
    """Every registered action → its label."""
    return app.extensions.get(_LABELS_KEY, {})


def init_app(app: Flask) -> None:
    """Hook the chain writer into every session (web, CLI, jobs alike)."""
    if not event.contains(Session, "before_commit", _write_pending):
        event.listen(Session, "before_commit", _write_pending)
        event.listen(Session, "after_rollback", _discard_pending)


APPEND_ONLY_SQL = {
    "sqlite": [
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    ],
}

"""Recording the audit trail.

Services call :func:`record` while they work. The events wait in the session and are
chained just before the commit: the chain's head row is locked only for that moment, so
concurrent writers queue briefly instead of for their whole transaction, and a
transaction that rolls back leaves no event behind.

Each event's link is HMAC-SHA256 under the audit key (:mod:`caseflow.common.audit_key`)
of the link before it and the event: someone who can write the database but has not got
the key cannot recompute the links after changing an event. The events written before
the trail was keyed keep their plain SHA-256 links; the first keyed write seals them (the
head at that moment, with a keyed MAC, in ``audit_head`` and as the first checkpoint
outside the database, :mod:`caseflow.common.audit_checkpoints`). Checking is
:mod:`caseflow.common.audit_verify`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlmodel import Session, select

from caseflow.common.audit_key import (
    AuditKey,
    AuditKeyError,
    app_of,
    check_config,
    load_key,
    register_engine,
)
from caseflow.common.counters import insert_ignoring_conflict
from caseflow.common.models import AuditEvent, AuditHead
from caseflow.common.timeutil import now
from caseflow.db import after_commit

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


#: The fields of an event its link covers (besides the link before it).
_CONTENT = (
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
)
UNKEYED, KEYED = 1, 2


def _canonical(values: dict, names) -> bytes:
    payload = {name: values[name] for name in names if name != "at"}
    payload["at"] = values["at"].isoformat(timespec="microseconds")
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def unkeyed_link(values: dict) -> str:
    """The link of an event written before the trail was keyed: SHA-256 of its content and
    the link before it. Anyone can recompute it, which is why the trail is now keyed."""
    return hashlib.sha256(_canonical(values, (*_CONTENT, "prev_hash"))).hexdigest()


def keyed_link(key: AuditKey, values: dict) -> str:
    """HMAC-SHA256(key, previous link ‖ canonical event): only the key's holder computes it."""
    content = _canonical(values, (*_CONTENT, "scheme", "key_id"))
    return key.mac(key.chain, values["prev_hash"].encode("ascii") + b"\n" + content)


def event_link(ev: AuditEvent, key: AuditKey | None) -> str | None:
    """The link ``ev`` should carry, by its scheme; None for a keyed event without a key."""
    values = {name: getattr(ev, name) for name in (*_CONTENT, "prev_hash", "scheme", "key_id")}
    if ev.scheme == UNKEYED:
        return unkeyed_link(values)
    return keyed_link(key, values) if key is not None else None


def seal_mac(key: AuditKey, seq: int, link: str) -> str:
    """The keyed MAC of the seal: the head (``seq``, ``link``) when keying started."""
    return key.mac(key.checkpoint, f"seal\n{seq}\n{link}\n{key.key_id}".encode("ascii"))


def trail_key(session: Session, *, create: bool = False) -> AuditKey | None:
    """The key of the app ``session`` belongs to (see :mod:`caseflow.common.audit_key`)."""
    app = app_of(session) or (current_app._get_current_object() if has_app_context() else None)
    return load_key(app, create=create) if app is not None else None


def _lock_head(session: Session, count: int):
    """Reserve ``count`` places in the chain; the head row stays locked until commit."""
    head = AuditHead.__table__
    reserve = (
        sa.update(head)
        .where(head.c.id == 1)
        .values(last_seq=head.c.last_seq + count)
        .returning(head.c.last_seq, head.c.last_hash, head.c.sealed_seq, head.c.key_id)
    )
    row = session.execute(reserve).first()
    if row is None:  # a database made without the migration's head row
        insert_ignoring_conflict(
            session, head, {"id": 1, "last_seq": 0, "last_hash": GENESIS_HASH}, ["id"]
        )
        row = session.execute(reserve).first()
    return row


def _key_to_write(session: Session, head) -> AuditKey:
    """The key for the next events. A trail not yet keyed makes its key file if it has no
    key; a keyed trail never gets a new key by itself: it refuses to be continued."""
    key = trail_key(session, create=head.sealed_seq is None)
    if key is None:
        raise AuditKeyError(
            "no audit key is configured (AUDIT_KEY or the key file) for a trail that "
            "must be keyed: nothing is written until the key is there"
        )
    if head.sealed_seq is not None and key.key_id != head.key_id:
        raise AuditKeyError(
            f"the configured audit key (id {key.key_id}) is not the one the trail is keyed "
            f"with (id {head.key_id}): nothing is written until that key is back"
        )
    return key


def _write_pending(session: Session) -> None:
    """Chain the queued events and write them with Core: this runs while locks are held."""
    pending: list[_Pending] = session.info.pop(_PENDING_KEY, [])
    if not pending:
        return
    session.flush()  # gives new objects their ids
    head_row = _lock_head(session, len(pending))
    key = _key_to_write(session, head_row)
    seq, prev = head_row.last_seq - len(pending), head_row.last_hash
    head_values = {}
    if head_row.sealed_seq is None:
        head_values = _seal_values(session, key, seq, prev)
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
            "scheme": KEYED,
            "key_id": key.key_id,
        }
        values["hash"] = prev = keyed_link(key, values)
        rows.append(values)
    session.execute(sa.insert(AuditEvent.__table__), rows)
    head = AuditHead.__table__
    session.execute(sa.update(head).where(head.c.id == 1).values(last_hash=prev, **head_values))


def _seal_values(
    session: Session, key: AuditKey, seq: int, link: str, *, checkpoint: bool = True
) -> dict:
    """Keying starts here: what was written before is sealed at the current head, and the
    seal becomes the first checkpoint outside the database once it is committed."""
    if checkpoint:
        _checkpoint_after_commit(session)
    return {"sealed_seq": seq, "sealed_hash": link, "key_id": key.key_id,
            "seal_mac": seal_mac(key, seq, link)}  # fmt: skip


def seal(session: Session, *, checkpoint_after_commit: bool = True) -> bool:
    """Seal the trail now if it is not yet keyed (``caseflow audit checkpoint`` after an
    upgrade, the checkpoint job): True if it was sealed by this call."""
    head_row = _lock_head(session, 0)
    if head_row.sealed_seq is not None:
        _key_to_write(session, head_row)  # a keyed trail without its key is said so
        return False
    key = _key_to_write(session, head_row)
    head = AuditHead.__table__
    values = _seal_values(
        session, key, head_row.last_seq, head_row.last_hash, checkpoint=checkpoint_after_commit
    )
    session.execute(sa.update(head).where(head.c.id == 1).values(**values))
    return True


_AFTER_SEAL_KEY = "caseflow.audit_after_seal"


def register_after_seal(app: Flask, fn) -> None:
    """Call ``fn(app)`` in an app context once a seal of the trail has been committed
    (the checkpoints module writes the first checkpoint outside the database with it)."""
    app.extensions.setdefault(_AFTER_SEAL_KEY, []).append(fn)


def _checkpoint_after_commit(session: Session) -> None:
    """The seal is also the first checkpoint outside the database, once it is committed."""
    app = app_of(session)
    if app is None or not app.extensions.get(_AFTER_SEAL_KEY):
        return

    def after_seal():
        with app.app_context():
            for fn in app.extensions[_AFTER_SEAL_KEY]:
                fn(app)

    after_commit(after_seal, session=session)


def _discard_pending(session: Session, *_args) -> None:
    session.info.pop(_PENDING_KEY, None)


def events_for_case(session: Session, case_id: int) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.seq)
        ).all()
    )


_LABELS_KEY = "caseflow.audit_labels"

#: The actors that are no account, as a reader is told them: the stored label is a code
#: (``g.cli_label``), the same in every language.
ACTOR_NAMES = {"public": _l("the public")}


def actor_name(label: str | None) -> str:
    """An event's actor label as the reader reads it: "allmänheten" for the public, an
    account's e-mail or any other label as it was stored."""
    name = ACTOR_NAMES.get(label or "")
    return str(name) if name is not None else (label or "")


def register_labels(app: Flask, labels: dict) -> None:
    """Name the domain's audit actions for the case timeline (action → lazy text).

    Each domain registers the actions it records in its ``init_app``.
    """
    app.extensions.setdefault(_LABELS_KEY, {}).update(labels)


def action_labels(app: Flask) -> dict:
    """Every registered action → its label."""
    return app.extensions.get(_LABELS_KEY, {})


def init_app(app: Flask) -> None:
    """Hook the chain writer into every session (web, CLI, jobs alike), and let the
    sessions of this app's engine find its key."""
    check_config(app)
    register_engine(app, app.extensions["caseflow.engine"])
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

"""Signed checkpoints of the audit trail, kept outside the database.

A checkpoint says: at this time the chain ended at event ``seq`` with link ``head``, and
was sealed at ``sealed_seq``. It is signed with the checkpoint key derived from the audit
key (HMAC-SHA256) and appended, one JSON line each, to ``AUDIT_CHECKPOINT_FILE`` (opened
for appending only, synced to disk) and/or sent to syslog (``AUDIT_CHECKPOINT_SYSLOG``),
where a log server keeps its own copy. Someone who cuts the newest events from the
database and lowers the head cannot make the chain reach the last checkpoint again, nor
sign a new checkpoint without the key.

HMAC rather than a public-key signature: the checkpoints are only worth checking
together with the chain, and checking the chain needs the audit key anyway; a second kind
of key would be a second secret to keep without protecting anything more.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

from caseflow.common.audit_key import AuditKey, AuditKeyError, load_key
from caseflow.common.models import AuditEvent, AuditHead
from caseflow.common.timeutil import now

FILE_NAME = "audit-checkpoints.log"
#: The fields a checkpoint's signature covers, in this order.
SIGNED = ("v", "seq", "head", "at", "sealed_seq", "key_id")
SYSLOG_TAG = "caseflow-audit-checkpoint: "
log = logging.getLogger("caseflow.audit")


def checkpoint_file(app: Flask) -> Path | None:
    """Where checkpoints are appended; None when ``AUDIT_CHECKPOINT_FILE`` is set empty."""
    configured = app.config.get("AUDIT_CHECKPOINT_FILE")
    if configured == "":
        return None
    return Path(configured or Path(app.instance_path) / FILE_NAME)


def _signed_bytes(entry: dict) -> bytes:
    return json.dumps([entry.get(name) for name in SIGNED], separators=(",", ":")).encode()


def sign(entry: dict, key: AuditKey) -> dict:
    """``entry`` with its signature (``mac``)."""
    return {**entry, "mac": key.mac(key.checkpoint, _signed_bytes(entry))}


def signature_holds(entry: dict, key: AuditKey) -> bool:
    import hmac

    mac = entry.get("mac")
    return isinstance(mac, str) and hmac.compare_digest(
        mac, key.mac(key.checkpoint, _signed_bytes(entry))
    )


def current_checkpoint(session, key: AuditKey) -> dict:
    """The newest event's number and link, and the seal, as a signed checkpoint."""
    newest = session.execute(
        sa.select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    head = session.get(AuditHead, 1)
    entry = {
        "v": 1,
        "seq": newest.seq if newest else 0,
        "head": newest.hash if newest else "0" * 64,
        "at": now().isoformat(timespec="seconds"),
        "sealed_seq": head.sealed_seq if head is not None else None,
        "key_id": key.key_id,
    }
    return sign(entry, key)


def append_line(path: Path, line: str) -> None:
    """Append one line to ``path`` and sync it: the file is only ever appended to."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _to_syslog(app: Flask, line: str) -> None:
    address = app.config.get("AUDIT_CHECKPOINT_SYSLOG_ADDRESS") or "/dev/log"
    if isinstance(address, list | tuple):
        address = (address[0], int(address[1]))
    handler = logging.handlers.SysLogHandler(
        address=address, facility=logging.handlers.SysLogHandler.LOG_AUTH
    )
    try:
        handler.emit(
            logging.makeLogRecord(
                {"name": log.name, "levelno": logging.INFO, "levelname": "INFO",
                 "msg": SYSLOG_TAG + line}
            )
        )  # fmt: skip
    finally:
        handler.close()


def write_checkpoint(app: Flask, session=None) -> dict:
    """Sign the chain's current head and write it outside the database; returns it.

    Needs the audit key (never makes one). Opens its own session unless given one.
    """
    from caseflow.db import new_session

    key = load_key(app)
    if key is None:
        raise AuditKeyError("no audit key is configured: a checkpoint cannot be signed")
    own = session is None
    session = session or new_session(app.extensions["caseflow.engine"])
    try:
        entry = current_checkpoint(session, key)
    finally:
        if own:
            session.close()
    line = json.dumps(entry, separators=(",", ":"))
    path = checkpoint_file(app)
    if path is not None:
        append_line(path, line)
    if app.config.get("AUDIT_CHECKPOINT_SYSLOG"):
        _to_syslog(app, line)
    return entry


@dataclass
class Checkpoint:
    line: int
    entry: dict
    signature_holds: bool

    @property
    def seq(self) -> int:
        return self.entry["seq"]

    @property
    def at(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.entry["at"])
        except (KeyError, TypeError, ValueError):
            return None


def read_checkpoints(path: Path, key: AuditKey) -> list[Checkpoint]:
    """Every checkpoint in ``path`` (or in syslog lines copied into it), each with whether
    its signature holds. A line that is not a checkpoint at all counts as one whose
    signature fails: someone wrote it."""
    found = []
    with open(path, encoding="utf-8", errors="replace") as lines:
        for number, text in enumerate(lines, 1):
            text = text.strip()
            if not text:
                continue
            if SYSLOG_TAG.strip() in text:  # a line of a syslog server's file
                text = text.split(SYSLOG_TAG.strip(), 1)[1].strip()
            try:
                entry = json.loads(text)
            except ValueError:
                entry = None
            if not isinstance(entry, dict) or not isinstance(entry.get("seq"), int):
                found.append(Checkpoint(number, {"seq": -1}, False))
                continue
            found.append(Checkpoint(number, entry, signature_holds(entry, key)))
    return found


def take_checkpoint(app: Flask) -> dict:
    """Seal the trail if it is not keyed yet, then write a checkpoint: the command and the
    scheduler's job. Works in a session of its own."""
    from caseflow.common.audit import seal
    from caseflow.db import new_session

    session = new_session(app.extensions["caseflow.engine"], write=True)
    try:
        sealed = seal(session, checkpoint_after_commit=False)  # it follows right here
        session.commit()
        return {**write_checkpoint(app, session), "sealed_now": sealed}
    finally:
        session.close()


def init_app(app: Flask) -> None:
    """The seal that starts a keyed trail is also its first checkpoint outside the database."""
    from caseflow.common.audit import register_after_seal

    register_after_seal(app, write_checkpoint)

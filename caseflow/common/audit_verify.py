"""Checking the audit trail against its key, its seal and the checkpoints outside it.

:func:`verify` walks the chain once, in batches, and names what does not hold, each as a
:class:`Problem` with a code (the CLI and the JSON output name them in words):

``no_key``             no audit key is configured: nothing can be checked
``other_key``          the trail (its seal, or an event) was keyed with another key than the
                       configured one; with another key at the seal nothing else is checked
``changed``            an event's content does not match its link (the first one of a run;
                       ``recomputed`` counts the later events whose links were recomputed
                       without the key, which fail too)
``missing``            numbers missing in the chain (a gap: ``first``..``last``)
``link_broken``        an event does not link to the one before it (inserted, reordered)
``unkeyed_after_seal`` an event after the seal carries an unkeyed link (a rewrite)
``sealed_history_changed`` the events before the seal no longer end at the sealed link
``seal_changed``       the seal in the database does not carry its keyed MAC
``seal_missing``       keyed events, or a checkpoint naming a seal, but no seal
``head_mismatch``      the chain head says the chain ends elsewhere than its last event
``truncated``          the chain ends before the latest checkpoint (the newest events cut)
``checkpoint_mismatch`` a checkpoint's head is not the link of its event in the chain
``checkpoint_forged``  a checkpoint line whose signature fails (edited, or not ours)
``checkpoint_backwards`` a checkpoint names an earlier event than the one before it
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from caseflow.common.audit import (
    GENESIS_HASH,
    KEYED,
    UNKEYED,
    event_link,
    seal_mac,
    trail_key,
)
from caseflow.common.audit_checkpoints import Checkpoint, checkpoint_file, read_checkpoints
from caseflow.common.audit_key import AuditKey, app_of
from caseflow.common.models import AuditEvent, AuditHead

#: More problems than this are not listed one by one (one break usually explains the rest).
MAX_PROBLEMS = 50


@dataclass
class Problem:
    code: str
    seq: int | None = None
    detail: dict = field(default_factory=dict)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    head_seq: int = 0
    sealed_seq: int | None = None
    key_id: str | None = None
    #: The latest checkpoint whose signature holds: its line, event number and time.
    checkpoint: dict | None = None
    problems: list[Problem] = field(default_factory=list)
    #: Not breaks, but limits of what could be checked: ``no_checkpoint``, ``not_keyed``.
    warnings: list[str] = field(default_factory=list)

    @property
    def broken_seq(self) -> int | None:
        return next((p.seq for p in self.problems if p.seq is not None), None)

    @property
    def reason(self) -> str | None:
        return self.problems[0].code if self.problems else None

    def to_dict(self) -> dict:
        return {**asdict(self), "broken_seq": self.broken_seq, "reason": self.reason}


class _Walk:
    """The state of one pass over the chain."""

    def __init__(self, key: AuditKey, boundary: int | None, sealed_hash: str | None):
        self.key, self.boundary, self.sealed_hash = key, boundary, sealed_hash
        self.problems: list[Problem] = []
        self.expected, self.prev, self.checked = 1, GENESIS_HASH, 0
        self.failing_run: Problem | None = None

    def add(self, code: str, seq: int | None = None, **detail) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(code, seq, detail))

    def event(self, ev, checkpoints: dict[int, list[Checkpoint]]) -> None:
        if ev.seq != self.expected:
            self.add("missing", self.expected, first=self.expected, last=ev.seq - 1)
        elif ev.prev_hash != self.prev:
            self.add("link_broken", ev.seq)
        self._scheme(ev)
        if event_link(ev, self.key) != ev.hash:
            if self.failing_run is not None:
                self.failing_run.detail["recomputed"] += 1
            else:
                self.add("changed", ev.seq, recomputed=0)
                self.failing_run = self.problems[-1] if self.problems else None
        else:
            self.failing_run = None
        if ev.seq == self.boundary and self.sealed_hash and ev.hash != self.sealed_hash:
            self.add("sealed_history_changed", ev.seq)
        for checkpoint in checkpoints.get(ev.seq, ()):
            if checkpoint.entry.get("head") != ev.hash:
                self.add("checkpoint_mismatch", ev.seq, line=checkpoint.line)
        self.prev, self.expected, self.checked = ev.hash, ev.seq + 1, self.checked + 1

    def _scheme(self, ev) -> None:
        if self.boundary is None:
            if ev.scheme == KEYED and not any(p.code == "seal_missing" for p in self.problems):
                self.add("seal_missing", ev.seq)
        elif ev.seq > self.boundary and ev.scheme != KEYED:
            self.add("unkeyed_after_seal", ev.seq)
        elif ev.seq <= self.boundary and ev.scheme != UNKEYED:
            self.add("changed", ev.seq, recomputed=0)
        other_key = ev.scheme == KEYED and ev.key_id != self.key.key_id
        if other_key and not any(p.code == "other_key" for p in self.problems):
            self.add("other_key", ev.seq, key_id=ev.key_id)


def _checkpoints(path: Path | None, key: AuditKey, walk: _Walk, warnings: list[str]):
    """The checkpoints whose signatures hold, by event number, and the latest of them."""
    if path is None or not path.exists():
        warnings.append("no_checkpoint")
        return {}, None
    by_seq: dict[int, list[Checkpoint]] = {}
    latest = None
    for checkpoint in read_checkpoints(path, key):
        if not checkpoint.signature_holds:
            walk.add("checkpoint_forged", None, line=checkpoint.line)
            continue
        if latest is not None and checkpoint.seq < latest.seq:
            walk.add("checkpoint_backwards", checkpoint.seq, line=checkpoint.line,
                     earlier=latest.seq)  # fmt: skip
        by_seq.setdefault(checkpoint.seq, []).append(checkpoint)
        latest = checkpoint if latest is None or checkpoint.seq >= latest.seq else latest
    if latest is None:
        warnings.append("no_checkpoint")
    return by_seq, latest


def verify(
    session: Session,
    *,
    key: AuditKey | None = None,
    checkpoints: Path | None = None,
    batch: int = 5000,
) -> VerifyResult:
    """Check every event, the seal and the checkpoints (default: the app's checkpoint
    file; ``checkpoints`` names another, e.g. a copy from the syslog server)."""
    key = key or trail_key(session)
    if key is None:
        return VerifyResult(False, 0, problems=[Problem("no_key")])
    head = session.get(AuditHead, 1)
    sealed_seq = head.sealed_seq if head is not None else None
    walk = _Walk(key, sealed_seq, head.sealed_hash if head is not None else None)
    warnings: list[str] = []
    if sealed_seq is not None and head.key_id != key.key_id:
        # Nothing can be checked with another key: every link would look changed.
        other = Problem("other_key", None, {"key_id": head.key_id})
        return VerifyResult(False, 0, head.last_seq, sealed_seq, key.key_id, problems=[other])
    if sealed_seq is not None and head.seal_mac != seal_mac(key, sealed_seq, head.sealed_hash):
        walk.add("seal_changed", sealed_seq)
    app = app_of(session)
    if checkpoints is None and app is not None:
        checkpoints = checkpoint_file(app)
    by_seq, latest = _checkpoints(checkpoints, key, walk, warnings)
    if latest is not None and latest.entry.get("sealed_seq") != sealed_seq:
        walk.add("seal_missing" if sealed_seq is None else "seal_changed", sealed_seq,
                 checkpoint_sealed_seq=latest.entry.get("sealed_seq"))  # fmt: skip
        if walk.boundary is None:
            walk.boundary = latest.entry.get("sealed_seq")
    if sealed_seq is None and latest is None:
        warnings.append("not_keyed")

    table = AuditEvent.__table__
    last = 0
    while True:
        rows = session.execute(
            sa.select(table).where(table.c.seq > last).order_by(table.c.seq).limit(batch)
        ).all()
        if not rows:
            break
        for ev in rows:
            walk.event(ev, by_seq)
        last = rows[-1].seq

    chain_end = walk.expected - 1
    if head is not None and head.last_seq != chain_end:
        walk.add("head_mismatch", chain_end + 1, head_seq=head.last_seq, chain_end=chain_end)
    if latest is not None and latest.seq > chain_end:
        walk.add("truncated", chain_end + 1, chain_end=chain_end, checkpoint_seq=latest.seq,
                 checkpoint_at=latest.entry.get("at"), line=latest.line)  # fmt: skip
    elif walk.boundary is not None and walk.boundary > chain_end:
        walk.add("truncated", chain_end + 1, chain_end=chain_end, checkpoint_seq=walk.boundary)
    return VerifyResult(
        ok=not walk.problems,
        checked=walk.checked,
        head_seq=head.last_seq if head is not None else 0,
        sealed_seq=sealed_seq,
        key_id=key.key_id,
        checkpoint=(
            {"line": latest.line, "seq": latest.seq, "at": latest.entry.get("at")}
            if latest is not None
            else None
        ),
        problems=walk.problems,
        warnings=warnings,
    )

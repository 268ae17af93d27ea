"""Canonical hashes for mail stored before they existed (revision 0023).

Intake asks "have we seen this message?" of the canonical hash, so every stored row must
have one before a new message is compared with it. Intake runs ``fill_canonical_hashes``
at the start of each import or poll (``caseflow.mail.jobs.Intake``); after the first run it
is one indexed look-up that finds nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from caseflow.documents.storage import FileStore
from caseflow.mail.canonical import canonical_sha256
from caseflow.mail.models import MailMessage

_TABLE = MailMessage.__table__
_MISSING = (
    sa.select(_TABLE.c.id, _TABLE.c.sha256, _TABLE.c.raw_format)
    .where(_TABLE.c.canonical_sha256.is_(None))
    .order_by(_TABLE.c.id)
    .limit(sa.bindparam("batch"))
)
_SET = (
    sa.update(_TABLE)
    .where(_TABLE.c.id == sa.bindparam("row_id"))
    .values(canonical_sha256=sa.bindparam("canonical"))
)


def _canonical_of(store: FileStore, sha256: str, raw_format: str) -> str:
    try:
        with store.open(sha256) as handle:
            raw = handle.read()
    except OSError:  # the file is gone: the bytes' own hash is all that is known
        return sha256
    return canonical_sha256(raw, is_rfc822=raw_format == "rfc822")


def fill_canonical_hashes(session: Session, store: FileStore, *, batch: int = 500) -> int:
    """Give up to ``batch`` rows without one their canonical hash; how many were given one.
    Flushes only: call it until it returns less than ``batch``, committing in between."""
    rows = session.execute(_MISSING, {"batch": batch}).all()
    for row in rows:
        session.execute(
            _SET, {"row_id": row.id, "canonical": _canonical_of(store, row.sha256, row.raw_format)}
        )
    session.flush()
    return len(rows)

"""Keeping the index in step: session events, and the full rebuild.

Cases, documents and mail never call search (they sit below it). Instead, on every flush
the session's changed cases, counterparts, parties, documents, files, messages and
extracted file texts are noted; just before the transaction commits, the entries of what
they touch are rewritten in the same transaction — so an entry is never newer or older
than what it describes. Writing entries flushes again, so ``before_commit`` loops until a
flush notes nothing new.

:func:`reindex` rebuilds every entry in batches by id; run with ``since`` (the start of an
interrupted run) it skips what that run already did.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import chain

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlmodel import Session, func, select

from caseflow.cases.models import Case, CaseParty
from caseflow.db import CaseflowSession
from caseflow.documents.models import Document, DocumentFile
from caseflow.mail.models import MailMessage
from caseflow.parties.models import Party
from caseflow.search.indexer import remove_orphans, write_entries
from caseflow.search.models import EntryKind, FileText, SearchEntry, TextStatus

_PENDING = "caseflow.search.pending"

#: A change of these columns of a case changes its documents' entries too (their filter
#: columns, and the masking of counterparts in a case with secret parties).
_CASE_COLUMNS_FOR_DOCUMENTS = (
    "number",
    "officer_id",
    "status",
    "unit_id",
    "class_id",
    "year",
    "parties_are_secret",
    "secrecy_provision",
)
#: A party's changes that change what its cases and documents show (a merge re-links
#: their rows to the party kept, whose name they then carry).
_PARTY_COLUMNS = ("name", "email", "organisation_id", "is_protected", "merged_into_id")
#: After this many rounds something keeps changing what it indexes: stop rather than spin.
_MAX_ROUNDS = 10


def _changed(obj, columns) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in columns)


def _pending(session: Session) -> dict[str, set]:
    return session.info.setdefault(
        _PENDING, {"case": set(), "case_docs": set(), "document": set(), "message": set(),
                   "party": set(), "sha": set()}
    )  # fmt: skip


def _note_flush(session: Session, _flush_context) -> None:
    """After a flush, while its objects' history is still there: note what changed."""
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, SearchEntry):
            continue
        is_new = obj in session.new
        if not is_new and obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, Case):
            _pending(session)["case"].add(obj.id)
            if is_new or _changed(obj, _CASE_COLUMNS_FOR_DOCUMENTS):
                _pending(session)["case_docs"].add(obj.id)
        elif isinstance(obj, CaseParty):
            _pending(session)["case"].add(obj.case_id)
        elif isinstance(obj, Party):
            if not is_new and _changed(obj, _PARTY_COLUMNS):
                _pending(session)["party"].update({obj.id, obj.merged_into_id})
        elif isinstance(obj, Document):
            _pending(session)["document"].add(obj.id)
        elif isinstance(obj, DocumentFile):
            _pending(session)["document"].add(obj.document_id)
        elif isinstance(obj, MailMessage):
            _pending(session)["message"].add(obj.id)
        elif isinstance(obj, FileText) and obj.status == TextStatus.DONE:
            _pending(session)["sha"].add(obj.sha256)


def _resolve(session: Session, pending: dict[str, set]) -> dict[str, set]:
    """The entries to write for what was noted: a party's cases, a text's documents…"""
    cases, documents, messages = (
        set(pending["case"]),
        set(pending["document"]),
        set(pending["message"]),
    )
    parties = {p for p in pending["party"] if p is not None}
    if parties:
        cases.update(
            session.exec(select(CaseParty.case_id).where(CaseParty.party_id.in_(parties))).all()
        )
        # A protected sender's name is masked on the documents too.
        documents.update(session.exec(select(Document.id).where(Document.party_id.in_(parties))))
    if pending["case_docs"]:
        documents.update(
            session.exec(select(Document.id).where(Document.case_id.in_(pending["case_docs"])))
        )
    if pending["sha"]:
        shas = pending["sha"]
        documents.update(
            session.exec(select(DocumentFile.document_id).where(DocumentFile.sha256.in_(shas)))
        )
        messages.update(session.exec(select(MailMessage.id).where(MailMessage.sha256.in_(shas))))
    return {EntryKind.CASE: cases, EntryKind.DOCUMENT: documents, EntryKind.MESSAGE: messages}


def _write_before_commit(session: Session) -> None:
    for _round in range(_MAX_ROUNDS):
        session.flush()  # what is still unflushed is noted by _note_flush
        pending = session.info.pop(_PENDING, None)
        if not pending or not any(pending.values()):
            return
        for kind, ids in _resolve(session, pending).items():
            write_entries(session, kind, {i for i in ids if i is not None})


def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction ended: commit or rollback
        session.info.pop(_PENDING, None)


def register_listeners() -> None:
    """Listen on every caseflow session (once per process, however many apps are made)."""
    for name, fn in (
        ("after_flush", _note_flush),
        ("before_commit", _write_before_commit),
        ("after_transaction_end", _forget),
    ):
        if not event.contains(CaseflowSession, name, fn):
            event.listen(CaseflowSession, name, fn)


# -- the full rebuild -------------------------------------------------------------------------

_KINDS = ((EntryKind.CASE, Case), (EntryKind.DOCUMENT, Document), (EntryKind.MESSAGE, MailMessage))


def count_targets(session: Session) -> int:
    """How many cases, documents and messages a full rebuild looks at."""
    return sum(session.exec(select(func.count()).select_from(m)).one() for _k, m in _KINDS)


def reindex(
    session: Session,
    *,
    progress: Callable[[int], object] | None = None,
    batch: int = 500,
    since: datetime | None = None,
    after_batch: Callable[[], object] | None = None,
) -> int:
    """Rebuild every entry, ``batch`` things at a time in id order; returns how many were
    looked at. ``progress(n)`` is told after each batch how many it held; ``after_batch()``
    runs after each (the command commits there, so a crash loses one batch at most).
    With ``since``, things whose entry was written at or after it are skipped: a run
    resumed after a crash goes on where the crashed one stopped.
    """
    done = 0
    for kind, model in _KINDS:
        last = 0
        while True:
            stmt = select(model.id).where(model.id > last).order_by(model.id).limit(batch)
            ids = list(session.exec(stmt).all())
            if not ids:
                break
            last = ids[-1]
            todo = ids
            if since is not None:
                fresh = set(
                    session.exec(
                        select(SearchEntry.target_id).where(
                            SearchEntry.kind == kind,
                            SearchEntry.target_id.in_(ids),
                            SearchEntry.indexed_at >= since,
                        )
                    ).all()
                )
                todo = [i for i in ids if i not in fresh]
            write_entries(session, kind, todo)
            done += len(ids)
            if after_batch is not None:
                after_batch()
            session.expunge_all()  # a rebuild of a million documents must not keep them
            if progress is not None:
                progress(len(ids))
    remove_orphans(session)
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        # Fresh statistics: on a just-filled table the planner otherwise scans every entry
        # for a word in a hundred (40 ms against 1 ms at 120,000 entries).
        session.execute(sa.text("ANALYZE search_entry"))
    if after_batch is not None:
        after_batch()
    return done

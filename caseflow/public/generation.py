"""The public generation: a counter raised in the same transaction as any change the
public pages show, so that a cached page can never outlive what it shows.

An ``after_flush`` listener notes that something public changed (an ORM bulk UPDATE or
DELETE on such a table is noted too); ``before_commit`` raises the counter with one
UPDATE. The row is locked only from that UPDATE to the commit, not for the whole
request. A reader takes the counter before anything else it reads: a change committed
in between is then cached under the old number at worst (newer data, never older).

Reading the counter is the one database read a cached page costs, so it goes to an
autocommit connection directly, without an ORM session (opening, using and committing
one was a third of a cached page's time) and without the pool's ping.
"""

from __future__ import annotations

from itertools import chain

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from caseflow.cases.models import Case, CaseParty, Series
from caseflow.db import CaseflowSession
from caseflow.documents.models import Document, DocumentFile
from caseflow.organisation.models import OrganisationProfile, Unit
from caseflow.parties.models import Party
from caseflow.public.models import PublicGeneration, PublishedFile

#: What the public pages read: a change to any of these invalidates every cached page.
PUBLIC_CLASSES = (
    Case,
    CaseParty,
    Series,
    Document,
    DocumentFile,
    Party,
    Unit,
    OrganisationProfile,
    PublishedFile,
)
_CHANGED = "caseflow.public.changed"
_READ_SQL = "SELECT value FROM public_generation WHERE id = 1"
_BUMP = sa.text("UPDATE public_generation SET value = value + 1 WHERE id = 1")


def current_generation(engine: Engine) -> int:
    """The counter as last committed (0 before the first change), read on a connection of
    its own (``engine`` autocommits: :func:`caseflow.db.get_autocommit_engine`); called
    first, it is never newer than what the request reads after it."""
    for attempt in (1, 2):
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(_READ_SQL)
            row = cursor.fetchone()
            cursor.close()
            return (row[0] if row else 0) or 0
        except engine.dialect.loaded_dbapi.OperationalError:
            # The pool does not ping this engine's connections: one the server dropped
            # (a restart, an idle timeout) is thrown away and the read tried once more.
            connection.invalidate()
            if attempt == 2:
                raise
        finally:
            connection.close()
    raise AssertionError("unreachable")


def _note_flush(session: Session, _flush_context) -> None:
    if session.info.get(_CHANGED):
        return
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, PUBLIC_CLASSES) and (
            obj not in session.dirty or session.is_modified(obj)
        ):
            session.info[_CHANGED] = True
            return


def _note_bulk(state) -> None:
    """An ORM ``update()`` or ``delete()`` on a public table bypasses the flush."""
    mapper = state.bind_mapper
    if not (state.is_update or state.is_delete) or mapper is None:
        return
    if issubclass(mapper.class_, PUBLIC_CLASSES):
        state.session.info[_CHANGED] = True


def _bump_before_commit(session: Session) -> None:
    session.flush()
    if not session.info.pop(_CHANGED, False):
        return
    if session.execute(_BUMP).rowcount == 0:  # tables made without the migration's row
        session.add(PublicGeneration(id=1, value=1))
        session.flush()


def _forget(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CHANGED, None)


def register_listeners() -> None:
    """Listen on every caseflow session (once per process, however many apps are made)."""
    for name, fn in (
        ("after_flush", _note_flush),
        ("do_orm_execute", _note_bulk),
        ("before_commit", _bump_before_commit),
        ("after_transaction_end", _forget),
    ):
        if not event.contains(CaseflowSession, name, fn):
            event.listen(CaseflowSession, name, fn)

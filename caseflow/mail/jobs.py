"""Mail intake as it runs: every session and every commit of taking mail in is here.

An import (``caseflow mail import``), a poll of the IMAP mailboxes and the scheduler's
look for stranded mail take messages one at a time, each in DESIGN.md's safe order:

1. store the raw bytes and commit (``store.store_raw``);
2. parse, route and file in a second transaction, or record the failure, and commit
   (``intake.process`` / ``intake.mark_failed``);
3. after that commit, move the message on the IMAP server (``imap.move_message``),
   through ``db.after_commit``, and record the move.

The services those steps call only flush.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _l
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from caseflow.common.errors import CaseflowError
from caseflow.db import after_commit, new_session
from caseflow.documents.storage import FileStore
from caseflow.mail import imap
from caseflow.mail.backfill import fill_canonical_hashes
from caseflow.mail.imap import LEASE, MailboxBusy, PollResult
from caseflow.mail.intake import (
    MAX_ATTEMPTS,
    claim_for_processing,
    count_attempt,
    gave_up,
    mark_failed,
    outcome,
    process,
    stranded_ids,
)
from caseflow.mail.models import Mailbox, MailMessage, MailStatus
from caseflow.mail.reasons import Failure, Reason
from caseflow.mail.store import RawMail, Stored, store_raw

log = logging.getLogger("caseflow.mail")

#: Called with the final status of a message once its processing is committed.
Then = Callable[[str], object]


def _then_after_commit(session: Session, then: Then | None, status: str) -> None:
    if then is not None:
        after_commit(lambda: then(status), session=session)


def _store(session: Session, store: FileStore, mail: RawMail) -> Stored:
    try:
        stored = store_raw(session, store, mail)
        session.commit()
    except IntegrityError:  # another import stored the same source a moment ago
        session.rollback()
        stored = store_raw(session, store, mail)
        session.commit()
    return stored


def _fail(session: Session, mail_id: int, error: str, then: Then | None = None) -> MailMessage:
    row = mark_failed(session, mail_id, error)
    _then_after_commit(session, then, row.status)
    session.commit()
    return row


def process_or_fail(
    session: Session, store: FileStore, mail_id: int, then: Then | None = None
) -> MailMessage:
    """Step 2 in its own transaction; a failure is committed as ``failed`` with the error."""
    try:
        row = claim_for_processing(session, mail_id)
        if row is None:  # someone else processed it meanwhile
            row = session.get(MailMessage, mail_id)
        else:
            process(session, store, row)
    except Exception as exc:  # kept and shown to the registrar, never lost
        session.rollback()
        return _fail(session, mail_id, f"{type(exc).__name__}: {exc}", then)
    # Outside the try: what runs after the commit (step 3) is not this message's failure.
    _then_after_commit(session, then, row.status)
    session.commit()
    return row


def _retry_stranded(
    session: Session, store: FileStore, mail_id: int, then: Then | None = None
) -> MailMessage:
    """A message a crashed run stored (or began) but never finished: count, then try."""
    row = count_attempt(session, mail_id)
    session.commit()
    if gave_up(row):
        return _fail(
            session,
            mail_id,
            Failure("interrupted", f"{MAX_ATTEMPTS} attempts ended with the process dying"),
            then,
        )
    return process_or_fail(session, store, mail_id, then)


class Intake:
    """Takes messages in one after another, each in its own two transactions.

    One session serves the whole run (an import, a poll); between messages it holds no
    transaction, so on SQLite it holds no lock either.
    """

    def __init__(self, app: Flask, store: FileStore):
        self.app, self.store = app, store
        self._context = app.app_context()
        self._context.push()
        self.session = new_session(app.extensions["caseflow.engine"], write=True)
        self._fill_canonical_hashes()

    def _fill_canonical_hashes(self, batch: int = 500) -> None:
        """Rows stored before canonical hashes existed get theirs before anything new is
        compared with them; a batch per commit, so no transaction holds the table long."""
        try:
            while fill_canonical_hashes(self.session, self.store, batch=batch) == batch:
                self.session.commit()
            self.session.commit()
        except BaseException:
            self.session.rollback()
            self.close()
            raise

    def __enter__(self) -> Intake:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.session.close()
        self._context.pop()

    def take(self, mail: RawMail, then: Then | None = None) -> tuple[str, dict]:
        """Both steps for one message; the stored status and the report. Never raises for
        bad mail (only for a database or disk that is gone). ``then(status)`` runs once the
        message's final state is committed (at once for one taken before)."""
        session, store = self.session, self.store
        try:
            stored = _store(session, store, mail)
            if stored.status == MailStatus.RECEIVED:
                row = (
                    process_or_fail(session, store, stored.id, then)
                    if stored.is_new
                    else _retry_stranded(session, store, stored.id, then)
                )
                return row.status, outcome(row, session)
            row = session.get(MailMessage, stored.id)
            report = outcome(row, session)
            if not stored.is_new:
                report["status"] = MailStatus.DUPLICATE
                report["reason"] = str(Reason("already_imported"))
            _then_after_commit(session, then, row.status)
            session.commit()  # nothing to write: runs ``then`` for a message taken before
            return row.status, report
        finally:
            session.rollback()  # end the report's read: no lock held until the next one


def intake(app: Flask, store: FileStore, mail: RawMail) -> tuple[str, dict]:
    """Both steps for one message (see ``Intake.take``)."""
    with Intake(app, store) as taker:
        return taker.take(mail)


def process_stranded(app: Flask, store: FileStore, *, older_than_seconds: int = 600) -> int:
    """Process messages a crashed import stored but never processed; returns how many."""
    with Intake(app, store) as taker:
        ids = stranded_ids(taker.session, timedelta(seconds=older_than_seconds))
        taker.session.rollback()
        for mail_id in ids:
            _retry_stranded(taker.session, store, mail_id)
    return len(ids)


# -- IMAP ----------------------------------------------------------------------------------


def poll_mailbox(app: Flask, store: FileStore, mailbox_id: int) -> PollResult:
    """Fetch, store, route and move every message waiting in one mailbox."""
    engine = app.extensions["caseflow.engine"]
    holder = imap.new_holder()
    with app.app_context():
        session = new_session(engine, write=True)
        try:
            mailbox = session.get(Mailbox, mailbox_id)
            if mailbox is None:
                raise CaseflowError(_l("The mailbox %(name)s does not exist.", name=mailbox_id))
            result = PollResult(mailbox.name)
            if not imap.claim(session, mailbox_id, holder):
                session.rollback()
                raise MailboxBusy(
                    _l(
                        "Another process is already fetching the mailbox %(name)s.",
                        name=mailbox.name,
                    )
                )
            session.commit()
            try:
                _fetch_all(app, store, session, mailbox, holder, result)
            except (OSError, IMAPClientError, CaseflowError) as exc:
                result.error = f"{type(exc).__name__}: {exc}"[:2000]
                log.warning("poll of %s stopped: %s", mailbox.name, result.error)
            finally:
                session.rollback()
                imap.release(session, mailbox_id, holder, result=result)
                session.commit()
            return result
        finally:
            session.close()


def _fetch_all(
    app: Flask,
    store: FileStore,
    session: Session,
    mailbox: Mailbox,
    holder: str,
    result: PollResult,
) -> None:
    client = imap.connect(mailbox)
    taker = Intake(app, store)
    try:
        for folder in (mailbox.processed_folder, mailbox.failed_folder):
            imap.ensure_folder(client, folder)
        selected = client.select_folder(mailbox.folder)
        uidvalidity = int(selected[b"UIDVALIDITY"])
        renewed = time.monotonic()
        for uid in sorted(client.search(["ALL"])):
            if time.monotonic() - renewed > LEASE.total_seconds() / 4:
                # Renew well before it runs out: one big message must not let another in.
                if not imap.claim(session, mailbox.id, holder):
                    raise MailboxBusy(
                        _l("Another process took over the mailbox %(name)s.", name=mailbox.name)
                    )
                session.commit()
                renewed = time.monotonic()
            _take_one(taker, client, mailbox, uidvalidity, uid, result)
    finally:
        taker.close()
        imap.close(client)


def _take_one(
    taker: Intake,
    client: IMAPClient,
    mailbox: Mailbox,
    uidvalidity: int,
    uid: int,
    result: PollResult,
) -> None:
    fetched = client.fetch([uid], ["BODY.PEEK[]", "INTERNALDATE"]).get(uid)
    if not fetched or b"BODY[]" not in fetched:
        return  # expunged by someone else meanwhile
    raw = bytes(fetched[b"BODY[]"])
    delivered = fetched.get(b"INTERNALDATE")
    # The digest in the key: a server that reuses UIDVALIDITY, or a mailbox pointed at
    # another account, never makes a new message look like one already taken.
    digest = hashlib.sha256(raw).hexdigest()[:24]
    mail = RawMail(
        raw,
        source=f"imap:{mailbox.name}/{mailbox.folder}#{uidvalidity}:{uid}",
        source_key=f"imap:{mailbox.id}:{mailbox.folder}:{uidvalidity}:{uid}:{digest}"[:1000],
        mailbox_id=mailbox.id,
        imap_folder=mailbox.folder,
        imap_uidvalidity=uidvalidity,
        imap_uid=uid,
        delivered_at=delivered if isinstance(delivered, datetime) and delivered.tzinfo else None,
    )

    lost: list[Exception] = []

    def move(status: str) -> None:
        """Step 3, once the message's state is committed: move it on the server."""
        target = mailbox.failed_folder if status == MailStatus.FAILED else mailbox.processed_folder
        try:
            if not imap.can_remove(client) and _already_copied(taker.session, mail.source_key):
                return  # copied on an earlier poll; this server cannot move or expunge one UID
            imap.move_message(client, uid, target)
            result.moved += 1
            _record_move(taker.session, mail.source_key, target)
        except Exception as exc:  # the message is safe in the database; the poll stops
            lost.append(exc)

    _status, report = taker.take(mail, then=move)
    result.add(report)
    if lost:
        raise lost[0]


def _already_copied(session: Session, source_key: str) -> bool:
    try:
        moved_to = session.exec(
            select(MailMessage.moved_to).where(MailMessage.source_key == source_key)
        ).first()
    finally:
        session.rollback()  # hold no lock while the server is talked to
    return moved_to is not None


def _record_move(session: Session, source_key: str, target: str) -> None:
    table = MailMessage.__table__
    session.execute(
        sa.update(table).where(table.c.source_key == source_key).values(moved_to=target)
    )
    session.commit()


def poll_all(app: Flask, store: FileStore) -> list[PollResult]:
    """Poll every active mailbox once; a busy or broken one does not stop the others."""
    with app.app_context():
        session = new_session(app.extensions["caseflow.engine"])
        try:
            ids = session.exec(
                select(Mailbox.id).where(Mailbox.is_active.is_(True)).order_by(Mailbox.id)
            ).all()
        finally:
            session.close()
    results = []
    for mailbox_id in ids:
        try:
            results.append(poll_mailbox(app, store, mailbox_id))
        except MailboxBusy as exc:
            results.append(PollResult(str(mailbox_id), error=str(exc)))
        except Exception as exc:  # a database hiccup in one mailbox must not stop the others
            log.exception("poll of mailbox %s failed", mailbox_id)
            results.append(PollResult(str(mailbox_id), error=f"{type(exc).__name__}: {exc}"))
    return results

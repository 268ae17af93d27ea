"""Fetching a functional mailbox over IMAP, in DESIGN.md's order that keeps mail safe.

For each message in the mailbox's folder, oldest UID first:

1. fetch it with ``BODY.PEEK[]`` (nothing is marked read on the server);
2. store it and commit, then parse and route it and commit (``intake.intake``);
3. only then move it, by UID, to the processed folder (or the failed folder).

Nothing is ever deleted on the server: with MOVE (RFC 6851) the server moves the one
message; without it, with UIDPLUS, it is copied and only that UID is expunged; without
either, it is copied and left where it is (the source key then tells a later poll that it
was taken). A whole folder is never expunged. A crash between the commit and the move
leaves the message in the folder: the next poll finds its source key taken and only moves
it. A new UIDVALIDITY gives every message a new source key; those stored before are then
recognised by Message-ID and bytes as duplicates and filed nothing twice.

One fetcher at a time per mailbox: a lease on the mailbox row, claimed with one UPDATE
and renewed while the poll runs, so a crashed fetcher frees the mailbox when it expires.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import socket
import ssl
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask
from flask_babel import lazy_gettext as _l
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError
from imapclient.imapclient import SocketTimeout
from sqlmodel import Session, select

from caseflow.common.crypto import unseal
from caseflow.common.errors import CaseflowError
from caseflow.common.timeutil import now
from caseflow.db import new_session
from caseflow.documents.storage import FileStore
from caseflow.mail.intake import Intake
from caseflow.mail.models import Mailbox, MailMessage, MailStatus
from caseflow.mail.store import RawMail

log = logging.getLogger("caseflow.mail.imap")

#: How long a poll holds its mailbox without renewing the lease.
LEASE = timedelta(minutes=10)


class MailboxBusy(CaseflowError):
    """Another fetcher holds the mailbox."""


@dataclass
class PollResult:
    mailbox: str
    reports: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    moved: int = 0
    error: str | None = None

    def add(self, report: dict) -> None:
        self.reports.append(report)
        self.counts[report["status"]] = self.counts.get(report["status"], 0) + 1


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:100]


def claim(session: Session, mailbox_id: int, holder: str) -> bool:
    """Take (or renew) the mailbox's lease; False when another fetcher holds it."""
    table = Mailbox.__table__
    at = now()
    claimed = session.execute(
        sa.update(table)
        .where(
            table.c.id == mailbox_id,
            sa.or_(
                table.c.lease_holder.is_(None),
                table.c.lease_holder == holder,
                table.c.lease_until < at,
            ),
        )
        .values(lease_holder=holder, lease_until=at + LEASE)
        .returning(table.c.id)
    ).first()
    return claimed is not None


def release(session: Session, mailbox_id: int, holder: str, *, result: PollResult) -> None:
    table = Mailbox.__table__
    session.execute(
        sa.update(table)
        .where(table.c.id == mailbox_id, table.c.lease_holder == holder)
        .values(
            lease_holder=None,
            lease_until=None,
            last_polled_at=now(),
            last_result=json.dumps({"counts": result.counts, "moved": result.moved}),
            last_error=result.error,
        )
    )


def connect(mailbox: Mailbox, *, timeout: float = 30.0) -> IMAPClient:
    """Log in to the mailbox's server; TLS is verified unless security is "none"."""
    context = ssl.create_default_context()
    client = IMAPClient(
        mailbox.host,
        port=mailbox.port,
        ssl=mailbox.security == "ssl",
        ssl_context=context,
        timeout=SocketTimeout(connect=timeout, read=timeout * 4),
    )
    client.normalise_times = False  # INTERNALDATE with its zone, not naive local time
    try:
        if mailbox.security == "starttls":
            client.starttls(context)
        password = unseal(mailbox.password_encrypted)
        if (mailbox.username + password).isascii():
            client.login(mailbox.username, password)
        else:  # LOGIN takes ASCII only; SASL PLAIN carries UTF-8 (RFC 4616)
            client.plain_login(mailbox.username, password)
    except BaseException:
        _close(client)
        raise
    return client


def _close(client: IMAPClient) -> None:
    with contextlib.suppress(Exception):  # the connection may be gone; nothing to save
        client.logout()


def check_connection(mailbox: Mailbox) -> int:
    """Log in and count the messages waiting in the folder (read-only; nothing is moved)."""
    client = connect(mailbox, timeout=15.0)
    try:
        selected = client.select_folder(mailbox.folder, readonly=True)
        return int(selected.get(b"EXISTS", 0))
    finally:
        _close(client)


def _ensure_folder(client: IMAPClient, name: str) -> None:
    if not client.folder_exists(name):
        client.create_folder(name)


def move_message(client: IMAPClient, uid: int, target: str) -> None:
    """Move one message by UID without ever expunging anything but that UID."""
    if client.has_capability("MOVE"):
        client.move([uid], target)
    elif client.has_capability("UIDPLUS"):
        client.copy([uid], target)
        client.add_flags([uid], [b"\\Deleted"])
        client.uid_expunge([uid])
    else:
        client.copy([uid], target)  # left in place: its source key marks it as taken


def _record_move(session: Session, source_key: str, target: str) -> None:
    table = MailMessage.__table__
    session.execute(
        sa.update(table).where(table.c.source_key == source_key).values(moved_to=target)
    )
    session.commit()


def poll_mailbox(app: Flask, store: FileStore, mailbox_id: int) -> PollResult:
    """Fetch, store, route and move every message waiting in one mailbox."""
    engine = app.extensions["caseflow.engine"]
    holder = _holder()
    with app.app_context():
        session = new_session(engine, write=True)
        try:
            mailbox = session.get(Mailbox, mailbox_id)
            if mailbox is None:
                raise CaseflowError(_l("The mailbox %(name)s does not exist.", name=mailbox_id))
            result = PollResult(mailbox.name)
            if not claim(session, mailbox_id, holder):
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
                release(session, mailbox_id, holder, result=result)
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
    client = connect(mailbox)
    taker = Intake(app, store)
    try:
        for folder in (mailbox.processed_folder, mailbox.failed_folder):
            _ensure_folder(client, folder)
        selected = client.select_folder(mailbox.folder)
        uidvalidity = int(selected[b"UIDVALIDITY"])
        renewed = time.monotonic()
        for uid in sorted(client.search(["ALL"])):
            if time.monotonic() - renewed > LEASE.total_seconds() / 4:
                # Renew well before it runs out: one big message must not let another in.
                if not claim(session, mailbox.id, holder):
                    raise MailboxBusy(
                        _l("Another process took over the mailbox %(name)s.", name=mailbox.name)
                    )
                session.commit()
                renewed = time.monotonic()
            _take_one(app, taker, client, mailbox, uidvalidity, uid, result)
    finally:
        taker.close()
        _close(client)


def _take_one(
    app: Flask,
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
    status, report = taker.take(mail)  # both commits happen in here
    result.add(report)
    target = mailbox.failed_folder if status == MailStatus.FAILED else mailbox.processed_folder
    if not _can_remove(client) and _already_copied(taker.session, mail.source_key):
        return  # copied on an earlier poll; this server cannot move or expunge one UID
    move_message(client, uid, target)
    result.moved += 1
    _record_move(taker.session, mail.source_key, target)


def _can_remove(client: IMAPClient) -> bool:
    return client.has_capability("MOVE") or client.has_capability("UIDPLUS")


def _already_copied(session: Session, source_key: str) -> bool:
    try:
        moved_to = session.exec(
            select(MailMessage.moved_to).where(MailMessage.source_key == source_key)
        ).first()
    finally:
        session.rollback()  # hold no lock while the server is talked to
    return moved_to is not None


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

"""Fetching a functional mailbox over IMAP, in DESIGN.md's order that keeps mail safe.

For each message in the mailbox's folder, oldest UID first:

1. fetch it with ``BODY.PEEK[]`` (nothing is marked read on the server);
2. store it and commit, then parse and route it and commit;
3. only then move it, by UID, to the processed folder (or the failed folder).

This module talks to the server and keeps the lease; the poll that owns the sessions and
runs the steps in that order is ``caseflow.mail.jobs.poll_mailbox``.

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
import json
import logging
import os
import socket
import ssl
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from imapclient import IMAPClient
from imapclient.imapclient import SocketTimeout
from sqlmodel import Session

from caseflow.common.crypto import unseal
from caseflow.common.errors import CaseflowError
from caseflow.common.timeutil import now
from caseflow.mail.hosts import is_allowed_host
from caseflow.mail.models import Mailbox

log = logging.getLogger("caseflow.mail.imap")

#: How long a poll holds its mailbox without renewing the lease.
LEASE = timedelta(minutes=10)


class MailboxBusy(CaseflowError):
    """Another fetcher holds the mailbox."""


class HostNotAllowed(CaseflowError):
    """The mailbox names a server the configuration does not allow (MAILBOX_ALLOWED_HOSTS)."""


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


def new_holder() -> str:
    """A name for this fetcher, unique across hosts and processes."""
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
    """Log in to the mailbox's server; TLS is verified unless security is "none".

    Only a server the configuration allows (:mod:`caseflow.mail.hosts`) is contacted.
    """
    if not is_allowed_host(mailbox.host):
        raise HostNotAllowed(
            _l("The server %(host)s is not among the allowed mail servers.", host=mailbox.host)
        )
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
        close(client)
        raise
    return client


def close(client: IMAPClient) -> None:
    with contextlib.suppress(Exception):  # the connection may be gone; nothing to save
        client.logout()


def check_connection(mailbox: Mailbox) -> int:
    """Log in and count the messages waiting in the folder (read-only; nothing is moved)."""
    client = connect(mailbox, timeout=15.0)
    try:
        selected = client.select_folder(mailbox.folder, readonly=True)
        return int(selected.get(b"EXISTS", 0))
    finally:
        close(client)


def ensure_folder(client: IMAPClient, name: str) -> None:
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


def can_remove(client: IMAPClient) -> bool:
    """Whether the server can move or expunge a single message (MOVE or UIDPLUS)."""
    return client.has_capability("MOVE") or client.has_capability("UIDPLUS")

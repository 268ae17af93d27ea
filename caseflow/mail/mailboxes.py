"""Functional mailboxes (funktionsbrevlådor) read over IMAP: set up by an admin.

The password is sealed (``common.crypto``) and never shown, logged or put in the audit
trail; leaving the password empty when editing keeps the one stored, except when the
server, port, connection security or user name changes: then the password must be given
again, so that no one can send the stored password to a server of their choosing without
knowing it. The server must be one the configuration allows (:mod:`caseflow.mail.hosts`).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.common import audit
from caseflow.common.crypto import seal
from caseflow.common.errors import NotFound, ValidationError
from caseflow.mail.hosts import is_allowed_host
from caseflow.mail.models import Mailbox

SECURITY = ("ssl", "starttls", "none")
LOOPBACK = ("127.0.0.1", "::1", "localhost")
#: Where the stored password goes: changing one of these needs the password again.
WHERE_THE_PASSWORD_GOES = ("host", "port", "security", "username")
#: Fields an admin sets; the password is handled apart from them.
FIELDS = (
    "name", "address", "host", "port", "security", "username", "folder",
    "processed_folder", "failed_folder", "is_active",
)  # fmt: skip

DEFAULTS = {
    "security": "ssl",
    "folder": "INBOX",
    "processed_folder": "caseflow-processed",
    "failed_folder": "caseflow-failed",
    "is_active": True,
}


def mailbox_snapshot(mailbox: Mailbox) -> dict:
    """What the audit trail records of a mailbox: everything but the password."""
    return {name: getattr(mailbox, name) for name in FIELDS}


def _validate(values: dict) -> None:
    if not (values.get("name") or "").strip():
        raise ValidationError(_l("Give the mailbox a name."))
    if not (values.get("host") or "").strip():
        raise ValidationError(_l("Give the name of the IMAP server."))
    if not (values.get("username") or "").strip():
        raise ValidationError(_l("Give the user name of the IMAP account."))
    if not is_allowed_host(values["host"]):
        raise ValidationError(
            _l(
                "caseflow may not connect to the server %(host)s: the mail servers it may use "
                "are set in its configuration (MAILBOX_ALLOWED_HOSTS). Ask whoever runs "
                "caseflow to add it.",
                host=values["host"].strip(),
            )
        )
    port = values.get("port")
    if not isinstance(port, int) or not 1 <= port <= 65535:
        raise ValidationError(_l("The port must be a number between 1 and 65535."))
    if values.get("security") not in SECURITY:
        raise ValidationError(_l("Choose the connection security: SSL/TLS, STARTTLS or none."))
    plain_over_network = (
        values["security"] == "none" and (values.get("host") or "").strip() not in LOOPBACK
    )
    if plain_over_network and not current_app.config.get("MAIL_ALLOW_PLAIN_IMAP"):
        raise ValidationError(
            _l(
                "Unencrypted IMAP is allowed only to this computer (127.0.0.1): otherwise the "
                "password would cross the network in clear text. Choose SSL/TLS or STARTTLS."
            )
        )
    folders = [
        (values.get(n) or "").strip() for n in ("folder", "processed_folder", "failed_folder")
    ]
    if not all(folders):
        raise ValidationError(_l("Give the folders for incoming, processed and failed messages."))
    if len(set(folders)) != 3:
        raise ValidationError(
            _l("The inbox and the folders for processed and failed messages must differ.")
        )


def _unique_name(session: Session, name: str, mailbox_id: int | None) -> None:
    other = session.exec(select(Mailbox).where(Mailbox.name == name)).first()
    if other is not None and other.id != mailbox_id:
        raise ValidationError(_l("There is already a mailbox called %(name)s.", name=name))


def create_mailbox(session: Session, *, password: str, **values) -> Mailbox:
    """Add a mailbox; ``values`` are the FIELDS (folders and security have defaults)."""
    values = {**DEFAULTS, **values}
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    _validate(values)
    if not password:
        raise ValidationError(_l("Give the password of the IMAP account."))
    _unique_name(session, values["name"], None)
    mailbox = Mailbox(**values, password_encrypted=seal(password))
    session.add(mailbox)
    session.flush()
    audit.record(session, "mailbox.create", mailbox, after=mailbox_snapshot(mailbox))
    return mailbox


def update_mailbox(
    session: Session, mailbox: Mailbox, *, password: str | None = None, **values
) -> Mailbox:
    """Change a mailbox; an empty ``password`` keeps the stored one, unless the change
    would send it elsewhere (another server, port, security or user name)."""
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in values.items()}
    _validate({**mailbox_snapshot(mailbox), **values})
    moved = [n for n in WHERE_THE_PASSWORD_GOES if n in values and values[n] != getattr(mailbox, n)]
    if moved and not password:
        raise ValidationError(
            _l(
                "Enter the mailbox's password again to change its server, port, connection "
                "security or user name: the stored password is sent only where it was given for."
            )
        )
    if "name" in values:
        _unique_name(session, values["name"], mailbox.id)
    before = mailbox_snapshot(mailbox)
    for name, value in values.items():
        if name not in FIELDS:
            raise ValueError(f"not a mailbox field: {name}")
        setattr(mailbox, name, value)
    after = mailbox_snapshot(mailbox)
    if password:
        mailbox.password_encrypted = seal(password)
        after["password_changed"] = True
    session.flush()
    audit.record(session, "mailbox.update", mailbox, before=before, after=after)
    return mailbox


def get_mailbox(session: Session, ref: int | str) -> Mailbox:
    """A mailbox by id or by name."""
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        mailbox = session.get(Mailbox, int(ref))
    else:
        mailbox = session.exec(select(Mailbox).where(Mailbox.name == ref)).first()
    if mailbox is None:
        raise NotFound(_l("The mailbox %(name)s does not exist.", name=ref))
    return mailbox

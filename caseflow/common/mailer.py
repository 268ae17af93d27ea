"""The one way caseflow sends mail: SMTP as configured, or the outbox folder without it.

With ``MAIL_SERVER`` set, every message goes through that relay, with STARTTLS
(``MAIL_USE_STARTTLS``) or implicit TLS (``MAIL_USE_TLS``) and a login
(``MAIL_USERNAME``/``MAIL_PASSWORD``) as configured. Without it, each message is written
as an .eml file into ``MAIL_OUTBOX_DIR`` (``instance/outbox/``), so a demo or a test
instance never mails anyone by accident and what would have been sent can be read.

Call :func:`send` only after the commit that records what is sent (see
``caseflow.db.after_commit``), and record its outcome in a transaction of its own.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from caseflow.common.errors import CaseflowError
from caseflow.common.timeutil import now

#: How long to wait for the mail server before calling the attempt failed.
SMTP_TIMEOUT_SECONDS = 30


class MailNotSent(CaseflowError):
    """The mail server did not take the message.

    ``code`` says why in a word callers store ("unreachable", "login", "refused");
    ``detail`` is the server's or the system's own text, for the administrator;
    ``refused`` the server's reply per address when it refused every recipient.
    """

    def __init__(self, message, *, code: str, detail: str = "", refused: dict | None = None):
        super().__init__(message)
        self.code, self.detail, self.refused = code, detail, refused or {}


@dataclass
class Sent:
    """What became of one message."""

    #: "smtp" or "outbox".
    via: str
    #: Recipients the server refused (a server may take some and refuse others).
    refused: dict[str, str] = field(default_factory=dict)
    #: The .eml written when there is no mail server.
    path: Path | None = None


def uses_outbox() -> bool:
    """Whether mail is written to the outbox folder instead of being sent."""
    return not current_app.config.get("MAIL_SERVER")


def outbox_dir() -> Path:
    configured = current_app.config.get("MAIL_OUTBOX_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "outbox"


_SENDER_LOOKUP = "caseflow.sender_lookup"


def register_sender_lookup(app, lookup: Callable[[], str]) -> None:
    """The domain that keeps the organisation's name and e-mail address tells the mailer
    who sends when ``MAIL_FROM`` is empty (the organisation profile does)."""
    app.extensions[_SENDER_LOOKUP] = lookup


def default_sender() -> str:
    """Who caseflow's mail is from: ``MAIL_FROM``, else the organisation's name and e-mail
    address as the admin saved them; "" when neither is set."""
    configured = current_app.config.get("MAIL_FROM")
    if configured:
        return configured
    lookup = current_app.extensions.get(_SENDER_LOOKUP)
    return lookup() if lookup else ""


def sender_domain() -> str:
    """The domain of :func:`default_sender`'s address ("" when there is none)."""
    return parseaddr(default_sender())[1].rpartition("@")[2].strip().lower()


def new_message_id() -> str:
    """A Message-ID on caseflow's own domain (``MAIL_MESSAGE_ID_DOMAIN``, else
    ``caseflow.`` + the sender's domain), so that replies and bounces can be recognised
    as answering what caseflow sent."""
    domain = current_app.config.get("MAIL_MESSAGE_ID_DOMAIN")
    if not domain:
        domain = f"caseflow.{sender_domain() or 'invalid'}"
    return f"<caseflow.{uuid.uuid4().hex}@{domain}>"


def _fill_sender(message: EmailMessage) -> None:
    """A message built without a sender (``MAIL_FROM`` empty) gets the default one; with a
    mail server and no address anywhere it cannot be sent, and says so."""
    if str(message.get("From") or "").strip():
        return
    del message["From"]
    sender = default_sender()
    if not sender and not uses_outbox():
        raise MailNotSent(
            _l(
                "No sender address is set: an administrator enters the organisation's "
                "e-mail address under Administration › Organisation details."
            ),
            code="no_sender",
        )
    message["From"] = sender or "caseflow"


def render_body(template: str, **context) -> str:
    """An e-mail body from ``templates/email/``, in the organisation's language."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return render_template(f"email/{template}", **context)


def send(message: EmailMessage, *, recipients: list[str] | None = None) -> Sent:
    """Send ``message`` (or write it to the outbox); raise :class:`MailNotSent` on failure.

    ``recipients``: the envelope's addresses, when they are not those of the To, Cc and
    Bcc headers (a message to a group without addresses, its recipients in Bcc).
    """
    _fill_sender(message)
    if uses_outbox():
        try:
            return Sent("outbox", path=_write_to_outbox(_with_blind_copies(message, recipients)))
        except OSError as exc:
            raise MailNotSent(
                _l("The message could not be written to the outbox folder."),
                code="outbox",
                detail=_detail(exc),
            ) from exc
    config = current_app.config
    host, port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25)
    try:
        if config.get("MAIL_USE_TLS"):
            smtp = smtplib.SMTP_SSL(
                host, port, timeout=SMTP_TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS)
        with smtp:
            if config.get("MAIL_USE_STARTTLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            refused = smtp.send_message(message, to_addrs=recipients)
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailNotSent(
            _l("The mail server refused every recipient."),
            code="refused",
            detail=_detail(exc),
            refused={k: _smtp_reply(v) for k, v in exc.recipients.items()},
        ) from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise MailNotSent(
            _l("The mail server did not accept caseflow's login; ask the administrator."),
            code="login",
            detail=_detail(exc),
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent(
            _l("The mail server could not be reached or did not take the message."),
            code="unreachable",
            detail=_detail(exc),
        ) from exc
    return Sent("smtp", refused={k: _smtp_reply(v) for k, v in refused.items()})


def _with_blind_copies(message: EmailMessage, recipients: list[str] | None) -> EmailMessage:
    """The outbox keeps what would have been sent: envelope recipients the headers do not
    name are written as Bcc (which a mail server never passes on)."""
    if not recipients:
        return message
    named = {
        address.addr_spec.lower()
        for header in ("To", "Cc")
        for value in message.get_all(header, [])
        for address in getattr(value, "addresses", ())
    }
    blind = [r for r in recipients if r.lower() not in named]
    if blind:
        del message["Bcc"]
        message["Bcc"] = ", ".join(blind)
    return message


def _write_to_outbox(message: EmailMessage) -> Path:
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    data = bytes(message)
    digest = hashlib.sha256(data).hexdigest()[:12]
    path = folder / f"{now().strftime('%Y%m%dT%H%M%S%f')}-{digest}.eml"
    partial = path.with_suffix(".eml.part")
    partial.write_bytes(data)
    os.replace(partial, path)  # a reader of the folder never sees half a message
    return path


def _smtp_reply(reply) -> str:
    code, text = reply if isinstance(reply, tuple) else (None, reply)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip() if code else str(text)


def _detail(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]

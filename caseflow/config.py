"""Configuration defaults and the layers that override them.

Order (last wins): these defaults → ``instance/config.py`` → ``CASEFLOW_*`` environment
variables → the test config passed to ``create_app``.
"""

import json
import os
from pathlib import Path

ENV_PREFIX = "CASEFLOW_"


class NotConfigured(RuntimeError):
    """The instance lacks what the app cannot run without (a secret key)."""


class Defaults:
    #: Name printed on documents and in the UI header.
    ORGANISATION_NAME = "Region Jämtland Härjedalen"
    ORGANISATION_ADDRESS = "Box 654, 831 27 Östersund"
    #: Whose proposal a memo carries by default ("Regiondirektörens förslag").
    MEMO_DEFAULT_PROPOSER = "Regiondirektören"
    #: Whether officials may decide cases themselves (delegationsbeslut).
    ALLOW_DELEGATED_DECISIONS = True
    #: How a case number is written. ``{series}``, ``{seq}`` and ``{year}`` are required.
    CASE_NUMBER_FORMAT = "{series}/{seq}/{year}"
    #: Set by ``create_app`` to SQLite in the instance folder unless configured.
    DATABASE_URL = None
    SECRET_KEY = None

    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    LANGUAGES = ("sv", "en")
    #: The language of the ``caseflow`` command and of jobs (no request to ask): one of
    #: LANGUAGES, e.g. ``CASEFLOW_CLI_LANGUAGE=en``; None means BABEL_DEFAULT_LOCALE.
    CLI_LANGUAGE = None

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    #: A login unused this long is ended on the server (the cookie stops working); an hour
    #: covers a meeting away from the desk without leaving an unattended browser open all day.
    SESSION_IDLE_MINUTES = 60
    #: The address users reach caseflow at, e.g. "https://caseflow.regionjh.se": put before
    #: links made without a browser's request (``caseflow user activate``).
    BASE_URL = None
    #: How long a one-time password link handed out by an admin can be used.
    PASSWORD_LINK_HOURS = 24

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    #: Failed logins allowed per account (and per client address x4) within the window.
    LOGIN_MAX_FAILURES = 5
    LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60

    #: Outgoing mail (expediering). Message-IDs are made on our own domain so that
    #: replies can be routed back to their case.
    #: The SMTP relay. None: every message is written as an .eml file into MAIL_OUTBOX_DIR.
    MAIL_SERVER = None
    MAIL_PORT = 25
    MAIL_USE_STARTTLS = False
    #: Implicit TLS from the first byte (SMTPS, usually port 465) instead of STARTTLS.
    MAIL_USE_TLS = False
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_FROM = "Region Jämtland Härjedalen <registrator@regionjh.se>"
    MAIL_MESSAGE_ID_DOMAIN = "caseflow.regionjh.se"
    #: Where messages go when no MAIL_SERVER is set; None: ``instance/outbox``.
    MAIL_OUTBOX_DIR = None
    #: The papers attached to a kallelse together may be at most this large (the files'
    #: own size; the message grows by a third in transit). What does not fit is listed.
    SUMMONS_MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
    #: Incoming mail larger than this is stored and queued for the registrar, never filed
    #: automatically (and never dropped).
    MAIL_MAX_MESSAGE_BYTES = 50 * 1024 * 1024
    #: Whether a mailbox may be read without TLS from another host than this one.
    MAIL_ALLOW_PLAIN_IMAP = False
    #: How often ``caseflow scheduler`` fetches the IMAP mailboxes.
    MAIL_POLL_MINUTES = 2
    #: A warm LibreOffice converter (unoserver), e.g. "127.0.0.1:2003"; None: one-off soffice.
    PDF_CONVERTER_URL = None

    #: Largest accepted upload in one request.
    MAX_CONTENT_LENGTH = 100 * 1024 * 1024
    CASES_PER_PAGE = 50


def _coerce(value: str):
    """Read an environment value as JSON where it parses (numbers, booleans), else text."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def load_config(app, test_config=None) -> None:
    """Apply the configuration layers to ``app.config``."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    for key, value in os.environ.items():
        if key.startswith(ENV_PREFIX) and key not in ("CASEFLOW_INSTANCE",):
            app.config[key[len(ENV_PREFIX) :]] = _coerce(value)
    if test_config:
        app.config.update(test_config)
    if not app.config.get("DATABASE_URL"):
        db_path = Path(app.instance_path) / "caseflow.sqlite"
        app.config["DATABASE_URL"] = f"sqlite:///{db_path}"
    app.config.setdefault("FILES_DIR", str(Path(app.instance_path) / "files"))


def instance_path() -> str:
    """The instance folder: ``CASEFLOW_INSTANCE`` or ``./instance``, also when installed."""
    return str(Path(os.environ.get("CASEFLOW_INSTANCE", "instance")).resolve())

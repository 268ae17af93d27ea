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
    #: Name printed on documents and in the UI header until an admin saves the organisation
    #: profile (Administration › Organisationsuppgifter), which replaces these two; empty:
    #: "caseflow", so that a new instance never shows another authority's name.
    ORGANISATION_NAME = ""
    ORGANISATION_ADDRESS = ""
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

    #: Login throttling (caseflow/auth/throttle.py; no lock, only growing waits). Per
    #: account and client: free failures, then 2^n seconds up to the maximum; failures are
    #: remembered a day (or until that client's next good login).
    LOGIN_FREE_FAILURES = 3
    LOGIN_MAX_DELAY_SECONDS = 15 * 60
    LOGIN_FAILURE_MEMORY_SECONDS = 24 * 3600
    #: An account failing from this many clients, more than this many times in the window,
    #: is under a distributed attack: every unknown client waits, at most the maximum.
    LOGIN_FAILURE_WINDOW_SECONDS = 3600
    LOGIN_ACCOUNT_CLIENTS = 3
    LOGIN_ACCOUNT_FREE_FAILURES = 10
    LOGIN_ACCOUNT_MAX_DELAY_SECONDS = 60
    #: One client failing on many accounts: above this many failures in the window it
    #: waits, except on accounts that logged in from it before (the office behind a proxy).
    LOGIN_CLIENT_FREE_FAILURES = 100
    LOGIN_CLIENT_MAX_DELAY_SECONDS = 60
    #: How long a good login makes a client "known" for its account.
    LOGIN_KNOWN_CLIENT_DAYS = 90
    #: Reverse proxies in front of caseflow whose X-Forwarded-* headers are trusted (the
    #: number of hops, Werkzeug's ProxyFix). 0 (the default): the headers are ignored, as
    #: anyone can send them; set PROXY_FIX_X_FOR = 1 behind one nginx.
    PROXY_FIX_X_FOR = 0
    PROXY_FIX_X_PROTO = 0
    PROXY_FIX_X_HOST = 0
    PROXY_FIX_X_PORT = 0
    PROXY_FIX_X_PREFIX = 0

    #: Rate limits on the public pages, per client address (caseflow/common/ratelimit.py):
    #: endpoint name or pattern → limit(s). "POST: …" counts only POSTs; every matching
    #: entry applies; a view that needs a login is never limited. Endpoints that do not
    #: exist are ignored.
    PUBLIC_RATE_LIMITS = {
        # Every page of the e-diarium, the request pages and the notice board has a
        # limit; every matching entry applies.
        "public.*": "120/minute",
        "public.search": "60/minute;600/hour",
        "public.postlista*": "30/minute",
        "disclosure_public.*": "60/minute",
        "disclosure_public.new": "POST: 5/minute;20/day",
        "noticeboard.*": "120/minute",
    }
    #: Where the counts are kept. "memory://" (the default, needs no server): in each
    #: process, so with N gunicorn workers a client may make up to N times the limit;
    #: "redis://127.0.0.1:6379/0" in production, shared by every worker.
    RATELIMIT_STORAGE_URI = "memory://"
    #: Put in front of every key, for several caseflow instances sharing one Redis.
    RATELIMIT_KEY_PREFIX = "caseflow"
    #: False switches the public limits off (the load benchmark measures without them).
    RATELIMIT_ENABLED = True

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
    #: The sender of caseflow's mail; empty: the organisation profile's name and e-mail.
    MAIL_FROM = ""
    #: The domain of caseflow's Message-IDs; empty: "caseflow." + the sender's domain.
    MAIL_MESSAGE_ID_DOMAIN = ""
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
    #: The organisation's seal on every PDF/A of a decision (caseflow/seal). "pkcs12": the
    #: key and certificate in a PKCS#12 file; a signing service would be another adapter.
    SEAL_ADAPTER = "pkcs12"
    #: The PKCS#12 file (.p12/.pfx), relative to the instance folder or absolute; None: no
    #: seal, PDFs are made unsealed and the UI says so.
    SEAL_PKCS12_PATH = None
    SEAL_PKCS12_PASSWORD = None
    #: An RFC 3161 timestamp server: seals become PAdES B-T (a TSA's time) instead of B-B.
    SEAL_TIMESTAMP_URL = None

    #: The audit trail's key (at least 32 characters of random text), kept out of the
    #: database: set ``CASEFLOW_AUDIT_KEY`` in the environment of every app server and of
    #: the scheduler. None: the key file (AUDIT_KEY_FILE, default ``instance/audit.key``),
    #: made by ``caseflow init`` or the first audit event.
    AUDIT_KEY = None
    AUDIT_KEY_FILE = None
    #: Where signed checkpoints of the audit trail are appended; None:
    #: ``instance/audit-checkpoints.log``; "" writes none to a file.
    AUDIT_CHECKPOINT_FILE = None
    #: Also send each checkpoint to syslog (facility auth), where a log server keeps a copy.
    AUDIT_CHECKPOINT_SYSLOG = False
    #: The syslog socket ("/dev/log") or ["host", 514] for UDP; None: "/dev/log".
    AUDIT_CHECKPOINT_SYSLOG_ADDRESS = None
    #: How often ``caseflow scheduler`` writes a checkpoint.
    AUDIT_CHECKPOINT_MINUTES = 15

    #: File text for search (caseflow/search/extract.py): files larger than this are not
    #: read (status too_large); reading one file may take at most this many seconds (its
    #: child process is killed then: failed, timeout); at most this many characters of a
    #: file's text are kept (the rest is cut, reason truncated).
    SEARCH_EXTRACT_MAX_BYTES = 50 * 1024 * 1024
    SEARCH_EXTRACT_TIMEOUT_SECONDS = 30
    SEARCH_TEXT_MAX_CHARS = 1_000_000
    #: Extract file text in a background thread of the web process after the request that
    #: registered the file (caseflow/search/worker.py). None: on with SQLite (the embedded
    #: setup, usually without ``caseflow scheduler``), off with PostgreSQL, where the
    #: scheduler's job extracts every 30 seconds, and in tests.
    SEARCH_EXTRACT_IN_PROCESS = None

    #: The notice board (caseflow/noticeboard): post the notice of a protocol on the day it
    #: is attested, and announce a meeting when its kallelse is sent. False: a manager
    #: posts them by hand (the board is kept somewhere else).
    NOTICEBOARD_AUTO_POST = True
    #: Where attested protocols are kept, as a notice states it ("Protokollet förvaras
    #: hos …"); None: the organisation's name and postal address.
    NOTICEBOARD_PROTOCOL_KEPT_AT = None

    #: Largest accepted upload in one request.
    MAX_CONTENT_LENGTH = 100 * 1024 * 1024
    CASES_PER_PAGE = 50
    #: The most rows one CSV or XLSX export may hold; a larger one is refused with a
    #: request to narrow the filter.
    EXPORT_MAX_ROWS = 100_000

    #: The e-diarium (caseflow/public). Private persons (a person not acting for an
    #: organisation, a free-text sender not matched to one) are shown as "Privatperson"
    #: unless this is set.
    PUBLIC_SHOW_PRIVATE_PERSONS = False
    #: Series whose marked files are published, and from which document date:
    #: {"RS": "2021-01-01"}. A series not listed publishes no files.
    PUBLIC_FILES_FROM = {}
    #: Cache-Control max-age of the public pages; 0: "no-cache" (kept, but revalidated by
    #: ETag each time, so no browser or proxy shows a page after a change).
    PUBLIC_CACHE_MAX_AGE = 0
    #: Rendered public pages kept per worker process (0: no response cache).
    PUBLIC_CACHE_ENTRIES = 2000
    #: …and at most this many bytes of them.
    PUBLIC_CACHE_BYTES = 64 * 1024 * 1024
    #: /robots.txt: the public pages may be indexed, nothing else.
    ROBOTS_POLICY = (
        "User-agent: *\nAllow: /diarium/\nAllow: /anslagstavla/\nAllow: /tillganglighet\n"
        "Disallow: /diarium/begaran/\nDisallow: /\n"
    )
    #: The tillgänglighetsredogörelse (/tillganglighet): status "full", "partial" or
    #: "none"; known gaps (texts); how it was assessed; when; where to send feedback
    #: (None: the organisation profile's e-mail address).
    ACCESSIBILITY_STATEMENT = {
        "status": "partial",
        "gaps": (),
        "method": None,
        "assessed_on": "2026-12-03",
        "updated_on": None,
        "feedback_email": None,
    }


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

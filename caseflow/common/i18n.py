"""Swedish first, English on request.

In a request the language switch stores the reader's choice in the session; on the
public pages (``PUBLIC_BLUEPRINTS``: no login, no cookie) the language is in the URL
instead, ``?lang=en``, so that a page is the same for everyone who asks for it. Outside a
request (the ``caseflow`` command, the scheduler's jobs) there is nobody to ask: the
language is ``CLI_LANGUAGE`` (``CASEFLOW_CLI_LANGUAGE=en``) when set, else the default.
"""

import json
from pathlib import Path

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import format_decimal

from caseflow.common.timeutil import LOCAL_TZ
from caseflow.extensions import babel

#: The blueprints of the anonymous public pages, whose language is the URL's ``lang``.
PUBLIC_BLUEPRINTS = frozenset({"public", "disclosure_public", "noticeboard"})


def select_locale() -> str:
    """The reader's language: the URL's ``lang`` on a public page, the session's choice
    on the others, ``CLI_LANGUAGE`` outside a request."""
    if has_request_context():
        if request.blueprint in PUBLIC_BLUEPRINTS:
            chosen = request.args.get("lang")
        else:
            chosen = session.get("lang")
            if request.blueprint is None:  # an address that names nothing: its error page
                chosen = request.args.get("lang") or chosen
    else:
        chosen = current_app.config.get("CLI_LANGUAGE")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    translations = Path(__file__).resolve().parent.parent / "translations"
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(translations))
    babel.init_app(app, locale_selector=select_locale)

    @app.template_filter("date")
    def _date(value):
        """Dates as Swedish practice writes them: ISO 8601 (2021-11-03)."""
        return value.isoformat() if value else ""

    @app.template_filter("filesize")
    def _filesize(size):
        """A file's size as the reader's language writes it: "32 B", "0,8 kB", "1,4 MB"."""
        return file_size(size)

    @app.template_filter("fromjson")
    def _fromjson(value):
        return json.loads(value) if value else {}

    @app.template_filter("datetime")
    def _datetime(value):
        """A moment in the organisation's time zone: 2021-11-03 14:05."""
        return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M") if value else ""


class Labels:
    """Translated labels for one render: each looked up once, however many rows use it."""

    def __init__(self, lazy: dict):
        self._lazy, self._done = lazy, {}

    def __getitem__(self, key):
        if key not in self._done:
            self._done[key] = str(self._lazy[key])
        return self._done[key]

    def get(self, key, default=None):
        return self[key] if key in self._lazy else default


def file_size(size: int | None) -> str:
    """Bytes below a kilobyte as bytes (a tiny file never reads "0.0 kB"), else kB or MB
    with one decimal, in the current locale's notation."""
    size = int(size or 0)
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{format_decimal(size / 1000, format='#,##0.0')} kB"
    return f"{format_decimal(size / 1_000_000, format='#,##0.0')} MB"

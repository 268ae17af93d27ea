"""Swedish first, English on request (the language switch stores the choice)."""

import json
from pathlib import Path

from flask import Flask, current_app, has_request_context, session
from flask_babel import format_date, format_datetime

from caseflow.extensions import babel


def select_locale() -> str:
    chosen = session.get("lang") if has_request_context() else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    translations = Path(__file__).resolve().parent.parent / "translations"
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(translations))
    babel.init_app(app, locale_selector=select_locale)

    @app.template_filter("date")
    def _date(value, fmt="yyyy-MM-dd"):
        return format_date(value, fmt) if value else ""

    @app.template_filter("fromjson")
    def _fromjson(value):
        return json.loads(value) if value else {}

    @app.template_filter("datetime")
    def _datetime(value, fmt="yyyy-MM-dd HH:mm"):
        return format_datetime(value, fmt) if value else ""

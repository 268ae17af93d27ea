"""Links on the public pages: the language travels in the URL (no cookie)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app, request, url_for
from werkzeug.routing import BuildError


def current_lang() -> str | None:
    """The ``lang`` of this request when it names a language other than the default."""
    lang = request.args.get("lang")
    config = current_app.config
    if lang in config["LANGUAGES"] and lang != config["BABEL_DEFAULT_LOCALE"]:
        return lang
    return None


def public_url(endpoint: str, **values) -> str:
    """``url_for`` that keeps the reader's language (``?lang=en``) on a public page."""
    lang = current_lang()
    if lang is not None:
        values.setdefault("lang", lang)
    return url_for(endpoint, **values)


def public_url_if_any(endpoint: str, **values) -> str | None:
    """:func:`public_url`, or None when no such page is installed (a link to another
    piece of the public side that this instance does not run)."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return public_url(endpoint, **values)
    except BuildError:
        return None


def language_switch_url(lang: str) -> str:
    """This page in another language (its other parameters kept; the page reset)."""
    args = request.args.to_dict()
    args.pop("lang", None)
    if lang != current_app.config["BABEL_DEFAULT_LOCALE"]:
        args["lang"] = lang
    if request.endpoint is None:  # an address that names nothing: the same address
        return request.path + (f"?{urlencode(args)}" if args else "")
    return url_for(request.endpoint, **(request.view_args or {}), **args)

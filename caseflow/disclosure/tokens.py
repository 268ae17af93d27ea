"""The public form's protection without a session: a signed, time-limited form token.

The anonymous form sets no cookie, so Flask-WTF's session-bound CSRF token cannot be
used. Instead the form carries a token signed with ``SECRET_KEY`` under a salt of its
own: a POST without a token this server signed within ``DISCLOSURE_FORM_TOKEN_SECONDS``
is refused. A cross-site page cannot read a token out of our form, and an old copied
token runs out. A honeypot field, hidden from people, catches the simplest robots.
"""

from __future__ import annotations

import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

SALT = "caseflow.disclosure.request-form"
#: The hidden field a person leaves empty (it is labelled as such for screen readers).
HONEYPOT = "website"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def new_form_token() -> str:
    """A token for one rendering of the form."""
    return _serializer().dumps({"n": secrets.token_hex(8)})


def form_token_problem(token: str | None) -> str | None:
    """None for a good token; else "missing", "expired" or "forged"."""
    if not token:
        return "missing"
    try:
        _serializer().loads(token, max_age=int(current_app.config["DISCLOSURE_FORM_TOKEN_SECONDS"]))
    except SignatureExpired:
        return "expired"
    except BadSignature:
        return "forged"
    return None


def form_nonce(token: str) -> str | None:
    """The random part of a token :func:`form_token_problem` found good: what makes one
    rendering of the form one request."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    nonce = value.get("n") if isinstance(value, dict) else None
    return str(nonce)[:32] if nonce else None

"""Secrets caseflow must be able to read back (an IMAP password), sealed at rest.

Passwords of users are hashed (argon2); a mailbox password has to be sent to the IMAP
server, so it is encrypted instead, with Fernet (AES-128-CBC + HMAC-SHA256) and a key
derived from ``SECRET_KEY`` by HKDF. A database dump alone does not reveal it; a new
``SECRET_KEY`` means the mailbox passwords must be entered again.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import lazy_gettext as _l

from caseflow.common.errors import CaseflowError


def _fernet() -> Fernet:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"caseflow", info=b"stored-secrets"
    ).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(value: str) -> str:
    """Encrypt ``value`` for storage."""
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def unseal(token: str) -> str:
    """Decrypt a value sealed by :func:`seal` with the current ``SECRET_KEY``."""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise CaseflowError(
            _l("The stored password cannot be read (has SECRET_KEY changed?): enter it again.")
        ) from exc


def token_digest(token: str) -> str:
    """What is stored of a secret link's token (a one-time password link, a requester's
    private link): its sha256, so the stored value opens nothing."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()

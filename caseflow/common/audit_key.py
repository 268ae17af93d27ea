"""The audit trail's key: where it comes from and what is derived from it.

The key is a secret outside the database: ``AUDIT_KEY`` in the configuration (the
environment of the app servers and the scheduler, ``CASEFLOW_AUDIT_KEY``), or else the key
file ``instance/audit.key`` that ``caseflow init`` (or the first audit event of a trail
not yet keyed) creates, readable by its owner only. Someone who can write the database but
has not got the key cannot compute the links of the chain, nor sign a checkpoint.

Two keys are derived from it, one per purpose (the chain's links, the checkpoints), and a
short key id that each keyed event carries, so a trail continued under another key is
named as such instead of being reported as tampered event by event.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import weakref
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import event

from caseflow.config import NotConfigured

#: Shortest ``AUDIT_KEY`` accepted: 32 characters of a random string carry enough secret.
MIN_KEY_CHARS = 32
KEY_FILE_NAME = "audit.key"
_CACHE = "caseflow.audit_key"
#: The app each engine's pool belongs to, so a session finds its key without an app
#: context (an engine with execution options shares the pool of the one it was made from).
#: Weak both ways: the app holds its engine, so a strong value would keep key and app
#: alive for ever (every app a test run makes).
_APPS_BY_POOL: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_APPS_BY_ENGINE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class AuditKeyError(RuntimeError):
    """The trail cannot be written: its key is missing, or another than it was keyed with."""


@dataclass(frozen=True)
class AuditKey:
    #: Computes the links of the chain (HMAC-SHA256).
    chain: bytes
    #: Signs the checkpoints written outside the database (HMAC-SHA256).
    checkpoint: bytes
    #: Names the key in each keyed event and checkpoint; reveals nothing of the key.
    key_id: str

    def mac(self, key: bytes, data: bytes) -> str:
        return hmac.digest(key, data, "sha256").hex()  # the one-shot C path: half the cost


def derive(secret: bytes) -> AuditKey:
    """The keys for each purpose, from the configured secret (HMAC as a key derivation)."""

    def sub(label: bytes) -> bytes:
        return hmac.new(secret, b"caseflow audit " + label, hashlib.sha256).digest()

    return AuditKey(
        chain=sub(b"chain v1"), checkpoint=sub(b"checkpoint v1"), key_id=sub(b"key id").hex()[:16]
    )


def key_file(app: Flask) -> Path:
    return Path(app.config.get("AUDIT_KEY_FILE") or Path(app.instance_path) / KEY_FILE_NAME)


def check_config(app: Flask) -> None:
    """Refuse a configured key too short to be a secret (at start, not at the first event)."""
    configured = app.config.get("AUDIT_KEY")
    if configured and len(str(configured)) < MIN_KEY_CHARS:
        raise NotConfigured(
            f"AUDIT_KEY must be at least {MIN_KEY_CHARS} characters of random text "
            "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)"
        )


def load_key(app: Flask, *, create: bool = False) -> AuditKey | None:
    """The trail's key: ``AUDIT_KEY``, else the key file; ``create`` makes the file when
    there is none. None when there is no key (and none was to be made)."""
    cached = app.extensions.get(_CACHE)
    if cached is not None:
        return cached
    configured = app.config.get("AUDIT_KEY")
    if configured:
        key = derive(str(configured).encode("utf-8"))
    else:
        path = key_file(app)
        if not path.exists() and not create:
            return None
        if not path.exists():
            create_key_file(path)
        text = path.read_text(encoding="ascii").strip()
        if len(text) < MIN_KEY_CHARS:
            raise AuditKeyError(f"the audit key file {path} is empty or too short")
        key = derive(text.encode("ascii"))
    app.extensions[_CACHE] = key
    return key


def create_key_file(path: Path) -> bool:
    """Write a new random key to ``path`` (mode 0600) unless one is there; True if written.

    The key is written to a file of its own first and then linked into place, which fails
    when another process was first: nobody ever reads a half-written key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(draft, path)
        return True
    except FileExistsError:
        return False
    finally:
        draft.unlink()


def register_engine(app: Flask, engine) -> None:
    """Remember which app an engine serves, so its sessions find the key (again after
    ``dispose()``, which gives the engine a new pool)."""
    _APPS_BY_ENGINE[engine] = weakref.ref(app)
    _APPS_BY_POOL[engine.pool] = weakref.ref(app)
    if not event.contains(engine, "engine_disposed", _remember_new_pool):
        event.listen(engine, "engine_disposed", _remember_new_pool)


def _remember_new_pool(engine) -> None:
    app = _APPS_BY_ENGINE.get(engine)
    if app is not None:
        _APPS_BY_POOL[engine.pool] = app


def app_of(session) -> Flask | None:
    """The app whose engine ``session`` is bound to, if caseflow made that engine."""
    bind = session.get_bind()
    app = _APPS_BY_POOL.get(getattr(bind, "engine", bind).pool)
    return app() if app is not None else None

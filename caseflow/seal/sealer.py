"""The seal adapter: what a signer must do, which one is configured, and sealing a PDF.

``SEAL_ADAPTER`` names the adapter (``"pkcs12"``: a PKCS#12 file and its password in the
configuration). An adapter is a factory ``(config, instance_path) -> Sealer | None``
registered with :func:`register_adapter`; it returns None when its settings are not given.
The sealer is built once per app and configuration and kept: loading a key costs far more
than using it.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from caseflow.common.errors import CaseflowError

#: The adapter used when ``SEAL_ADAPTER`` is not set.
DEFAULT_ADAPTER = "pkcs12"

#: Words in a certificate's subject that mark a seal made by ``caseflow seal create-demo``.
DEMO_MARK = "DEMONSTRATIONSSIGILL"

_ADAPTERS: dict[str, Callable[[dict, str], Sealer | None]] = {}
_CACHE_KEY = "caseflow.sealer"
_lock = threading.Lock()


class SealError(CaseflowError):
    """A seal is configured but cannot be used; the message says what to check."""


@dataclass(frozen=True)
class SealInfo:
    """What a sealer tells about itself, for the UI, the command line and the audit."""

    adapter: str
    subject: str
    organisation: str
    issuer: str
    serial: str
    valid_until: datetime
    #: "B-B" (the signer's own time) or "B-T" (a timestamp from a TSA).
    level: str
    is_demo: bool

    def as_dict(self) -> dict:
        return {
            "adapter": self.adapter,
            "subject": self.subject,
            "organisation": self.organisation,
            "issuer": self.issuer,
            "serial": self.serial,
            "valid_until": self.valid_until.isoformat(),
            "level": self.level,
            "is_demo": self.is_demo,
        }


class Sealer(ABC):
    """Something that seals a PDF: a key in a file today, a signing service tomorrow."""

    @abstractmethod
    def seal(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        """The PDF with a PAdES signature added as an incremental update.

        ``reason`` and ``location`` are written into the signature in clear text: never a
        case's text. Raises :class:`SealError` when the seal cannot be applied."""

    @abstractmethod
    def describe(self) -> SealInfo:
        """Who seals: the certificate's subject and issuer, its validity, the PAdES level."""

    @property
    @abstractmethod
    def certificate(self) -> x509.Certificate:
        """The seal's certificate: what a verifier here trusts unless told otherwise."""


def register_adapter(name: str, factory: Callable[[dict, str], Sealer | None]) -> None:
    """Make ``SEAL_ADAPTER = name`` build its sealer with ``factory(config, instance_path)``."""
    _ADAPTERS[name] = factory


def _settings(config) -> tuple:
    """The configuration a sealer is built from; a change builds a new one."""
    return tuple(
        (key, repr(config.get(key))) for key in sorted(config) if str(key).startswith("SEAL_")
    )


def current_sealer() -> Sealer | None:
    """The configured sealer, or None when no seal is configured (or no app is running).

    Raises :class:`SealError` when a seal is configured but cannot be loaded: documents
    are then not made at all rather than quietly made without the seal.
    """
    if not has_app_context():
        return None
    app = current_app._get_current_object()
    config = app.config
    name = config.get("SEAL_ADAPTER") or DEFAULT_ADAPTER
    factory = _ADAPTERS.get(name)
    if factory is None:
        raise SealError(
            _l(
                "The seal adapter %(name)s is not known. Ask the administrator to check "
                "SEAL_ADAPTER.",
                name=name,
            )
        )
    settings = (name, *_settings(config))
    with _lock:
        cached = app.extensions.get(_CACHE_KEY)
        if cached is not None and cached[0] == settings and getattr(cached[1], "is_current", True):
            return cached[1]
        sealer = factory(config, app.instance_path)
        app.extensions[_CACHE_KEY] = (settings, sealer)
        return sealer


def unconfigured_reason() -> str | None:
    """None when documents are sealed, else why not, in the reader's language."""
    try:
        sealer = current_sealer()
    except SealError as exc:
        return str(exc)
    if sealer is None:
        return str(
            _l(
                "No seal is configured: PDF documents are made without a seal, and "
                "recipients cannot check them."
            )
        )
    return None


def seal_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    """``pdf`` sealed with the configured seal; unchanged when no seal is configured."""
    sealer = current_sealer()
    if sealer is None:
        return pdf
    return sealer.seal(pdf, reason=reason, location=location)


def is_demo_subject(subject: str) -> bool:
    return DEMO_MARK.casefold() in subject.casefold()

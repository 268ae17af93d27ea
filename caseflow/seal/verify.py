"""Checking a sealed PDF the way its recipient would: with pyHanko's validation and trust
roots given by the one who checks, never by the file.

:func:`verify_pdf` names at most one problem, the first of: the file cannot be read
(``unreadable``), it carries no signature (``unsigned``), a signature does not match the
bytes it signs (``changed``), the latest signature does not cover the whole file
(``not_whole``: something was added after sealing), no trust root was given
(``no_trust``), the signer's certificate does not lead to a trusted root (``untrusted``).
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from flask_babel import lazy_gettext as _l
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from caseflow.seal.loopfree import call_outside_event_loop
from caseflow.seal.sealer import is_demo_subject

log = logging.getLogger(__name__)

#: What each problem means, for the one who checks.
PROBLEMS = {
    "unreadable": _l("The file cannot be read as a PDF."),
    "unsigned": _l("The file carries no signature."),
    "changed": _l(
        "The signature is broken: the file was changed after it was sealed, or the "
        "signature itself is damaged."
    ),
    "not_whole": _l(
        "The signature does not cover the whole file: something was added after it was sealed."
    ),
    "no_trust": _l(
        "The signature is intact, but there is nothing to trust it against: give the seal's "
        "certificate with --trust."
    ),
    "untrusted": _l(
        "The signature is intact, but its certificate is not trusted: it does not lead to "
        "any of the given trust roots."
    ),
}


@dataclass
class Verification:
    """What a check found; ``problem`` is None when everything holds."""

    problem: str | None
    #: sha256 of the file as given: the same as caseflow's register shows for a stored file.
    sha256: str
    signatures: int = 0
    signer: str = ""
    organisation: str = ""
    issuer: str = ""
    is_demo: bool = False
    signed_at: datetime | None = None
    #: "timestamp" (a TSA's time, B-T) or "signer" (the sealer's own clock, B-B).
    time_source: str | None = None
    digest_algorithm: str | None = None
    #: The digest of the signed byte range (the file less the signature's own bytes).
    signed_digest: str | None = None
    intact: bool | None = None
    covers_whole_file: bool | None = None
    trusted: bool | None = None
    reason: str | None = None
    location: str | None = None
    details: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def message(self) -> str | None:
        return str(PROBLEMS[self.problem]) if self.problem else None

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "problem": self.problem,
            "message": self.message,
            "signatures": self.signatures,
            "signer": {
                "common_name": self.signer,
                "organisation": self.organisation,
                "issuer": self.issuer,
                "is_demo": self.is_demo,
            },
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "time_source": self.time_source,
            "sha256": self.sha256,
            "signed_digest": self.signed_digest,
            "digest_algorithm": self.digest_algorithm,
            "intact": self.intact,
            "covers_whole_file": self.covers_whole_file,
            "trusted": self.trusted,
            "reason": self.reason,
            "location": self.location,
        }


def read_certificates(path: str | Path) -> list[x509.Certificate]:
    """Every certificate in a PEM file (one or more), or the one in a DER file."""
    data = Path(path).read_bytes()
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def _name_part(name: asn1_x509.Name, key: str) -> str:
    value = name.native.get(key, "")
    return ", ".join(value) if isinstance(value, list) else str(value or "")


def verify_pdf(data: bytes, trust_roots: list[x509.Certificate]) -> Verification:
    """Check every signature of the PDF ``data`` against ``trust_roots``."""
    result = Verification(problem=None, sha256=hashlib.sha256(data).hexdigest())
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:  # noqa: BLE001 - any failure to parse is "unreadable"
        log.info("unreadable PDF: %r", exc)
        result.problem = "unreadable"
        return result
    result.signatures = len(signatures)
    if not signatures:
        result.problem = "unsigned"
        return result
    context = ValidationContext(trust_roots=[_asn1(c) for c in trust_roots])
    statuses = []
    for signature in signatures:
        try:
            statuses.append(
                (signature, call_outside_event_loop(validate_pdf_signature, signature, context))
            )
        except Exception as exc:  # noqa: BLE001 - a signature that cannot be checked is broken
            log.info("signature %s cannot be validated: %r", signature.field_name, exc)
            result.problem = "changed"
            result.intact = False
            return result
    latest, status = statuses[-1]
    _describe(result, latest, status)
    result.intact = all(s.intact and s.valid for _sig, s in statuses)
    result.covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    result.trusted = all(s.trusted for _sig, s in statuses)
    if not result.intact:
        result.problem = "changed"
    elif not result.covers_whole_file:
        result.problem = "not_whole"
    elif not trust_roots:
        result.problem = "no_trust"
    elif not result.trusted:
        result.problem = "untrusted"
    return result


def _describe(result: Verification, signature, status) -> None:
    """Who signed, when, and what was signed, from the latest signature."""
    cert = status.signing_cert
    result.signer = _name_part(cert.subject, "common_name")
    result.organisation = _name_part(cert.subject, "organization_name")
    result.issuer = _name_part(cert.issuer, "common_name") or cert.issuer.human_friendly
    result.is_demo = is_demo_subject(cert.subject.human_friendly)
    timestamp = status.timestamp_validity
    if timestamp is not None and timestamp.intact and timestamp.valid:
        result.signed_at, result.time_source = timestamp.timestamp, "timestamp"
    elif status.signer_reported_dt is not None:
        result.signed_at, result.time_source = status.signer_reported_dt, "signer"
    result.digest_algorithm = status.md_algorithm
    result.signed_digest = signature.compute_digest().hex()
    sig_object = signature.sig_object
    result.reason = str(sig_object["/Reason"]) if "/Reason" in sig_object else None
    result.location = str(sig_object["/Location"]) if "/Location" in sig_object else None

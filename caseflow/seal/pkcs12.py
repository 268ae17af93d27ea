"""The seal in a PKCS#12 file (.p12/.pfx): pyHanko signs, PAdES baseline B-B, or B-T when a
timestamp server is configured.

Settings (``instance/config.py`` or ``CASEFLOW_*``): ``SEAL_PKCS12_PATH`` (relative paths
are read from the instance folder), ``SEAL_PKCS12_PASSWORD``, ``SEAL_TIMESTAMP_URL``.

Two things keep the sealed file what it was. The signature is an incremental update,
which PDF/A-2b allows; pyHanko rewrites the XMP producer to its own name and appends it to
the document information's producer, and PDF/A wants both to say the same, so the
information's producer is set to the XMP's first. And the key is loaded once: pyHanko's
``SimpleSigner`` parses the private key again for every signature, which for an RSA key
(with its consistency checks) costs ~60 ms each time.
"""

from __future__ import annotations

import io
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from cryptography.x509.oid import NameOID
from flask_babel import lazy_gettext as _l
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from caseflow.seal.loopfree import call_outside_event_loop
from caseflow.seal.sealer import Sealer, SealError, SealInfo, is_demo_subject

log = logging.getLogger(__name__)

#: The name of the signature field caseflow adds.
FIELD_NAME = "Sigill"
#: Room for a timestamp token (with the TSA's certificates) in a B-T signature.
TIMESTAMP_ROOM = 12_000


def subject_part(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


class _KeptKeySigner(signers.SimpleSigner):
    """pyHanko's signer with the private key parsed once, not at every signature."""

    def __init__(self, private_key, **kwargs):
        super().__init__(**kwargs)
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        digest = get_pyca_cryptography_hash(digest_algorithm)
        key = self._private_key
        if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), digest)
        if mechanism == "ecdsa" and isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(digest))
        return super().sign_raw(data, digest_algorithm)  # PSS and the rarer kinds


class Pkcs12Sealer(Sealer):
    """Seals with the key and certificate of a PKCS#12 file."""

    def __init__(
        self,
        data: bytes,
        password: str | bytes | None,
        *,
        timestamp_url: str | None = None,
        source: str = "PKCS#12",
    ):
        if password is not None and not isinstance(password, bytes):
            # str(): CASEFLOW_SEAL_PKCS12_PASSWORD=1234 is read as JSON, a number.
            password = str(password).encode("utf-8")
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, password or None)
        except (ValueError, TypeError) as exc:
            raise SealError(
                _l(
                    "The seal %(source)s cannot be opened: it is not a PKCS#12 file, or the "
                    "password is wrong. Ask the administrator to check SEAL_PKCS12_PATH and "
                    "SEAL_PKCS12_PASSWORD.",
                    source=source,
                )
            ) from exc
        if key is None or cert is None:
            raise SealError(
                _l(
                    "The seal %(source)s holds no key with its certificate. Ask the "
                    "administrator for the organisation's seal as a PKCS#12 file.",
                    source=source,
                )
            )
        self._cert = cert
        self._extra = list(extra)
        #: The file read, and its mtime and size then (None: given as bytes).
        self._file: tuple[Path, tuple | None] | None = None
        self._timestamp_url = timestamp_url or None
        registry = SimpleCertificateStore()
        registry.register_multiple(translate_pyca_cryptography_cert_to_asn1(c) for c in extra)
        self._signer = _KeptKeySigner(
            key,
            signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
            signing_key=translate_pyca_cryptography_key_to_asn1(key),
            cert_registry=registry,
        )
        # The signature's room, so pyHanko need not make a dummy signature to measure it.
        certificates = sum(len(c.public_bytes(Encoding.DER)) for c in [cert, *extra])
        reserved = 4096 + certificates + (TIMESTAMP_ROOM if self._timestamp_url else 0)
        self._reserved = reserved + reserved % 2  # pyHanko wants an even number

    @classmethod
    def from_file(cls, path: str | Path, password, *, timestamp_url=None) -> Pkcs12Sealer:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SealError(
                _l(
                    "The seal file %(path)s cannot be read. Ask the administrator to check "
                    "SEAL_PKCS12_PATH.",
                    path=str(path),
                )
            ) from exc
        sealer = cls(data, password, timestamp_url=timestamp_url, source=str(path))
        sealer._file = (path, _stamp(path))
        return sealer

    @classmethod
    def from_config(cls, config, instance_path: str) -> Pkcs12Sealer | None:
        """The sealer the configuration names, or None when ``SEAL_PKCS12_PATH`` is unset."""
        value = config.get("SEAL_PKCS12_PATH")
        if not value:
            return None
        path = Path(str(value)).expanduser()
        if not path.is_absolute():
            path = Path(instance_path) / path
        return cls.from_file(
            path,
            config.get("SEAL_PKCS12_PASSWORD"),
            timestamp_url=config.get("SEAL_TIMESTAMP_URL"),
        )

    @property
    def is_current(self) -> bool:
        """False once the file was replaced: the next call loads the new seal."""
        return self._file is None or _stamp(self._file[0]) == self._file[1]

    @property
    def certificate(self) -> x509.Certificate:
        return self._cert

    @property
    def chain(self) -> list[x509.Certificate]:
        """The other certificates in the file (the issuer's, usually)."""
        return list(self._extra)

    def describe(self) -> SealInfo:
        subject = subject_part(self._cert.subject, NameOID.COMMON_NAME)
        return SealInfo(
            adapter="pkcs12",
            subject=subject,
            organisation=subject_part(self._cert.subject, NameOID.ORGANIZATION_NAME),
            issuer=subject_part(self._cert.issuer, NameOID.COMMON_NAME)
            or self._cert.issuer.rfc4514_string(),
            serial=format(self._cert.serial_number, "x"),
            valid_until=self._cert.not_valid_after_utc,
            level="B-T" if self._timestamp_url else "B-B",
            is_demo=is_demo_subject(self._cert.subject.rfc4514_string()),
        )

    def timestamper(self):
        """The TSA client for a B-T signature, or None (B-B)."""
        if not self._timestamp_url:
            return None
        from pyhanko.sign.timestamps import HTTPTimeStamper

        return HTTPTimeStamper(self._timestamp_url)

    def seal(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        now = datetime.now(UTC)
        if not self._cert.not_valid_before_utc <= now <= self._cert.not_valid_after_utc:
            raise SealError(
                _l(
                    "The seal's certificate is valid from %(start)s to %(end)s, not today: "
                    "documents cannot be sealed. Ask the administrator for a new seal.",
                    start=self._cert.not_valid_before_utc.date().isoformat(),
                    end=self._cert.not_valid_after_utc.date().isoformat(),
                )
            )
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            md_algorithm="sha256",
            reason=reason,
            location=location,
            subfilter=fields.SigSeedSubFilter.PADES,
        )
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
            _align_producer(writer)
            out = call_outside_event_loop(
                signers.sign_pdf,
                writer,
                meta,
                signer=self._signer,
                timestamper=self.timestamper(),
                bytes_reserved=self._reserved,
            )
        except (PdfError, SigningError, OSError, ValueError) as exc:
            log.warning("sealing failed: %r", exc)
            raise SealError(
                _l(
                    "The document could not be sealed, so it was not made. Ask the "
                    "administrator to check the seal settings (the log has the details)."
                )
            ) from exc
        return out.getvalue()


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _align_producer(writer: IncrementalPdfFileWriter) -> None:
    """Make the information dictionary's producer what pyHanko writes into the XMP, so that
    the two agree as PDF/A requires (pyHanko would write "LibreOffice …; pyHanko …" in one
    and "pyHanko …" in the other)."""
    ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if not isinstance(ref, generic.IndirectObject):
        return
    info = ref.get_object()
    if "/Metadata" in writer.root:
        info["/Producer"] = generic.TextStringObject(VENDOR)
        writer.mark_update(ref)

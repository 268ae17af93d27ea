"""A self-signed demonstration seal, so that a demo or a test instance shows sealed PDFs.

Its subject says what it is ("DEMONSTRATIONSSIGILL – ej giltigt"): a verifier trusts it
only when told to trust this very certificate, and nobody can mistake it for the
organisation's real seal, which a certification authority issues.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    pkcs12,
)
from cryptography.x509.oid import NameOID
from flask_babel import lazy_gettext as _l

from caseflow.common.errors import ValidationError
from caseflow.seal.sealer import DEMO_MARK

#: The common name of every demonstration seal.
DEMO_COMMON_NAME = f"{DEMO_MARK} – ej giltigt"
#: The file ``caseflow init`` and ``caseflow seal create-demo`` write into the instance folder.
DEMO_FILENAME = "demo-seal.p12"
VALID_DAYS = 2 * 365


def new_password() -> str:
    return secrets.token_urlsafe(24)


def demo_certificate(key, organisation: str, now: datetime | None = None) -> x509.Certificate:
    """A self-signed certificate for sealing whose subject names it a demonstration."""
    now = now or datetime.now(UTC)
    # X.520 limits an organisation name to 64 characters.
    organisation = (organisation or "").strip()[:64] or "caseflow"
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, DEMO_COMMON_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(
                NameOID.ORGANIZATIONAL_UNIT_NAME, "Endast för demonstration, inget riktigt sigill"
            ),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
        ]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=VALID_DAYS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: what a seal asserts
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def create_demo_seal(
    path: Path, *, password: str, organisation: str, force: bool = False
) -> x509.Certificate:
    """Write a new demonstration seal as PKCS#12 to ``path`` (readable by its owner only),
    and its certificate as PEM beside it (``.pem``), for ``--trust``.

    An existing file is kept unless ``force``: it may be the seal documents were sealed with.
    """
    path = Path(path)
    if path.exists() and not force:
        raise ValidationError(
            _l(
                "%(path)s exists and is left as it is; give --force to replace it.",
                path=str(path),
            )
        )
    if not password:
        raise ValidationError(_l("Give the seal file a password."))
    # RSA: an EC key makes pyHanko mark the file as PDF 2.0, which PDF/A-2 is not.
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    cert = demo_certificate(key, organisation)
    data = pkcs12.serialize_key_and_certificates(
        DEMO_COMMON_NAME.encode("utf-8"),
        key,
        cert,
        None,
        BestAvailableEncryption(password.encode("utf-8")),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_private(path, data)
    path.with_suffix(".pem").write_bytes(cert.public_bytes(Encoding.PEM))
    return cert


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    path.chmod(0o600)  # an existing file keeps its mode through O_TRUNC


def config_lines(path: Path, password: str) -> str:
    """The settings that make caseflow seal with the file at ``path`` (a relative path is
    read from the instance folder)."""
    return (
        "# The demonstration seal (caseflow seal create-demo): replace it with the "
        "organisation's real seal.\n"
        f"SEAL_PKCS12_PATH = {str(path)!r}\n"
        f"SEAL_PKCS12_PASSWORD = {password!r}\n"
    )

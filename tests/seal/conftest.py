"""A certification authority of the tests' own (a root and a seal certificate it issued),
a real PDF/A-2b made by LibreOffice, and an app that seals with the test seal."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    pkcs12,
)
from cryptography.x509.oid import NameOID

from tests.meetings.conftest import approved  # noqa: F401 - a fixture the seal tests use
from tests.pdf.test_converter import make_docx, require_libreoffice

PASSWORD = "sigill-lösen"  # noqa: S105 - the test seal's password


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
        ]
    )


def _key_usage(*, sign_certificates: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not sign_certificates,
        content_commitment=not sign_certificates,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=sign_certificates,
        crl_sign=sign_certificates,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass
class TestCA:
    """A root certificate and the organisation's seal certificate it issued."""

    root: x509.Certificate
    seal: x509.Certificate
    seal_p12: bytes

    __test__ = False  # not a test class, whatever its name

    def write(self, folder) -> dict:
        """The seal and the root as files in ``folder``; returns their paths."""
        paths = {
            "p12": folder / "sigill.p12",
            "root": folder / "rot.pem",
            "seal_cert": folder / "sigill.pem",
        }
        paths["p12"].write_bytes(self.seal_p12)
        paths["root"].write_bytes(self.root.public_bytes(Encoding.PEM))
        paths["seal_cert"].write_bytes(self.seal.public_bytes(Encoding.PEM))
        return paths


def make_ca(organisation: str = "Region Testland", *, days: int = 365) -> TestCA:
    now = datetime.now(UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name(f"{organisation} Test Root CA", "Testcertifikat AB")
    root = (
        x509.CertificateBuilder()
        .subject_name(root_name)
        .issuer_name(root_name)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign_certificates=True), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    seal_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    seal = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{organisation} sigill", organisation))
        .issuer_name(root_name)
        .public_key(seal_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign_certificates=False), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"sigill", seal_key, seal, [root], BestAvailableEncryption(PASSWORD.encode())
    )
    return TestCA(root=root, seal=seal, seal_p12=p12)


@pytest.fixture(scope="session")
def test_ca() -> TestCA:
    return make_ca()


@pytest.fixture(scope="session")
def other_ca() -> TestCA:
    """A second authority, trusted by nobody here."""
    return make_ca("Annan myndighet")


@pytest.fixture(scope="session")
def pdfa() -> bytes:
    """A two-page PDF/A-2b made by LibreOffice, unsealed."""
    require_libreoffice()
    from caseflow.pdf import converter

    return converter.to_pdfa(make_docx(2))


@pytest.fixture
def seal_files(test_ca, tmp_path):
    folder = tmp_path / "seal"
    folder.mkdir()
    return test_ca.write(folder)


@pytest.fixture
def sealing_app(app, seal_files):
    """The app, sealing with the test CA's seal certificate."""
    app.config["SEAL_PKCS12_PATH"] = str(seal_files["p12"])
    app.config["SEAL_PKCS12_PASSWORD"] = PASSWORD
    return app


def pdf_reader(data: bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(data))

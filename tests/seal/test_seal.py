"""The organisation seals a PDF/A; a recipient checks it with pyHanko and their own trust roots."""

from __future__ import annotations

import io
import os

import pypdf
import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from caseflow.seal import SealError, current_sealer, seal_pdf, unconfigured_reason
from caseflow.seal.pkcs12 import Pkcs12Sealer
from tests.pdf.test_converter import SWEDISH, pdfa_identification
from tests.seal.conftest import PASSWORD, make_ca, pdf_reader

REASON = "Protokollsutdrag ur justerat protokoll. Rätt utdraget intygas."
LOCATION = "Region Testland"


def trust(*certs) -> ValidationContext:
    return ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in certs]
    )


@pytest.fixture
def sealed(test_ca, pdfa) -> bytes:
    sealer = Pkcs12Sealer(test_ca.seal_p12, PASSWORD)
    return sealer.seal(pdfa, reason=REASON, location=LOCATION)


def test_a_sealed_pdfa_is_intact_and_trusted_by_pyhanko_with_the_ca_as_root(test_ca, sealed):
    signatures = pdf_reader(sealed).embedded_signatures
    assert len(signatures) == 1
    status = validate_pdf_signature(signatures[0], trust(test_ca.root))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == "Region Testland sigill"
    sig = signatures[0].sig_object
    assert (str(sig["/Reason"]), str(sig["/Location"])) == (REASON, LOCATION)
    assert str(sig["/SubFilter"]) == "/ETSI.CAdES.detached"  # PAdES, not adbe.pkcs7


def test_the_seal_is_an_incremental_update_and_the_file_stays_pdfa_2b(pdfa, sealed):
    assert sealed.startswith(pdfa)  # every byte LibreOffice wrote is kept
    reader = pypdf.PdfReader(io.BytesIO(sealed))
    assert pdfa_identification(reader) == ("2", "B")
    assert SWEDISH in " ".join(reader.pages[0].extract_text().split())
    # PDF/A-2b: the information dictionary and the XMP say the same producer ...
    assert reader.metadata.producer == reader.xmp_metadata.pdf_producer
    root = reader.trailer["/Root"]
    # ... the file is still PDF 1.x, not 2.0 ...
    assert str(root.get("/Version", "/1.7")) < "/2"
    metadata = root["/Metadata"].get_object()
    assert "/Filter" not in metadata  # ... the XMP stays uncompressed ...
    widget = root["/AcroForm"]["/Fields"][0].get_object()
    assert widget["/F"] & 4  # ... and the signature's widget is printable, of no size.
    assert [float(x) for x in widget["/Rect"]] == [0, 0, 0, 0]


def test_a_seal_of_another_authority_is_intact_but_not_trusted(other_ca, test_ca, pdfa):
    sealed = Pkcs12Sealer(other_ca.seal_p12, PASSWORD).seal(pdfa, reason=REASON, location="X")
    status = validate_pdf_signature(pdf_reader(sealed).embedded_signatures[0], trust(test_ca.root))
    assert status.intact and status.valid
    assert not status.trusted


def test_without_a_seal_documents_are_made_unsealed_and_caseflow_says_so(app, pdfa):
    with app.app_context():
        assert current_sealer() is None
        assert seal_pdf(pdfa, reason=REASON, location=LOCATION) == pdfa
        assert "Inget sigill är inställt" in unconfigured_reason()


def test_the_seal_is_loaded_once_and_again_when_its_file_changes(sealing_app, seal_files):
    with sealing_app.app_context():
        first = current_sealer()
        assert current_sealer() is first
        assert unconfigured_reason() is None
        info = first.describe()
        assert (info.subject, info.organisation) == ("Region Testland sigill", "Region Testland")
        assert info.level == "B-B" and not info.is_demo
        seal_files["p12"].write_bytes(make_ca("Region Nyland").seal_p12)
        stat = seal_files["p12"].stat()
        os.utime(seal_files["p12"], ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
        assert current_sealer().describe().organisation == "Region Nyland"


def test_a_timestamp_server_makes_the_seal_b_t(sealing_app):
    sealing_app.config["SEAL_TIMESTAMP_URL"] = "http://127.0.0.1:9/tsa"
    with sealing_app.app_context():
        sealer = current_sealer()
        assert sealer.describe().level == "B-T"
        assert sealer.timestamper().url == "http://127.0.0.1:9/tsa"
    sealing_app.config["SEAL_TIMESTAMP_URL"] = None
    with sealing_app.app_context():
        assert current_sealer().describe().level == "B-B"
        assert current_sealer().timestamper() is None


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ({"SEAL_PKCS12_PASSWORD": "fel lösenord"}, "lösenordet fel"),
        ({"SEAL_PKCS12_PATH": "/nonexistent/sigill.p12"}, "kan inte läsas"),
        ({"SEAL_ADAPTER": "bankid"}, "är inte känd"),
    ],
)
def test_a_seal_that_cannot_be_used_is_said_in_words(sealing_app, pdfa, setting, expected):
    sealing_app.config.update(setting)
    with sealing_app.app_context():
        with pytest.raises(SealError, match=expected):
            seal_pdf(pdfa, reason=REASON, location=LOCATION)
        assert expected in unconfigured_reason()


def test_an_expired_seal_seals_nothing(pdfa):
    expired = make_ca(days=-1)  # valid until yesterday
    with pytest.raises(SealError, match="not today"):
        Pkcs12Sealer(expired.seal_p12, PASSWORD).seal(pdfa, reason=REASON, location=LOCATION)


def test_a_file_that_is_not_a_pdf_is_refused_in_words(test_ca):
    with pytest.raises(SealError, match="could not be sealed"):
        Pkcs12Sealer(test_ca.seal_p12, PASSWORD).seal(b"not a pdf", reason=REASON, location="X")


def test_a_numeric_password_from_the_environment_opens_the_seal(app, tmp_path, pdfa):
    from caseflow.seal.demo_seal import create_demo_seal

    create_demo_seal(tmp_path / "sigill.p12", password="1234", organisation="Region Test")
    # CASEFLOW_SEAL_PKCS12_PASSWORD=1234 is read as JSON: the number 1234.
    app.config.update(SEAL_PKCS12_PATH=str(tmp_path / "sigill.p12"), SEAL_PKCS12_PASSWORD=1234)
    with app.app_context():
        assert pdf_reader(seal_pdf(pdfa, reason=REASON, location=LOCATION)).embedded_signatures

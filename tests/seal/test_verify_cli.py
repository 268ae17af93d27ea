"""`caseflow excerpt verify FILE.pdf [--trust CERT] [--json]`: a recipient checks a seal."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest

from caseflow.cli import cli
from caseflow.seal.pkcs12 import Pkcs12Sealer
from tests.seal.conftest import PASSWORD

REASON = "Protokollsutdrag ur justerat protokoll. Rätt utdraget intygas."


@pytest.fixture
def sealed_file(test_ca, pdfa, tmp_path):
    path = tmp_path / "utdrag.pdf"
    sealer = Pkcs12Sealer(test_ca.seal_p12, PASSWORD)
    path.write_bytes(sealer.seal(pdfa, reason=REASON, location="Region Testland"))
    return path


def verify(runner, path, *args):
    result = runner.invoke(cli, ["excerpt", "verify", str(path), *args])
    assert "Traceback" not in result.output
    return result


def as_json(result) -> dict:
    return json.loads(result.stdout)


def test_an_intact_seal_is_accepted_with_signer_time_and_hash(runner, sealed_file, seal_files):
    started = datetime.now(UTC)
    result = verify(runner, sealed_file, "--trust", str(seal_files["root"]), "--json")
    assert result.exit_code == 0, result.output
    found = as_json(result)
    assert found["ok"] is True and found["problem"] is None
    assert found["signer"]["common_name"] == "Region Testland sigill"
    assert found["signer"]["organisation"] == "Region Testland"
    assert found["signer"]["issuer"] == "Region Testland Test Root CA"
    assert found["sha256"] == hashlib.sha256(sealed_file.read_bytes()).hexdigest()
    assert found["covers_whole_file"] is True and found["intact"] and found["trusted"]
    assert found["time_source"] == "signer"  # B-B: no timestamp server here
    signed_at = datetime.fromisoformat(found["signed_at"])
    assert started - timedelta(minutes=5) <= signed_at <= datetime.now(UTC)
    assert found["reason"] == REASON

    text = verify(runner, sealed_file, "--trust", str(seal_files["root"]))
    assert text.exit_code == 0
    assert "Region Testland sigill (Region Testland)" in text.output
    assert found["sha256"] in text.output
    assert "täcker hela filen" in text.output


def test_a_changed_byte_is_detected(runner, sealed_file, seal_files):
    data = bytearray(sealed_file.read_bytes())
    # A byte in the binary comment of the header line: inside the signed range, and the
    # file still reads as a PDF.
    data[10] ^= 0x01
    sealed_file.write_bytes(bytes(data))
    result = verify(runner, sealed_file, "--trust", str(seal_files["root"]))
    assert result.exit_code == 1
    assert "ändrats" in result.output
    assert as_json(verify(runner, sealed_file, "--json"))["problem"] == "changed"


def test_bytes_appended_after_sealing_are_detected(runner, sealed_file, seal_files):
    with sealed_file.open("ab") as handle:
        handle.write(b"\n% tillagt efter sigillet\n")
    result = verify(runner, sealed_file, "--trust", str(seal_files["root"]), "--json")
    assert result.exit_code == 1
    found = as_json(result)
    assert found["problem"] == "not_whole" and found["covers_whole_file"] is False
    assert found["intact"] is True  # what was signed is still there, unchanged
    text = verify(runner, sealed_file, "--trust", str(seal_files["root"]))
    assert "täcker inte hela filen" in text.output


def test_an_unsigned_pdf_is_not_accepted(runner, pdfa, tmp_path, seal_files):
    path = tmp_path / "osignerad.pdf"
    path.write_bytes(pdfa)
    result = verify(runner, path, "--trust", str(seal_files["root"]), "--json")
    assert result.exit_code == 1
    assert as_json(result)["problem"] == "unsigned"
    assert as_json(result)["sha256"] == hashlib.sha256(pdfa).hexdigest()


@pytest.mark.parametrize("content", [b"", b"%PDF-1.7\nnot really a pdf", b"\x00\xff" * 100])
def test_an_unreadable_file_is_said_in_one_line(runner, tmp_path, content, seal_files):
    path = tmp_path / "trasig.pdf"
    path.write_bytes(content)
    result = verify(runner, path, "--trust", str(seal_files["root"]))
    assert result.exit_code == 1
    assert "kan inte läsas som en PDF" in result.output


def test_a_seal_of_another_authority_is_not_trusted(runner, other_ca, pdfa, tmp_path, seal_files):
    path = tmp_path / "annan.pdf"
    path.write_bytes(Pkcs12Sealer(other_ca.seal_p12, PASSWORD).seal(pdfa, reason="x", location="y"))
    result = verify(runner, path, "--trust", str(seal_files["root"]), "--json")
    assert result.exit_code == 1
    found = as_json(result)
    assert found["problem"] == "untrusted" and found["intact"] is True
    assert found["signer"]["organisation"] == "Annan myndighet"


def test_the_configured_seal_is_trusted_by_default(runner, sealing_app, sealed_file):
    result = verify(runner, sealed_file, "--json")
    assert result.exit_code == 0, result.output
    assert as_json(result)["trusted"] is True


def test_without_a_seal_or_trust_root_nothing_is_trusted(runner, app, sealed_file):
    result = verify(runner, sealed_file, "--json")
    assert result.exit_code == 1
    assert as_json(result)["problem"] == "no_trust" and as_json(result)["intact"] is True


def test_a_trust_file_without_a_certificate_is_refused(runner, sealed_file, tmp_path):
    bad = tmp_path / "inget.pem"
    bad.write_text("inget certifikat")
    result = verify(runner, sealed_file, "--trust", str(bad))
    assert result.exit_code == 2
    assert "inget certifikat i PEM- eller DER-form" in result.output


def test_the_demo_seal_is_trusted_only_as_itself(runner, app, pdfa, tmp_path, seal_files):
    made = runner.invoke(
        cli,
        ["seal", "create-demo", "--out", str(tmp_path / "demo.p12"), "--password", "demo-lösen"],
    )
    assert made.exit_code == 0, made.output
    app.config["SEAL_PKCS12_PATH"] = str(tmp_path / "demo.p12")
    app.config["SEAL_PKCS12_PASSWORD"] = "demo-lösen"
    from caseflow.seal import seal_pdf

    with app.app_context():
        (tmp_path / "demo.pdf").write_bytes(seal_pdf(pdfa, reason="x", location="y"))
    itself = verify(runner, tmp_path / "demo.pdf", "--trust", str(tmp_path / "demo.pem"), "--json")
    assert itself.exit_code == 0, itself.output
    assert as_json(itself)["signer"]["is_demo"] is True
    assert "DEMONSTRATIONSSIGILL" in as_json(itself)["signer"]["common_name"]
    assert verify(runner, tmp_path / "demo.pdf", "--trust", str(seal_files["root"])).exit_code == 1

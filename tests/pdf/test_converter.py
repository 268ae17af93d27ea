"""The .docx → PDF/A-2b converter, against a real LibreOffice (one-off and warm unoserver).

Without LibreOffice (or, for the warm tests, without unoserver on Debian's Python) these
tests are skipped, except under CI=true, where they fail.
"""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import docx
import flask
import flask_babel
import pypdf
import pytest

from caseflow.pdf import converter

IN_CI = os.environ.get("CI") == "true"
SWEDISH = "Protokollsutdrag – Regionstyrelsen §123, Östersund, åäö ÅÄÖ & <>"
PDFAID_NS = "http://www.aiim.org/pdfa/ns/id/"
SETTINGS = (
    "CASEFLOW_SOFFICE",
    "CASEFLOW_PDF_CONVERTER",
    "CASEFLOW_PDF_CONVERTER_URL",
    "CASEFLOW_PDF_UNO_PYTHON",
)
ROOT = Path(__file__).resolve().parents[2]


def _missing(reason: str):
    if IN_CI:
        pytest.fail(f"PDF tests must run under CI, but {reason}", pytrace=False)
    pytest.skip(reason)


def require_libreoffice() -> None:
    if converter.soffice_path() is None:
        _missing(
            "LibreOffice is not installed (apt-get install libreoffice-writer-nogui "
            "python3-uno fonts-crosextra-carlito fonts-liberation2)"
        )


def require_unoserver() -> None:
    require_libreoffice()
    python = converter.DEFAULT_UNO_PYTHON
    if not Path(python).exists():
        _missing(f"{python} does not exist")
    probe = subprocess.run(
        [python, "-c", "import unoserver.server"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        _missing(
            f"unoserver cannot be imported by {python} ({probe.stderr.strip().splitlines()[-1]}); "
            f"{python} -m pip install --break-system-packages unoserver"
        )


@pytest.fixture(autouse=True)
def no_pdf_settings(monkeypatch):
    """Each test starts without converter settings from the environment."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def warm():
    require_unoserver()
    for name in SETTINGS:  # a module fixture cannot use monkeypatch
        if os.environ.get(name):
            pytest.fail(f"unset {name} to run these tests", pytrace=False)
    with converter.WarmConverter(startup_timeout=90) as server:
        yield server


# --- helpers -------------------------------------------------------------------------------


def make_docx(pages: int = 2) -> bytes:
    document = docx.Document()
    document.add_heading("Protokollsutdrag", level=1)
    document.add_paragraph(SWEDISH)
    for page in range(2, pages + 1):
        document.add_page_break()
        document.add_paragraph(f"Sida {page}: Beslut om åtgärder för Härjedalen.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def corrupt_docx() -> bytes:
    """A zip with every part of a .docx, but document.xml is not XML."""
    source = zipfile.ZipFile(io.BytesIO(make_docx(1)))
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            content = b"<w:document><<" if name == "word/document.xml" else source.read(name)
            target.writestr(name, content)
    return buffer.getvalue()


def pdfa_identification(reader: pypdf.PdfReader) -> tuple[str | None, str | None]:
    """``pdfaid:part`` and ``pdfaid:conformance`` from the XMP (element or attribute form)."""
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    root = ET.fromstring(metadata)  # noqa: S314 - a PDF this test just made
    found: dict[str, str] = {}
    for element in root.iter():
        for field in ("part", "conformance"):
            if element.tag == f"{{{PDFAID_NS}}}{field}" and element.text:
                found[field] = element.text.strip()
            value = element.attrib.get(f"{{{PDFAID_NS}}}{field}")
            if value:
                found[field] = value.strip()
    return found.get("part"), found.get("conformance")


def assert_pdfa_2b(pdf: bytes, pages: int = 2) -> None:
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == pages
    text = " ".join(reader.pages[0].extract_text().split())
    assert SWEDISH in text
    if pages > 1:
        assert "Sida 2: Beslut om åtgärder för Härjedalen." in reader.pages[1].extract_text()
    assert pdfa_identification(reader) == ("2", "B")
    xmp = reader.xmp_metadata
    if hasattr(xmp, "pdfaid_part"):  # pypdf's own reading agrees
        assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("2", "B")


def our_processes(marker: str) -> list[str]:
    """Live (non-zombie) processes whose command line contains ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z" and marker.encode() in cmdline:
            words = cmdline.replace(b"\0", b" ").decode(errors="replace")
            found.append(f"{entry.name}: {words}")
    return found


def temp_folders(kind: str) -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob(f"{converter.TEMP_PREFIX}{kind}-*"))


@pytest.fixture
def leaves_nothing_behind():
    """The test must leave no one-off soffice running and no temporary folder."""
    before = temp_folders("oneoff")
    yield
    assert our_processes(converter.TEMP_PREFIX + "oneoff-") == []
    assert temp_folders("oneoff") - before == set()


# --- one-off soffice -----------------------------------------------------------------------


def test_oneoff_converts_swedish_docx_to_pdfa_2b(leaves_nothing_behind):
    require_libreoffice()
    assert converter.is_available()
    assert converter.unavailable_reason() is None
    assert_pdfa_2b(converter.to_pdfa(make_docx(2)))


def test_not_a_docx_is_refused(leaves_nothing_behind):
    require_libreoffice()
    with pytest.raises(converter.ConversionFailed) as caught:
        converter.to_pdfa(b"not a docx")
    assert str(caught.value) == (
        "The document could not be converted to PDF: the file is not a Word document (.docx)."
    )


def test_corrupt_docx_fails_clearly_with_oneoff(leaves_nothing_behind):
    require_libreoffice()
    with pytest.raises(converter.ConversionFailed) as caught:
        converter.to_pdfa(corrupt_docx())
    assert "LibreOffice could not read the Word document" in str(caught.value)


def test_timeout_kills_the_whole_process_group(leaves_nothing_behind):
    require_libreoffice()
    started = time.monotonic()
    with pytest.raises(converter.ConversionFailed) as caught:
        converter.to_pdfa(make_docx(2), timeout=0.3)
    assert time.monotonic() - started < 5
    assert "took more than 0.3 seconds and was stopped" in str(caught.value)


def test_unreachable_server_falls_back_to_oneoff(monkeypatch, leaves_nothing_behind):
    require_libreoffice()
    monkeypatch.setenv("CASEFLOW_PDF_CONVERTER_URL", f"127.0.0.1:{converter.free_port()}")
    assert_pdfa_2b(converter.to_pdfa(make_docx(2)))


# --- unavailable ---------------------------------------------------------------------------

MISSING = "PDF export is not available: LibreOffice was not found on the server"


def test_missing_soffice_makes_pdf_unavailable(monkeypatch):
    monkeypatch.setenv("CASEFLOW_SOFFICE", "/nonexistent/soffice")
    assert converter.soffice_path() is None
    assert not converter.is_available()
    assert converter.unavailable_reason().startswith(MISSING)
    with pytest.raises(converter.PdfUnavailable) as caught:
        converter.to_pdfa(make_docx(1))
    assert str(caught.value).startswith(MISSING)
    assert isinstance(caught.value, converter.PdfError)


def test_missing_soffice_in_app_config(monkeypatch):
    app = flask.Flask("pdf-test")
    app.config.update(SOFFICE="/nonexistent/soffice", PDF_CONVERTER_URL="127.0.0.1:1")
    flask_babel.Babel(app)  # the messages are translated when read, as in caseflow's app
    with app.app_context():
        assert not converter.is_available()
        assert converter.unavailable_reason().startswith(MISSING)
        with pytest.raises(converter.PdfUnavailable):
            converter.to_pdfa(make_docx(1))


def test_no_libreoffice_at_all_says_not_installed(monkeypatch):
    monkeypatch.setattr(converter, "SOFFICE_CANDIDATES", ("/nonexistent/soffice",))
    message = "PDF export is not available: LibreOffice is not installed on the server."
    assert not converter.is_available()
    assert converter.unavailable_reason() == message
    with pytest.raises(converter.PdfUnavailable, match=message):
        converter.to_pdfa(make_docx(1))
    with pytest.raises(converter.PdfUnavailable, match=message):
        converter.WarmConverter().start()


# --- warm server ---------------------------------------------------------------------------


def test_warm_server_converts_to_pdfa_2b(warm, monkeypatch, leaves_nothing_behind):
    monkeypatch.setenv("CASEFLOW_PDF_CONVERTER_URL", warm.address)
    # No soffice to fall back on: the PDF can only have come from the warm server.
    monkeypatch.setenv("CASEFLOW_SOFFICE", "/nonexistent/soffice")
    assert converter.is_available()
    assert_pdfa_2b(converter.to_pdfa(make_docx(2)))
    assert warm.info["api"] == converter.UNOSERVER_API


def test_warm_server_from_app_config(warm):
    app = flask.Flask("pdf-test")
    app.config.update(PDF_CONVERTER_URL=warm.address, SOFFICE="/nonexistent/soffice")
    with app.app_context():
        assert_pdfa_2b(converter.to_pdfa(make_docx(3), timeout=30), pages=3)


def test_warm_server_refuses_corrupt_docx_and_keeps_serving(warm, monkeypatch):
    monkeypatch.setenv("CASEFLOW_PDF_CONVERTER_URL", warm.address)
    monkeypatch.setenv("CASEFLOW_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(converter.ConversionFailed) as caught:
        converter.to_pdfa(corrupt_docx())
    assert "LibreOffice could not read the Word document" in str(caught.value)
    assert warm.running
    assert_pdfa_2b(converter.to_pdfa(make_docx(2)))


def test_warm_converter_refuses_a_port_in_use(warm):
    started = time.monotonic()
    with pytest.raises(converter.PdfUnavailable, match=f"port {warm.port} on 127.0.0.1 is in use"):
        converter.WarmConverter(port=warm.port).start()
    assert time.monotonic() - started < 2
    assert warm.running


def test_warm_converter_stops_its_whole_process_group():
    require_unoserver()
    with converter.WarmConverter() as server:
        pid, folder = server.pid, server._folder
        assert server.running
        assert our_processes(str(folder)) != []
    assert our_processes(str(folder)) == []
    assert not folder.exists()
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_cli_runs_until_interrupted(stop_signal, tmp_path, monkeypatch):
    """``caseflow converter`` serves in the foreground; Ctrl+C / SIGTERM stop LibreOffice."""
    require_unoserver()
    port = converter.free_port()
    before = set(our_processes(converter.TEMP_PREFIX + "warm-"))
    log_path = tmp_path / "cli.log"
    with open(log_path, "wb") as log:
        cli = subprocess.Popen(
            [sys.executable, "-m", "caseflow.pdf.cli", "--port", str(port), "--quiet"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    try:
        deadline = time.monotonic() + 90
        while "listening on" not in log_path.read_text():
            assert cli.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.2)
        monkeypatch.setenv("CASEFLOW_PDF_CONVERTER_URL", f"127.0.0.1:{port}")
        monkeypatch.setenv("CASEFLOW_SOFFICE", "/nonexistent/soffice")
        assert_pdfa_2b(converter.to_pdfa(make_docx(2)))
        cli.send_signal(stop_signal)
        assert cli.wait(timeout=30) == 0
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()
    output = log_path.read_text()
    assert "PDF converter stopped." in output
    assert f"Set PDF_CONVERTER_URL=127.0.0.1:{port}" in output
    assert set(our_processes(converter.TEMP_PREFIX + "warm-")) - before == set()
    assert re.search(r"unoserver \d", output)

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
import zipfile
from pathlib import Path

import docx
import flask
import flask_babel
import pypdf
import pytest

from caseflow.pdf import converter
from caseflow.pdf import errors as pdf_errors
from caseflow.pdf import warm as warm_server
from tests.support import require_or_skip

SWEDISH = "Protokollsutdrag – Regionstyrelsen §123, Östersund, åäö ÅÄÖ & <>"
SETTINGS = (
    "CASEFLOW_SOFFICE",
    "CASEFLOW_PDF_CONVERTER",
    "CASEFLOW_PDF_CONVERTER_URL",
    "CASEFLOW_PDF_UNO_PYTHON",
)
ROOT = Path(__file__).resolve().parents[2]


def require_libreoffice() -> None:
    if converter.soffice_path() is None:
        require_or_skip(
            "LibreOffice is not installed (apt-get install libreoffice-writer-nogui "
            "python3-uno fonts-crosextra-carlito fonts-liberation2)"
        )


def require_unoserver() -> None:
    require_libreoffice()
    python = converter.DEFAULT_UNO_PYTHON
    if not Path(python).exists():
        require_or_skip(f"{python} does not exist")
    probe = subprocess.run(
        [python, "-c", "import unoserver.server"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        require_or_skip(
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
    with warm_server.WarmConverter(startup_timeout=90) as server:
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
    """``pdfaid:part`` and ``pdfaid:conformance`` as pypdf reads them from the XMP."""
    xmp = reader.xmp_metadata
    if xmp is None:
        return None, None
    return xmp.pdfaid_part, xmp.pdfaid_conformance


def assert_pdfa_2b(pdf: bytes, pages: int = 2) -> None:
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == pages
    text = " ".join(reader.pages[0].extract_text().split())
    assert SWEDISH in text
    if pages > 1:
        assert "Sida 2: Beslut om åtgärder för Härjedalen." in reader.pages[1].extract_text()
    assert pdfa_identification(reader) == ("2", "B")  # PDF/A-2b: part 2, conformance B


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


@pytest.fixture
def own_tempdir(tmp_path, monkeypatch) -> Path:
    """This test's own temporary folder, where the converter makes its LibreOffice profiles.

    Processes and folders are then told apart by this path: other test runs on the same
    machine convert too, and their LibreOffice must not count as this test's.
    """
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def leaves_nothing_behind(own_tempdir):
    """The test must leave no one-off soffice running and no temporary folder."""
    yield
    assert our_processes(str(own_tempdir)) == []
    assert list(own_tempdir.iterdir()) == []


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


# A conversion that waited for LibreOffice after its own timeout would hang here.
@pytest.mark.timeout(30)
def test_timeout_kills_the_whole_process_group(leaves_nothing_behind):
    require_libreoffice()
    with pytest.raises(converter.ConversionFailed) as caught:
        converter.to_pdfa(make_docx(2), timeout=0.3)
    assert "took more than 0.3 seconds and was stopped" in str(caught.value)


def test_unreachable_server_falls_back_to_oneoff(monkeypatch, leaves_nothing_behind):
    require_libreoffice()
    monkeypatch.setenv("CASEFLOW_PDF_CONVERTER_URL", f"127.0.0.1:{warm_server.free_port()}")
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
    monkeypatch.setattr(pdf_errors, "SOFFICE_CANDIDATES", ("/nonexistent/soffice",))
    message = "PDF export is not available: LibreOffice is not installed on the server."
    assert not converter.is_available()
    assert converter.unavailable_reason() == message
    with pytest.raises(converter.PdfUnavailable, match=message):
        converter.to_pdfa(make_docx(1))
    with pytest.raises(converter.PdfUnavailable, match=message):
        warm_server.WarmConverter().start()


# --- warm server ---------------------------------------------------------------------------


def test_warm_server_converts_to_pdfa_2b(warm, monkeypatch, leaves_nothing_behind):
    monkeypatch.setenv("CASEFLOW_PDF_CONVERTER_URL", warm.address)
    # No soffice to fall back on: the PDF can only have come from the warm server.
    monkeypatch.setenv("CASEFLOW_SOFFICE", "/nonexistent/soffice")
    assert converter.is_available()
    assert_pdfa_2b(converter.to_pdfa(make_docx(2)))
    assert warm.info["api"] == "3"  # the unoserver XML-RPC API our client speaks


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


# Refused before starting LibreOffice, not after waiting for it (startup_timeout is 60 s).
@pytest.mark.timeout(20)
def test_warm_converter_refuses_a_port_in_use(warm):
    with pytest.raises(converter.PdfUnavailable, match=f"port {warm.port} on 127.0.0.1 is in use"):
        warm_server.WarmConverter(port=warm.port).start()
    assert warm.running


def test_warm_converter_stops_its_whole_process_group():
    require_unoserver()
    with warm_server.WarmConverter() as server:
        pid, folder = server.pid, server._folder
        assert server.running
        assert our_processes(str(folder)) != []
    assert our_processes(str(folder)) == []
    assert not folder.exists()
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_cli_runs_until_interrupted(stop_signal, tmp_path, own_tempdir, monkeypatch):
    """``caseflow converter`` serves in the foreground; Ctrl+C / SIGTERM stop LibreOffice."""
    require_unoserver()
    port = warm_server.free_port()
    log_path = tmp_path / "cli.log"
    with open(log_path, "wb") as log:
        cli = subprocess.Popen(
            [sys.executable, "-m", "caseflow.pdf.cli", "--port", str(port), "--quiet"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env={**os.environ, "TMPDIR": str(own_tempdir)},
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
    assert our_processes(str(own_tempdir)) == []
    assert list(own_tempdir.glob(converter.TEMP_PREFIX + "*")) == []
    assert re.search(r"unoserver \d", output)

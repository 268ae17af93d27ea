"""`caseflow excerpt export NUMBER [--format docx|pdf] -o PATH`."""

import io

from docx import Document as Docx

from caseflow.cli import cli
from tests.meetings.test_meetings import _decide_and_attest, _meeting
from tests.pdf.test_converter import pdfa_identification
from tests.support import require_or_skip


def test_the_latest_decided_paragraph_is_exported_as_docx(make, app, approved, runner, tmp_path):
    case = approved()
    meeting = _meeting(make, app, case)
    _decide_and_attest(make, app, meeting)
    result = runner.invoke(
        cli, ["excerpt", "export", case.number, "--format", "docx", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    written = tmp_path / result.output.strip().rsplit("/", 1)[-1]
    text = "\n".join(p.text for p in Docx(io.BytesIO(written.read_bytes())).paragraphs)
    assert "§ 1" in text and f"Dnr {case.number}" in text


def test_pdf_export_is_pdfa(make, app, approved, runner, tmp_path):
    from caseflow.pdf import converter

    if not converter.is_available():
        require_or_skip("LibreOffice is not installed")
    from pypdf import PdfReader

    case = approved()
    meeting = _meeting(make, app, case)
    _decide_and_attest(make, app, meeting)
    target = tmp_path / "utdrag.pdf"
    result = runner.invoke(cli, ["excerpt", "export", case.number, "-o", str(target)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(target)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "PROTOKOLLSUTDRAG" in text and "Regionstyrelsen beslutar" in text
    assert "Sida 1 (1)" in text
    assert pdfa_identification(reader) == ("2", "B")  # PDF/A-2b: part 2, conformance B


def test_no_excerpt_for_a_case_without_a_decided_paragraph(make, approved, runner, tmp_path):
    case = approved()
    result = runner.invoke(cli, ["excerpt", "export", case.number, "-o", str(tmp_path / "x")])
    assert result.exit_code == 2 and "har ingen beslutad paragraf" in result.output

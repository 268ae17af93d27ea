"""Reading the text of stored files by type: what a search later finds, or why nothing."""

from __future__ import annotations

import re

import pytest

from caseflow.search.extract import (
    Limits,
    detect_kind,
    extract,
    register_extractor,
    unregister_extractor,
)
from caseflow.search.extract_runner import ExtractionRunner
from tests.search import files

LIMITS = Limits(max_bytes=10 * 1024 * 1024, max_chars=100_000, timeout=30)


def read(data: bytes, *, mime_type=None, filename=None, limits=LIMITS):
    kind = detect_kind(data[:2048], mime_type=mime_type, filename=filename)
    return extract(data, kind, limits)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a_pdf_gives_its_pages_text_in_order_with_swedish_letters():
    pdf = files.text_pdf(
        [
            ["Tjänsteskrivelse RS/720/2021", "Samverket i Östersund"],
            ["Sida två: Åre älv och Härjedalen"],
            ["Sida tre: beslutet"],
        ]
    )
    result = read(pdf, mime_type="application/octet-stream", filename="skrivelse.bin")
    assert (result.status, result.reason) == ("done", None)
    text = flat(result.text)
    assert "Samverket i Östersund" in text and "Åre älv och Härjedalen" in text
    assert text.index("RS/720/2021") < text.index("Sida två") < text.index("Sida tre")


def test_a_pdfa_from_libreoffice_keeps_words_hyphenated_at_a_line_end_whole():
    pdf = files.pdfa_from_libreoffice(files.memo_docx(paragraphs=12, soft_hyphens=True))
    result = read(pdf, filename="Tjänsteskrivelse.pdf")
    assert result.status == "done"
    text = flat(result.text)
    # Each of the 12 paragraphs has both words; the narrow column breaks some at a line end.
    assert text.count("Samverkansformerna") == 12
    assert text.count("regionutvecklingsstrategin") == 12
    assert "Länsstyrelsen Jämtlands län" in text and "450 000 kr" in text
    assert text.index("Stycke 0:") < text.index("Stycke 1:") < text.index("Stycke 11:")


def test_a_word_file_gives_paragraphs_tables_headers_and_footers():
    result = read(files.memo_docx(), filename="Tjänsteskrivelse.docx")
    assert result.status == "done"
    text = flat(result.text)
    for expected in (
        "Projekt Test av coworking och hybridarbete",
        "föreningen Åre Näringsliv",
        "Länsstyrelsen Jämtlands län",
        "450 000 kr",
        "Region Jämtland Härjedalen – Tjänsteskrivelse",
        "Dnr RS/720/2021",
    ):
        assert expected in text
    assert text.index("Stycke 0:") < text.index("Stycke 2:")


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "utf-16"])
def test_plain_text_is_read_in_its_charset(encoding):
    words = "Ärendet gäller Åre och Östersund; förening, föreningar och här, inte har.\n"
    result = read((words * 3).encode(encoding), mime_type="text/plain", filename="anteckning.txt")
    assert result.status == "done"
    assert "Ärendet gäller Åre och Östersund" in result.text


def test_a_mail_gives_subject_sender_recipients_and_body():
    result = read(files.INVITATION_EML, filename="inbjudan.eml")
    assert result.status == "done"
    text = result.text
    assert "Inbjudan till nätverket för säker information" in text
    assert "Susanna Löfgren" in text and "susanna.lofgren@lansstyrelsen.se" in text
    assert "platina@regionjh.se" in text and "erik.noaksson@regionjh.se" in text
    assert "Länsstyrelsen bjuder in till Myndighetsnätverket i Östersund." in text


def test_a_mail_with_only_html_gives_the_html_as_text():
    result = read(files.HTML_ONLY_EML, mime_type="message/rfc822")
    assert result.status == "done"
    assert "Ansökan om medfinansiering för Åre" in flat(result.text)
    assert "dolt" not in result.text and "<b>" not in result.text


def test_images_and_scans_without_a_text_layer_have_no_text():
    image = read(files.png(), mime_type="image/png", filename="skanning.png")
    assert (image.status, image.reason) == ("no_text", "image")
    scan = read(files.text_pdf(drawing_only=True), filename="skanning.pdf")
    assert (scan.status, scan.reason) == ("no_text", "no_text_layer")


def test_broken_encrypted_and_unknown_files_say_why():
    broken = read(b"%PDF-1.7\nthis is no pdf at all", filename="trasig.pdf")
    assert (broken.status, broken.reason) == ("failed", "broken_pdf")
    locked = read(files.encrypted_pdf(), filename="låst.pdf")
    assert (locked.status, locked.reason) == ("failed", "encrypted")
    not_docx = read(b"PK\x03\x04 not really a zip", filename="trasig.docx")
    assert (not_docx.status, not_docx.reason) == ("failed", "broken_docx")
    unknown = read(bytes(range(256)) * 4, mime_type="application/octet-stream", filename="x.bin")
    assert (unknown.status, unknown.reason) == ("unsupported", "unknown_type")


def test_a_file_over_the_size_limit_is_not_read_and_long_text_is_cut():
    small = Limits(max_bytes=1000, max_chars=100_000, timeout=30)
    big = read(b"ord " * 1000, filename="lang.txt", limits=small)
    assert (big.status, big.reason) == ("too_large", "file_too_large")
    short = Limits(max_bytes=1_000_000, max_chars=50, timeout=30)
    cut = read("Östersund ".encode() * 100, filename="lang.txt", limits=short)
    assert (cut.status, cut.reason) == ("done", "truncated")
    assert len(cut.text) == 50 and cut.text.startswith("Östersund")


@pytest.fixture
def child():
    runner = ExtractionRunner()
    yield runner
    runner.shutdown()


@pytest.mark.timeout(60)
def test_the_time_limit_stops_a_file_that_takes_too_long_and_the_next_is_read(child, tmp_path):
    register_extractor("slow", "tests.search.slow_extractor:too_slow", extensions=(".slow",))
    try:
        slow = tmp_path / "a.slow"
        slow.write_bytes(b"x")
        limits = Limits(max_bytes=1000, max_chars=1000, timeout=0.2)
        result = child.run(slow, detect_kind(b"x", mime_type=None, filename="a.slow"), limits)
        assert (result.status, result.reason) == ("failed", "timeout")
        assert not child.is_running
    finally:
        unregister_extractor("slow")
    text = tmp_path / "b.txt"
    text.write_bytes("Åre".encode())
    after = child.run(text, "text", LIMITS)
    assert (after.status, after.text) == ("done", "Åre")


@pytest.mark.timeout(60)
def test_a_reader_that_dies_fails_only_its_file(child, tmp_path):
    register_extractor("dies", "tests.search.slow_extractor:dies", extensions=(".dies",))
    try:
        path = tmp_path / "a.dies"
        path.write_bytes(b"x")
        result = child.run(path, "dies", LIMITS)
        assert (result.status, result.reason) == ("failed", "crashed")
    finally:
        unregister_extractor("dies")
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(files.text_pdf([["Härjedalen"]]))
    assert child.run(pdf, "pdf", LIMITS).text == "Härjedalen"

"""Real files for the extraction tests, made here: PDFs written by hand (a text layer in
WinAnsi, or only a drawing, as a scan has), PDF/A through LibreOffice, .docx with
python-docx, e-mails, a PNG."""

from __future__ import annotations

import io
import struct
import zlib

import docx

from caseflow.pdf import converter
from tests.support import require_or_skip


def _pdf_string(line: str) -> bytes:
    data = line.encode("cp1252")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def text_pdf(pages: list[list[str]] | None = None, *, drawing_only: bool = False) -> bytes:
    """A PDF with one page per list of lines (Helvetica, WinAnsi: Swedish letters), or
    with only a filled rectangle on its page (a scan without a text layer)."""
    pages = pages or [["tom"]]
    objects: list[bytes] = []
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for i, lines in enumerate(pages):
        if drawing_only:
            stream = b"0.5 g 72 72 400 600 re f"
        else:
            shown = b" ".join(_pdf_string(line) + b" '" for line in lines)
            stream = b"BT /F1 12 Tf 16 TL 72 760 Td " + shown + b" ET"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def encrypted_pdf() -> bytes:
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(text_pdf([["Hemligt"]]))))
    writer.encrypt("lösenord", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def memo_docx(*, paragraphs: int = 3, soft_hyphens: bool = False) -> bytes:
    """A memo-like .docx: heading, paragraphs, a table, a header and a footer. With
    ``soft_hyphens`` its column is narrow and long words may break at soft hyphens, so
    a PDF made of it has words hyphenated at line ends."""
    from docx.shared import Cm

    document = docx.Document()
    section = document.sections[0]
    if soft_hyphens:
        section.left_margin = section.right_margin = Cm(7)
    section.header.paragraphs[0].text = "Region Jämtland Härjedalen – Tjänsteskrivelse"
    section.footer.paragraphs[0].text = "Dnr RS/720/2021"
    document.add_heading("Projekt Test av coworking och hybridarbete", 1)
    for n in range(paragraphs):
        text = (
            f"Stycke {n}: Regionstyrelsen beslutar att avsätta medel för projektet i "
            "Östersund. Ärendet gäller föreningen Åre Näringsliv och möjligheterna till "
            "distansarbete under två år. "
        )
        if soft_hyphens:
            text += "Samverkans\u00adformerna och regionut\u00advecklings\u00adstrategin gäller. "
        document.add_paragraph(text)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Kostnad"
    table.cell(0, 1).text = "450 000 kr"
    table.cell(1, 0).text = "Medfinansiär"
    table.cell(1, 1).text = "Länsstyrelsen Jämtlands län"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdfa_from_libreoffice(docx_bytes: bytes) -> bytes:
    """The .docx as PDF/A-2b through LibreOffice (the test is skipped without it)."""
    if not converter.is_available():
        require_or_skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    return converter.to_pdfa(docx_bytes, timeout=120)


def png() -> bytes:
    """A 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


INVITATION_EML = (
    "From: =?utf-8?q?Susanna_L=C3=B6fgren?= <susanna.lofgren@lansstyrelsen.se>\r\n"
    "To: FBL Platina RS <platina@regionjh.se>\r\n"
    "Cc: erik.noaksson@regionjh.se\r\n"
    "Subject: =?utf-8?q?Inbjudan_till_n=C3=A4tverket_f=C3=B6r_s=C3=A4ker_information?=\r\n"
    "Message-ID: <inbjudan-1@lansstyrelsen.se>\r\n"
    "Date: Fri, 19 Mar 2021 10:00:00 +0100\r\n"
    "MIME-Version: 1.0\r\n"
    'Content-Type: text/plain; charset="iso-8859-1"\r\n'
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Hej! Länsstyrelsen bjuder in till Myndighetsnätverket i Östersund.\r\n"
).encode("latin-1")

HTML_ONLY_EML = (
    b"From: Vinnova <info@vinnova.se>\r\n"
    b"To: platina@regionjh.se\r\n"
    b"Subject: Utlysning\r\n"
    b"Message-ID: <utlysning-1@vinnova.se>\r\n"
    b"MIME-Version: 1.0\r\n"
    b'Content-Type: text/html; charset="utf-8"\r\n'
    b"\r\n"
    + "<html><body><p>Ansökan om <b>medfinansiering</b> för Åre</p>"
    "<script>dolt()</script></body></html>\r\n".encode()
)

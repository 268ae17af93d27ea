"""A dispatch by letter: the registered document behind an address page, for printing.

The address page is a small .docx (python-docx): the sender's name and address, the
recipient's address block where a window envelope shows it, the case number and date.
With LibreOffice it becomes a PDF placed in front of the document's PDF (pypdf); without
it, or when the document is a .docx, the letter is the address page alone as .docx, to be
printed together with the document.
"""

from __future__ import annotations

import io
import logging

from docx import Document as Docx
from docx.shared import Cm, Pt

from caseflow.documents.formats import DOCX_MIME, PDF_MIME

log = logging.getLogger("caseflow.meetings")


def address_lines(name: str, postal_address: str | None) -> list[str]:
    """The address block: the name, then the postal address line by line."""
    lines = [" ".join(name.split())]
    lines += [" ".join(line.split()) for line in (postal_address or "").splitlines()]
    return [line for line in lines if line]


def address_page(*, sender: str, sender_address: str, lines: list[str], reference: str) -> bytes:
    """The address page as .docx bytes."""
    document = Docx()
    section = document.sections[0]
    section.top_margin, section.left_margin = Cm(2), Cm(2.5)
    head = document.add_paragraph()
    head.add_run(sender).bold = True
    for line in sender_address.splitlines():
        document.add_paragraph(line)
    spacer = document.add_paragraph()
    spacer.paragraph_format.space_before = Pt(60)
    block = document.add_paragraph()
    block.paragraph_format.left_indent = Cm(9)
    for index, line in enumerate(lines):
        run = block.add_run(line)
        run.font.size = Pt(12)
        if index < len(lines) - 1:
            run.add_break()
    footer = document.add_paragraph(reference)
    footer.paragraph_format.space_before = Pt(120)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_letter(
    content: bytes, mime: str, *, sender: str, sender_address: str, lines, reference: str
) -> tuple[bytes, str]:
    """The printable letter and its MIME type: a PDF with the address page in front when
    LibreOffice is there and the document is a PDF, else the address page as .docx."""
    from pypdf import PdfReader, PdfWriter

    from caseflow.common.errors import CaseflowError
    from caseflow.pdf import converter

    page = address_page(
        sender=sender, sender_address=sender_address, lines=lines, reference=reference
    )
    if mime != PDF_MIME or not converter.is_available():
        return page, DOCX_MIME
    try:
        front = converter.to_pdfa(page)
    except CaseflowError:
        log.warning("the address page could not be converted; the letter is the .docx")
        return page, DOCX_MIME
    writer = PdfWriter()
    for part in (front, content):
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), PDF_MIME

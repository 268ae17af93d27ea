"""The fee for copies (avgiftsförordningen 1992:191, 15–16 §§) and the pages it counts.

The first nine pages are free, the tenth costs 50 kronor and every page after it 2 kronor
(``DISCLOSURE_FEES`` changes the numbers). Looking at the documents on site costs nothing
(TF 2 kap. 15 §): the fee is for copies. Pages are counted in the released files: a PDF
by its own page count, any other file by the count the officer entered.
"""

from __future__ import annotations

import io

from flask import current_app
from sqlmodel import Session

from caseflow.disclosure.models import Delivery, DocumentRequest, Outcome
from caseflow.documents.formats import PDF_MIME
from caseflow.documents.models import Document, DocumentFile
from caseflow.documents.storage import FileStore

DEFAULT_FEES = {"free_pages": 9, "first_paid_page": 50, "per_page_after": 2}


def fee_for(pages: int, fees: dict | None = None) -> int:
    """Kronor for ``pages`` pages: 0 for up to nine, 50 for ten, 2 more for each after."""
    fees = fees or current_app.config.get("DISCLOSURE_FEES") or DEFAULT_FEES
    free = int(fees["free_pages"])
    if pages <= free:
        return 0
    return int(fees["first_paid_page"]) + int(fees["per_page_after"]) * (pages - free - 1)


def fee_for_delivery(pages: int, how: str) -> int:
    """Kronor for handing ``pages`` pages over ``how``: nothing on site, :func:`fee_for` for
    copies (by e-mail, by post, picked up)."""
    return 0 if how == Delivery.ON_SITE else fee_for(pages)


def pdf_pages(content: bytes) -> int | None:
    """The pages of a PDF, or None when it cannot be read as one."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return len(PdfReader(io.BytesIO(content)).pages)
    except (PdfReadError, ValueError, OSError):
        return None


def current_files(doc: Document) -> list[DocumentFile]:
    """A document's files as they stand: the newest version of each name."""
    newest: dict[str, DocumentFile] = {}
    for f in doc.files:
        if f.filename not in newest or f.file_version > newest[f.filename].file_version:
            newest[f.filename] = f
    return list(newest.values())


def released_files(
    session: Session, store: FileStore, request: DocumentRequest
) -> list[tuple[DocumentFile, int]]:
    """The files the request releases (the redacted copy in place of the original) and the
    pages each counts for the fee."""
    found = []
    for item in request.items:
        if item.outcome == Outcome.RELEASED:
            doc = session.get(Document, item.document_id)
        elif item.outcome == Outcome.REDACTED:
            doc = session.get(Document, item.redacted_document_id)
        else:
            continue
        files = current_files(doc)
        counted = []
        for f in files:
            pages = None
            if f.mime_type == PDF_MIME or f.filename.lower().endswith(".pdf"):
                with store.open(f.sha256) as handle:
                    pages = pdf_pages(handle.read())
            counted.append([f, pages])
        unknown = [row for row in counted if row[1] is None]
        if unknown:  # the officer's count stands for the files that cannot count themselves
            share = item.page_count or len(unknown)
            for row in unknown:
                row[1] = 0
            unknown[0][1] = share
        found.extend((f, pages) for f, pages in counted)
    return found

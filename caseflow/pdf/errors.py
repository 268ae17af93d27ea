"""What the PDF modules share: LibreOffice's filter names, the errors and their messages."""

from __future__ import annotations

import logging

from caseflow.common.errors import CaseflowError

#: One logger for the PDF modules, as before they were split.
log = logging.getLogger("caseflow.pdf.converter")

#: LibreOffice's import filter for .docx. Forced, so that a file that is no Word document
#: is refused instead of being "converted" as plain text.
DOCX_IMPORT_FILTER = "MS Word 2007 XML"
PDF_EXPORT_FILTER = "writer_pdf_Export"
#: ``SelectPdfVersion`` of the PDF export: 1 = PDF/A-1b, 2 = PDF/A-2b, 3 = PDF/A-3b.
PDFA_VERSION = 2
#: The XML-RPC API version of unoserver this module speaks (unoserver 3.7 reports "3").
UNOSERVER_API = "3"
DEFAULT_UNO_PYTHON = "/usr/bin/python3"
#: Where soffice is looked for when ``SOFFICE`` is not set: on PATH, then Debian's place.
SOFFICE_CANDIDATES = ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice")
DEFAULT_WARM_PORT = 2003
LOOPBACK = "127.0.0.1"
#: Every temporary folder (and so every soffice profile) of this module starts with this.
TEMP_PREFIX = "caseflow-pdf-"

_PREFIX = "PDF-export är inte tillgänglig: "
MSG_NOT_INSTALLED = _PREFIX + "LibreOffice är inte installerat på servern."
MSG_SOFFICE_MISSING = (
    _PREFIX + "LibreOffice hittades inte på servern (kontrollera inställningen SOFFICE)."
)
_FAILED = "Dokumentet kunde inte konverteras till PDF: "
MSG_NOT_DOCX = _FAILED + "filen är inte ett Word-dokument (.docx)."
MSG_UNREADABLE = _FAILED + "LibreOffice kunde inte läsa Word-dokumentet. Det kan vara skadat."
MSG_TIMEOUT = _FAILED + "konverteringen tog mer än {timeout:g} sekunder och avbröts."
MSG_NO_OUTPUT = _FAILED + "LibreOffice avslutades utan att skapa någon PDF-fil."
MSG_NOT_PDFA = _FAILED + "LibreOffice skapade ingen giltig PDF/A-2b-fil."
MSG_SERVER_ERROR = _FAILED + "PDF-tjänsten svarade med ett fel."


class PdfError(CaseflowError):
    """PDF export did not happen; the message is Swedish and meant for the user."""


class PdfUnavailable(PdfError):
    """Neither LibreOffice nor a warm converter is there: no PDF can be made at all."""


class ConversionFailed(PdfError):
    """This document could not be converted (unreadable, too slow, or LibreOffice failed)."""


class ServerUnreachable(Exception):
    """The warm server did not answer; the caller falls back to a one-off soffice."""

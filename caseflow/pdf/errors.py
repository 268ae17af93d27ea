"""What the PDF modules share: LibreOffice's filter names, the errors and their messages."""

from __future__ import annotations

import logging

from flask_babel import lazy_gettext as _l

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


def unavailable(problem):
    """The message of a :class:`PdfUnavailable`: no PDF can be made, and why."""
    return _l("PDF export is not available: %(problem)s", problem=problem)


def failed(problem):
    """The message of a :class:`ConversionFailed`: this document was not converted, and why."""
    return _l("The document could not be converted to PDF: %(problem)s", problem=problem)


def timeout_message(timeout: float):
    return failed(
        _l(
            "the conversion took more than %(seconds)s seconds and was stopped.",
            seconds=f"{timeout:g}",
        )
    )


MSG_NOT_INSTALLED = unavailable(_l("LibreOffice is not installed on the server."))
MSG_SOFFICE_MISSING = unavailable(
    _l("LibreOffice was not found on the server (check the setting SOFFICE).")
)
MSG_NOT_DOCX = failed(_l("the file is not a Word document (.docx)."))
MSG_UNREADABLE = failed(_l("LibreOffice could not read the Word document. It may be damaged."))
MSG_NO_OUTPUT = failed(_l("LibreOffice ended without making a PDF file."))
MSG_NOT_PDFA = failed(_l("LibreOffice made no valid PDF/A-2b file."))
MSG_SERVER_ERROR = failed(_l("the PDF service answered with an error."))


class PdfError(CaseflowError):
    """PDF export did not happen; the message is meant for the user, in their language."""


class PdfUnavailable(PdfError):
    """Neither LibreOffice nor a warm converter is there: no PDF can be made at all."""


class ConversionFailed(PdfError):
    """This document could not be converted (unreadable, too slow, or LibreOffice failed)."""


class ServerUnreachable(Exception):
    """The warm server did not answer; the caller falls back to a one-off soffice."""

"""Word (.docx) → PDF/A-2b through LibreOffice.

The rest of the app calls three functions::

    from caseflow.pdf import converter
    converter.is_available()        # LibreOffice found, or a warm server answers
    converter.unavailable_reason()  # None, or a sentence for the UI
    converter.to_pdfa(docx_bytes, timeout=60)  # PDF/A-2b bytes

Two ways to convert, tried in this order:

1. A *warm* server: unoserver (XML-RPC) in front of a running LibreOffice, ~150 ms per
   document. Its address is ``PDF_CONVERTER_URL`` in the app config (``host:port``; as an
   environment variable ``CASEFLOW_PDF_CONVERTER_URL``; outside an app context
   ``CASEFLOW_PDF_CONVERTER`` is read too). Start one with :class:`WarmConverter` or the
   ``caseflow converter`` command. The server side of unoserver must run on a Python that
   can ``import uno`` — Debian's ``/usr/bin/python3`` with python3-uno — never the app's
   virtualenv; the app talks to it over XML-RPC with the standard library only.
2. If no server is configured, or it cannot be reached: a one-off
   ``soffice --headless --convert-to …`` (~1 s) with a fresh profile in its own temporary
   folder, in its own process group, killed as a group on timeout.

The warm server's client is in ``rpc``, the one-off run in ``oneoff``, the errors and their
messages in ``errors``, the warm server's manager in ``warm``.

``SOFFICE`` (``CASEFLOW_SOFFICE``) names the soffice executable; by default it is looked
up on ``PATH``. Nothing is cached on disk; every temporary folder is removed.
"""

from __future__ import annotations

import io
import re
import socket
import time
import zipfile
from urllib.parse import urlsplit

from caseflow.pdf.errors import (  # noqa: F401 - the errors and messages are this API too
    DEFAULT_UNO_PYTHON,
    DEFAULT_WARM_PORT,
    LOOPBACK,
    MSG_NOT_DOCX,
    MSG_NOT_INSTALLED,
    MSG_NOT_PDFA,
    MSG_SOFFICE_MISSING,
    PDFA_VERSION,
    SOFFICE_CANDIDATES,
    TEMP_PREFIX,
    UNOSERVER_API,
    ConversionFailed,
    PdfError,
    PdfUnavailable,
    ServerUnreachable,
    log,
)
from caseflow.pdf.office import (  # noqa: F401 - finding LibreOffice is this API too
    _setting,
    missing_message,
    soffice_path,
    uno_python,
)
from caseflow.pdf.oneoff import convert_oneoff
from caseflow.pdf.rpc import convert_warm


def converter_address() -> tuple[str, int] | None:
    """``(host, port)`` of the configured warm converter, or None."""
    value = _setting(
        ("PDF_CONVERTER_URL", "PDF_CONVERTER"),
        ("CASEFLOW_PDF_CONVERTER_URL", "CASEFLOW_PDF_CONVERTER"),
    )
    if not value:
        return None
    address = parse_address(value)
    if address is None:
        log.warning("PDF_CONVERTER_URL %r is not host:port; the warm converter is ignored", value)
    return address


def parse_address(value: str) -> tuple[str, int] | None:
    """``"127.0.0.1:2003"`` or ``"http://127.0.0.1:2003"`` → ``("127.0.0.1", 2003)``."""
    value = value.strip()
    parts = urlsplit(value if "//" in value else f"//{value}")
    try:
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname or port is None:
        return None
    return parts.hostname, port


# --- availability --------------------------------------------------------------------------


def _server_reachable(address: tuple[str, int], timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection(address, timeout=timeout):
            return True
    except OSError:
        return False


def is_available() -> bool:
    """True when a PDF can be made: soffice is installed or the warm converter answers."""
    return unavailable_reason() is None


def unavailable_reason() -> str | None:
    """None when PDF export works, else why not, in the reader's language, for the UI."""
    if soffice_path() is not None:
        return None
    address = converter_address()
    if address is not None and _server_reachable(address):
        return None
    return str(missing_message())


# --- conversion ----------------------------------------------------------------------------


def to_pdfa(docx_bytes: bytes, *, timeout: float = 60) -> bytes:
    """Convert a .docx to PDF/A-2b.

    Raises :class:`PdfUnavailable` when LibreOffice is not there and
    :class:`ConversionFailed` when this document cannot be converted within ``timeout``
    seconds. Both carry a Swedish message for the user.
    """
    if timeout <= 0:
        raise ValueError("timeout must be positive")
    data = bytes(docx_bytes)
    _check_docx(data)
    deadline = time.monotonic() + timeout

    address = converter_address()
    if address is not None:
        try:
            pdf = convert_warm(address, data, deadline, timeout)
        except ServerUnreachable as exc:
            log.warning(
                "PDF converter at %s:%s not reachable (%s); using a one-off soffice",
                *address,
                exc,
            )
        else:
            return _check_pdfa(pdf)

    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable(missing_message())
    return _check_pdfa(convert_oneoff(soffice, data, deadline, timeout))


def _check_docx(data: bytes) -> None:
    """Refuse what is not a Word document before LibreOffice is started for it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ConversionFailed(MSG_NOT_DOCX) from exc
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise ConversionFailed(MSG_NOT_DOCX)


_PDFAID = re.compile(
    rb"pdfaid:part(?:>|\s*=\s*[\"'])\s*(\d)\s*[<\"'].{0,400}?"
    rb"pdfaid:conformance(?:>|\s*=\s*[\"'])\s*([A-Za-z])\s*[<\"']",
    re.DOTALL,
)


def _check_pdfa(pdf: bytes) -> bytes:
    """A PDF whose (uncompressed, as PDF/A requires) XMP says PDF/A-2b; else ConversionFailed."""
    match = _PDFAID.search(pdf)
    if not pdf.startswith(b"%PDF-") or match is None:
        log.error("LibreOffice made no PDF/A (%d bytes, pdfaid %r)", len(pdf), match)
        raise ConversionFailed(MSG_NOT_PDFA)
    if match.group(1) != str(PDFA_VERSION).encode() or match.group(2).upper() != b"B":
        log.error("LibreOffice made PDF/A-%s%s, not 2b", match.group(1), match.group(2))
        raise ConversionFailed(MSG_NOT_PDFA)
    return pdf

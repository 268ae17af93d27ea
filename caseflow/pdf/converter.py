"""Word (.docx) → PDF/A-2b through LibreOffice.

The rest of the app calls three functions::

    from caseflow.pdf import converter
    converter.is_available()        # LibreOffice found, or a warm server answers
    converter.unavailable_reason()  # None, or a Swedish sentence for the UI
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

``SOFFICE`` (``CASEFLOW_SOFFICE``) names the soffice executable; by default it is looked
up on ``PATH``. Nothing is cached on disk; every temporary folder is removed.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import xmlrpc.client
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, has_app_context

from caseflow.common.errors import CaseflowError

log = logging.getLogger(__name__)

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


class _ServerUnreachable(Exception):
    """The warm server did not answer; the caller falls back to a one-off soffice."""


# --- settings ------------------------------------------------------------------------------


def _setting(config_keys: tuple[str, ...], env_names: tuple[str, ...]) -> str | None:
    """The app config (when there is an app context) first, then the environment."""
    if has_app_context():
        for key in config_keys:
            value = current_app.config.get(key)
            if value not in (None, ""):
                return str(value)
    for name in env_names:
        value = os.environ.get(name)
        if value:
            return value
    return None


def _configured_soffice() -> str | None:
    return _setting(("SOFFICE",), ("CASEFLOW_SOFFICE",))


def soffice_path() -> str | None:
    """The soffice executable to run, or None when LibreOffice is not installed."""
    configured = _configured_soffice()
    if configured:
        return shutil.which(configured)
    for name in SOFFICE_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


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


def _uno_python() -> str:
    return _setting(("PDF_UNO_PYTHON",), ("CASEFLOW_PDF_UNO_PYTHON",)) or DEFAULT_UNO_PYTHON


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
    """None when PDF export works, else why not, in Swedish, for the UI."""
    if soffice_path() is not None:
        return None
    address = converter_address()
    if address is not None and _server_reachable(address):
        return None
    return _missing_message()


def _missing_message() -> str:
    return MSG_SOFFICE_MISSING if _configured_soffice() else MSG_NOT_INSTALLED


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
            pdf = _convert_warm(address, data, deadline, timeout)
        except _ServerUnreachable as exc:
            log.warning(
                "PDF converter at %s:%s not reachable (%s); using a one-off soffice",
                *address,
                exc,
            )
        else:
            return _check_pdfa(pdf)

    soffice = soffice_path()
    if soffice is None:
        raise PdfUnavailable(_missing_message())
    return _check_pdfa(_convert_oneoff(soffice, data, deadline, timeout))


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


# --- warm server (unoserver over XML-RPC) --------------------------------------------------

#: Servers whose ``info()`` reported the expected API (checked once per process: 60 ms).
_verified_servers: set[tuple[str, int]] = set()


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float):
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


def _url(address: tuple[str, int]) -> str:
    host, port = address
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


_UNREACHABLE = (
    OSError,  # refused, reset, no route, unknown host (TimeoutError is passed on)
    http.client.HTTPException,  # e.g. the server closed the connection mid-answer
    xmlrpc.client.ProtocolError,  # something else answers HTTP on that port
)


def _rpc(address: tuple[str, int], method: str, *args, timeout: float):
    """Call ``method`` on the server; connection trouble → :class:`_ServerUnreachable`."""
    with xmlrpc.client.ServerProxy(
        _url(address), transport=_TimeoutTransport(timeout), allow_none=True
    ) as proxy:
        try:
            return getattr(proxy, method)(*args)
        except TimeoutError:
            raise
        except _UNREACHABLE as exc:
            raise _ServerUnreachable(f"{type(exc).__name__}: {exc}") from exc


def server_info(address: tuple[str, int], timeout: float = 5) -> dict:
    """unoserver's ``info()``: versions and filters. Raises on any trouble."""
    return _rpc(address, "info", timeout=timeout)


def _convert_warm(address: tuple[str, int], data: bytes, deadline: float, timeout: float):
    if address not in _verified_servers:
        try:
            info = server_info(address, timeout=min(5.0, max(deadline - time.monotonic(), 0.1)))
        except (TimeoutError, xmlrpc.client.Fault) as exc:
            raise _ServerUnreachable(f"info(): {exc}") from exc
        if str(info.get("api")) != UNOSERVER_API:
            raise _ServerUnreachable(
                f"unoserver {info.get('unoserver')} speaks API {info.get('api')}, "
                f"not {UNOSERVER_API}"
            )
        _verified_servers.add(address)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise ConversionFailed(MSG_TIMEOUT.format(timeout=timeout))
    try:
        result = _rpc(
            address,
            "convert",
            None,  # inpath
            xmlrpc.client.Binary(data),  # indata
            None,  # outpath: return the bytes
            "pdf",  # convert_to
            PDF_EXPORT_FILTER,  # filtername
            [f"SelectPdfVersion={PDFA_VERSION}"],  # filter_options
            True,  # update_index
            DOCX_IMPORT_FILTER,  # infiltername
            None,  # password
            timeout=remaining,
        )
    except _ServerUnreachable:
        _verified_servers.discard(address)
        raise
    except TimeoutError as exc:
        raise ConversionFailed(MSG_TIMEOUT.format(timeout=timeout)) from exc
    except xmlrpc.client.Fault as exc:
        log.warning("PDF converter at %s:%s failed: %s", *address, exc.faultString)
        if "Could not load document" in exc.faultString:
            raise ConversionFailed(MSG_UNREADABLE) from exc
        raise ConversionFailed(MSG_SERVER_ERROR) from exc
    if not isinstance(result, xmlrpc.client.Binary):
        raise ConversionFailed(MSG_SERVER_ERROR)
    return result.data


# --- one-off soffice -----------------------------------------------------------------------


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"):
        env.pop(name, None)
    return env


def _exited(proc: subprocess.Popen) -> bool:
    """Whether ``proc`` has exited, without reaping it.

    An unreaped child keeps its pid, so its process group id cannot be reused: killing the
    group afterwards can only hit the child's own descendants.
    """
    if proc.returncode is not None:
        return True
    try:
        return os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True


def _wait_exited(proc: subprocess.Popen, deadline: float) -> bool:
    """Wait (without reaping) until ``proc`` exits or ``deadline``; True if it exited."""
    delay = 0.002
    while not _exited(proc):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, 0.02)
    return True


def _kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the whole process group of ``proc`` (its session leader), then reap it."""
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _convert_oneoff(soffice: str, data: bytes, deadline: float, timeout: float) -> bytes:
    with tempfile.TemporaryDirectory(prefix=TEMP_PREFIX + "oneoff-") as tmp:
        folder = Path(tmp)
        source = folder / "in" / "dokument.docx"
        source.parent.mkdir()
        source.write_bytes(data)
        outdir = folder / "out"
        outdir.mkdir()
        filter_data = json.dumps(
            {"SelectPdfVersion": {"type": "long", "value": str(PDFA_VERSION)}},
            separators=(",", ":"),
        )
        command = [
            soffice,
            "--headless",
            "--invisible",
            "--nocrashreport",
            "--nodefault",
            "--nologo",
            "--nofirststartwizard",
            "--norestore",
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            f"--infilter={DOCX_IMPORT_FILTER}",
            "--convert-to",
            f"pdf:{PDF_EXPORT_FILTER}:{filter_data}",
            "--outdir",
            str(outdir),
            str(source),
        ]
        output_log = folder / "soffice.log"
        with open(output_log, "wb") as output:
            proc = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                command,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=folder,
                env=_child_env(),
                start_new_session=True,
            )
        try:
            finished = _wait_exited(proc, deadline)
        finally:
            _kill_group(proc)  # on timeout, on Ctrl+C, and any straggler after a normal exit
        messages = output_log.read_text(errors="replace")
        if not finished:
            log.warning("soffice timed out after %ss: %s", timeout, messages[-2000:])
            raise ConversionFailed(MSG_TIMEOUT.format(timeout=timeout))
        result = outdir / "dokument.pdf"
        if not result.is_file():
            log.warning("soffice exited %s without a PDF: %s", proc.returncode, messages[-2000:])
            if "could not be loaded" in messages:
                raise ConversionFailed(MSG_UNREADABLE)
            raise ConversionFailed(MSG_NO_OUTPUT)
        return result.read_bytes()


def __getattr__(name: str):
    """The warm server's manager lives in :mod:`caseflow.pdf.warm`; it is part of this API."""
    if name in ("WarmConverter", "free_port", "port_free"):
        from caseflow.pdf import warm

        return getattr(warm, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

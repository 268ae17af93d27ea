"""The client side of a warm PDF converter: unoserver's XML-RPC API, with real timeouts.

unoserver's own client retries for 40 s when the server is down; this one gives up at
once, so the caller can fall back to a one-off soffice.
"""

from __future__ import annotations

import http.client
import time
import xmlrpc.client

from caseflow.pdf.errors import (
    DOCX_IMPORT_FILTER,
    MSG_SERVER_ERROR,
    MSG_UNREADABLE,
    PDF_EXPORT_FILTER,
    PDFA_VERSION,
    UNOSERVER_API,
    ConversionFailed,
    ServerUnreachable,
    log,
    timeout_message,
)

#: Servers whose ``info()`` reported the expected API (checked once per process: 60 ms).
verified_servers: set[tuple[str, int]] = set()


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
    """Call ``method`` on the server; connection trouble → :class:`ServerUnreachable`."""
    with xmlrpc.client.ServerProxy(
        _url(address), transport=_TimeoutTransport(timeout), allow_none=True
    ) as proxy:
        try:
            return getattr(proxy, method)(*args)
        except TimeoutError:
            raise
        except _UNREACHABLE as exc:
            raise ServerUnreachable(f"{type(exc).__name__}: {exc}") from exc


def server_info(address: tuple[str, int], timeout: float = 5) -> dict:
    """unoserver's ``info()``: versions and filters. Raises on any trouble."""
    return _rpc(address, "info", timeout=timeout)


def convert_warm(address: tuple[str, int], data: bytes, deadline: float, timeout: float):
    if address not in verified_servers:
        try:
            info = server_info(address, timeout=min(5.0, max(deadline - time.monotonic(), 0.1)))
        except (TimeoutError, xmlrpc.client.Fault) as exc:
            raise ServerUnreachable(f"info(): {exc}") from exc
        if str(info.get("api")) != UNOSERVER_API:
            raise ServerUnreachable(
                f"unoserver {info.get('unoserver')} speaks API {info.get('api')}, "
                f"not {UNOSERVER_API}"
            )
        verified_servers.add(address)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise ConversionFailed(timeout_message(timeout))
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
    except ServerUnreachable:
        verified_servers.discard(address)
        raise
    except TimeoutError as exc:
        raise ConversionFailed(timeout_message(timeout)) from exc
    except xmlrpc.client.Fault as exc:
        log.warning("PDF converter at %s:%s failed: %s", *address, exc.faultString)
        if "Could not load document" in exc.faultString:
            raise ConversionFailed(MSG_UNREADABLE) from exc
        raise ConversionFailed(MSG_SERVER_ERROR) from exc
    if not isinstance(result, xmlrpc.client.Binary):
        raise ConversionFailed(MSG_SERVER_ERROR)
    return result.data

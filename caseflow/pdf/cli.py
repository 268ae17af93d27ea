"""``caseflow converter``: a warm PDF converter in the foreground until Ctrl+C.

Registered by ``caseflow.pdf.init_app``; it needs no database, but reads
``PDF_CONVERTER_URL`` for its default port when there is one. Also runnable as
``python -m caseflow.pdf.cli``.
"""

from __future__ import annotations

import signal
import threading
import time

import click

from caseflow.common.cli import needs_no_database
from caseflow.pdf import converter
from caseflow.pdf import warm as warm_server

#: A server that dies this soon after starting counts as a failed start.
_SHORT_LIFE = 30.0
_MAX_FAILED_STARTS = 5


def _stop_on_sigterm(signum, frame):  # pragma: no cover - runs in the signal handler
    raise KeyboardInterrupt  # stops LibreOffice on the way out, like Ctrl+C


def _default_port() -> int:
    address = converter.converter_address()
    if address is not None and address[0] in ("127.0.0.1", "localhost"):
        return address[1]
    return converter.DEFAULT_WARM_PORT


@needs_no_database  # it converts files; it never opens the database
@click.command("converter")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=None,
    help="XML-RPC port on 127.0.0.1 [default: the port of PDF_CONVERTER_URL, else 2003].",
)
@click.option(
    "--uno-port",
    type=click.IntRange(1, 65535),
    default=None,
    help="LibreOffice's own UNO port on 127.0.0.1 [default: a free port].",
)
@click.option("--quiet", is_flag=True, help="Do not show unoserver's log.")
def converter_command(port: int | None, uno_port: int | None, quiet: bool) -> None:
    """Run a warm PDF/A converter (unoserver + LibreOffice) on 127.0.0.1 until Ctrl+C.

    Point the app at it with PDF_CONVERTER_URL=127.0.0.1:PORT. Without it the app starts
    a one-off LibreOffice for every document (about 1 s instead of 0.15 s). If LibreOffice
    dies, it is started again.
    """
    port = port or _default_port()
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm) if in_main_thread else None
    failed_starts = 0
    try:
        while True:
            warm = warm_server.WarmConverter(port=port, uno_port=uno_port, show_output=not quiet)
            try:
                warm.start()
            except converter.PdfError as exc:
                raise click.ClickException(str(exc)) from exc
            started = time.monotonic()
            try:
                info = warm.info or {}
                click.echo(
                    f"PDF converter listening on {warm.address} (unoserver "
                    f"{info.get('unoserver')}, LibreOffice {info.get('libreoffice_version')}). "
                    f"Set PDF_CONVERTER_URL={warm.address}. Stop with Ctrl+C."
                )
                warm.wait()
            finally:
                warm.stop()
            if time.monotonic() - started < _SHORT_LIFE:
                failed_starts += 1
            else:
                failed_starts = 0
            if failed_starts >= _MAX_FAILED_STARTS:
                raise click.ClickException(
                    f"the PDF converter stopped {failed_starts} times in a row; giving up"
                )
            click.echo("The PDF converter stopped unexpectedly; starting it again.", err=True)
            time.sleep(1)
    except KeyboardInterrupt:
        click.echo("PDF converter stopped.")
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover
    converter_command()

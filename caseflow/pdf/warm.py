"""Running a warm LibreOffice (unoserver) on 127.0.0.1 for :mod:`caseflow.pdf.converter`."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import xmlrpc.client
from pathlib import Path

from flask_babel import lazy_gettext as _l

from caseflow.pdf.errors import (
    LOOPBACK,
    TEMP_PREFIX,
    UNOSERVER_API,
    PdfUnavailable,
    ServerUnreachable,
    log,
    unavailable,
)
from caseflow.pdf.office import missing_message, soffice_path, uno_python
from caseflow.pdf.oneoff import child_env, has_exited, kill_group, wait_exited
from caseflow.pdf.rpc import server_info, verified_servers


def free_port(exclude: tuple[int, ...] = ()) -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((LOOPBACK, 0))
            port = sock.getsockname()[1]
        if port not in exclude:
            return port


def port_free(port: int) -> bool:
    """Whether a server could listen on 127.0.0.1:``port`` now (as unoserver binds it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


class WarmConverter:
    """Runs unoserver + LibreOffice on 127.0.0.1 while the ``with`` block lasts.

    ::

        with WarmConverter(port=2003) as warm:   # returns once the server answers
            ...  # PDF_CONVERTER_URL = warm.address

    The server runs on Debian's Python (``PDF_UNO_PYTHON``/``CASEFLOW_PDF_UNO_PYTHON``,
    default ``/usr/bin/python3``, which needs python3-uno and unoserver), in its own session
    and process group, with its own LibreOffice profile in a temporary folder. Stopping
    sends SIGTERM to unoserver (which closes LibreOffice), then SIGKILL to the whole group,
    and removes the folder. Ports default to free ones.
    """

    def __init__(
        self,
        port: int | None = None,
        *,
        uno_port: int | None = None,
        soffice: str | None = None,
        python: str | None = None,
        startup_timeout: float = 60,
        conversion_timeout: int = 120,
        show_output: bool = False,
    ):
        self.port = port
        self.uno_port = uno_port
        self.soffice = soffice
        self.python = python
        self.startup_timeout = startup_timeout
        self.conversion_timeout = conversion_timeout
        self.show_output = show_output
        self.info: dict | None = None
        self._proc: subprocess.Popen | None = None
        self._folder: Path | None = None

    @property
    def address(self) -> str:
        """``"127.0.0.1:PORT"``, the value for ``PDF_CONVERTER_URL``."""
        return f"{LOOPBACK}:{self.port}"

    @property
    def pid(self) -> int | None:
        """The pid (and process group id) of the unoserver process."""
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and not has_exited(self._proc)

    def __enter__(self) -> WarmConverter:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def command(self) -> list[str]:
        assert self._folder is not None
        return [
            self.python or uno_python(),
            "-m",
            "unoserver.server",
            "--interface",
            LOOPBACK,
            "--port",
            str(self.port),
            "--uno-interface",
            LOOPBACK,
            "--uno-port",
            str(self.uno_port),
            # A plain path: unoserver makes the file:// URI itself.
            "--user-installation",
            str(self._folder / "profile"),
            "--executable",
            self.soffice or "",
            "--temp-dir",
            str(self._folder / "tmp"),
            "--conversion-timeout",
            str(int(self.conversion_timeout)),
        ]

    def start(self) -> None:
        """Start the server and wait until it answers; PdfUnavailable if it does not."""
        if self._proc is not None:
            raise RuntimeError("the warm converter is already running")
        self.soffice = self.soffice or soffice_path()
        if self.soffice is None:
            raise PdfUnavailable(missing_message())
        python = self.python or uno_python()
        if shutil.which(python) is None:
            raise PdfUnavailable(
                unavailable(
                    _l(
                        "Python for the PDF service (%(python)s) is not on the server.",
                        python=python,
                    )
                )
            )
        if self.port is None:
            self.port = free_port()
        if self.uno_port is None:
            self.uno_port = free_port(exclude=(self.port,))
        for port in (self.port, self.uno_port):
            # Else a server already there would answer for the one that is starting.
            if not port_free(port):
                raise PdfUnavailable(
                    unavailable(
                        _l(
                            "the PDF service cannot start: port %(port)s on %(host)s is in use.",
                            port=port,
                            host=LOOPBACK,
                        )
                    )
                )
        self._folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX + "warm-"))
        (self._folder / "tmp").mkdir()
        env = child_env()
        env["PYTHONUNBUFFERED"] = "1"
        try:
            if self.show_output:
                self._proc = self._popen(env, None)
            else:
                with open(self._folder / "unoserver.log", "wb") as output:
                    self._proc = self._popen(env, output)
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _popen(self, env, output) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT if output is not None else None,
            cwd=self._folder,
            env=env,
            start_new_session=True,
        )

    def output(self) -> str:
        """What unoserver has logged (empty when ``show_output``)."""
        if self._folder is None:
            return ""
        try:
            return (self._folder / "unoserver.log").read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def _wait_ready(self) -> None:
        assert self._proc is not None
        address = (LOOPBACK, int(self.port))
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if has_exited(self._proc):
                output = self.output()
                log.error("unoserver exited at start: %s", output[-3000:])
                if "No module named" in output:
                    raise PdfUnavailable(
                        unavailable(
                            _l(
                                "the package unoserver is missing for %(python)s (install it "
                                "with: %(python)s -m pip install --break-system-packages "
                                "unoserver).",
                                python=self.python or uno_python(),
                            )
                        )
                    )
                raise PdfUnavailable(
                    unavailable(_l("the PDF service (unoserver) could not be started."))
                )
            try:
                info = server_info(address, timeout=2)
            except (ServerUnreachable, OSError, xmlrpc.client.Fault):
                time.sleep(0.2)
                continue
            if str(info.get("api")) != UNOSERVER_API:
                raise PdfUnavailable(
                    unavailable(
                        _l(
                            "the PDF service (unoserver %(version)s) has the wrong version.",
                            version=info.get("unoserver"),
                        )
                    )
                )
            self.info = info
            verified_servers.add(address)
            log.info(
                "warm PDF converter on %s (unoserver %s, LibreOffice %s)",
                self.address,
                info.get("unoserver"),
                info.get("libreoffice_version"),
            )
            return
        log.error("unoserver did not answer: %s", self.output()[-3000:])
        raise PdfUnavailable(
            unavailable(
                _l(
                    "the PDF service did not answer within %(seconds)s seconds.",
                    seconds=f"{self.startup_timeout:g}",
                )
            )
        )

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the server exits (True) or ``timeout`` passes (False)."""
        if self._proc is None:
            return True
        deadline = float("inf") if timeout is None else time.monotonic() + timeout
        return wait_exited(self._proc, deadline)

    def stop(self, grace: float = 10) -> None:
        """Stop the server and everything it started; remove its folder. Idempotent."""
        proc, self._proc = self._proc, None
        folder, self._folder = self._folder, None
        try:
            if proc is not None:
                if not has_exited(proc):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(proc.pid, signal.SIGTERM)
                    wait_exited(proc, time.monotonic() + grace)
                kill_group(proc)
        finally:
            if self.port is not None:
                verified_servers.discard((LOOPBACK, int(self.port)))
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)

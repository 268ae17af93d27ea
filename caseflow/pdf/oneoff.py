"""A one-off ``soffice --headless --convert-to``, and the process handling it shares with
the warm converter: its own profile and process group, killed as a group on timeout."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from caseflow.pdf.errors import (
    DOCX_IMPORT_FILTER,
    MSG_NO_OUTPUT,
    MSG_UNREADABLE,
    PDF_EXPORT_FILTER,
    PDFA_VERSION,
    TEMP_PREFIX,
    ConversionFailed,
    log,
    timeout_message,
)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP"):
        env.pop(name, None)
    return env


def has_exited(proc: subprocess.Popen) -> bool:
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


def wait_exited(proc: subprocess.Popen, deadline: float) -> bool:
    """Wait (without reaping) until ``proc`` exits or ``deadline``; True if it exited."""
    delay = 0.002
    while not has_exited(proc):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        time.sleep(min(delay, remaining))
        delay = min(delay * 2, 0.02)
    return True


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the whole process group of ``proc`` (its session leader), then reap it."""
    if proc.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def convert_oneoff(soffice: str, data: bytes, deadline: float, timeout: float) -> bytes:
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
                env=child_env(),
                start_new_session=True,
            )
        try:
            finished = wait_exited(proc, deadline)
        finally:
            kill_group(proc)  # on timeout, on Ctrl+C, and any straggler after a normal exit
        messages = output_log.read_text(errors="replace")
        if not finished:
            log.warning("soffice timed out after %ss: %s", timeout, messages[-2000:])
            raise ConversionFailed(timeout_message(timeout))
        result = outdir / "dokument.pdf"
        if not result.is_file():
            log.warning("soffice exited %s without a PDF: %s", proc.returncode, messages[-2000:])
            if "could not be loaded" in messages:
                raise ConversionFailed(MSG_UNREADABLE)
            raise ConversionFailed(MSG_NO_OUTPUT)
        return result.read_bytes()

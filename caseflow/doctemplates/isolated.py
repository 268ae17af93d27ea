"""Trying out an uploaded template in a process of its own.

An upload is rendered with the sample case before it is accepted (and again for its
preview). That render runs here, in a child Python with a memory ceiling
(``RLIMIT_AS``) and a CPU ceiling, stopped when its time is up: whatever a hostile
template makes the renderer do that the bounded sandbox (:mod:`.guard`) did not foresee,
it can cost the web worker at most ``render_seconds`` and never its memory. The child
reads the template and the context on stdin and answers with the document or with the
reason (a :class:`TemplateError`'s kind and values) on stdout; it touches no database.

Starting the child costs about half a second (measured in the README); documents made
from templates already accepted render in the worker, still in the bounded sandbox.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from caseflow.doctemplates.limits import Limits
from caseflow.doctemplates.render import TemplateError

#: Time to start Python and import the renderer, on top of the render's own time.
STARTUP_SECONDS = 10.0
_EXIT_REFUSED = 3


def render_isolated(template_bytes: bytes, context: dict, limits: Limits) -> bytes:
    """:func:`render.render_docx` in a child process; its refusals as :class:`TemplateError`."""
    request = json.dumps(
        {
            "template": base64.b64encode(template_bytes).decode("ascii"),
            "context": context,
            "limits": asdict(limits),
        }
    ).encode("utf-8")
    # The child finds caseflow where this process found it, installed or not.
    root = str(Path(__file__).resolve().parent.parent.parent)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    }
    try:
        child = subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "caseflow.doctemplates.isolated"],
            input=request,
            capture_output=True,
            timeout=limits.render_seconds + STARTUP_SECONDS,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired as exc:  # run() has killed the child
        raise TemplateError("too_slow", limit=f"{limits.render_seconds:g}") from exc
    if child.returncode == 0:
        return child.stdout
    if child.returncode == _EXIT_REFUSED:
        reason = json.loads(child.stdout)
        raise TemplateError(reason["kind"], **reason["params"])
    if child.returncode < 0 or b"MemoryError" in child.stderr:
        # Killed by its ceilings (SIGXCPU, SIGKILL) or out of memory before it could answer.
        raise TemplateError("too_large")
    raise TemplateError("failed")


def _set_ceilings(limits: Limits) -> None:
    import resource

    memory = limits.render_memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits.render_seconds) + 2
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _main() -> int:
    request = json.loads(sys.stdin.buffer.read())
    limits = Limits(**request["limits"])
    _set_ceilings(limits)
    from caseflow.doctemplates.render import render_docx

    try:
        content = render_docx(
            base64.b64decode(request["template"]), request["context"], limits=limits
        )
    except TemplateError as exc:
        params = {key: str(value) for key, value in exc.params.items()}
        sys.stdout.write(json.dumps({"kind": exc.kind, "params": params}))
        return _EXIT_REFUSED
    sys.stdout.buffer.write(content)
    return 0


if __name__ == "__main__":
    sys.exit(_main())

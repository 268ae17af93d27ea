"""The extraction child process: ``python -m caseflow.search.extract_child FD MEMORY``.

Started and killed by ``extract_runner``; talks over the socket ``FD`` (a
``multiprocessing`` connection): it receives (path, kind, extractor, limits), reads the
file, extracts it and sends an ``Extracted`` back; None or a closed socket ends it.
"""

from __future__ import annotations

import sys
from multiprocessing.connection import Connection

from caseflow.search.extract import Extracted, extract, register_extractor
from caseflow.search.models import TextStatus


def _limit_memory(limit: int) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this system: no limit
        pass


def serve(conn: Connection) -> None:
    """Extract files one at a time until told to stop."""
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if job is None:
            return
        path, kind, target, limits = job
        if target:
            register_extractor(kind, target)
        try:
            with open(path, "rb") as handle:
                data = handle.read(limits.max_bytes + 1)
            result = extract(data, kind, limits)
        except FileNotFoundError:
            result = Extracted(TextStatus.FAILED, reason="file_missing", kind=kind)
        except MemoryError:
            result = Extracted(TextStatus.FAILED, reason="out_of_memory", kind=kind)
        except Exception:
            result = Extracted(TextStatus.FAILED, reason="internal_error", kind=kind)
        try:
            conn.send(result)
        except (OSError, ValueError):
            return


def main(argv: list[str]) -> None:
    fd, memory = int(argv[1]), int(argv[2])
    if memory:
        _limit_memory(memory)
    conn = Connection(fd)
    try:
        serve(conn)
    finally:
        conn.close()


if __name__ == "__main__":
    main(sys.argv)

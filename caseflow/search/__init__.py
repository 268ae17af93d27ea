"""Search: one full-text index over cases, documents, their files' text and the mail
queue, on SQLite (FTS5) and PostgreSQL (tsvector), filtered by what the reader may see.

A higher domain: it reads cases, documents and mail; none of them imports it. Its
``init_app`` keeps the index in step through session events (``sync``), adds the
``caseflow search`` commands, and gives the case list its text search.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Listen for changes to index, add the commands, and serve the case list's search."""
    from caseflow.search import sync

    sync.register_listeners()

"""Search: one full-text index over cases, documents, their files' text and the mail
queue, on SQLite (FTS5) and PostgreSQL (tsvector), filtered by what the reader may see.

A higher domain: it reads cases, documents and mail; none of them imports it.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """The indexer and the page register themselves here."""
    # --- file text (search-extract): queue files on insert, extract them after commit ---
    from caseflow.search import jobs as extract_jobs
    from caseflow.search import worker as extract_worker

    extract_jobs.register_listeners()
    extract_worker.init_app(app)
    # --- end of file text ---

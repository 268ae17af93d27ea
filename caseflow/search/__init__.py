"""Search: one full-text index over cases, documents, their files' text and the mail
queue, on SQLite (FTS5) and PostgreSQL (tsvector), filtered by what the reader may see.

A higher domain: it reads cases, documents and mail; none of them imports it.
"""

from flask import Flask


def init_app(app: Flask) -> None:
    """Nothing yet: the indexer and the page register themselves here."""

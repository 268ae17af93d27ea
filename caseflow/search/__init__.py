"""Search: one full-text index over cases, documents, their files' text and the mail
queue, on SQLite (FTS5) and PostgreSQL (tsvector), filtered by what the reader may see.

A higher domain: it reads cases, documents and mail; none of them imports it. Its
``init_app`` keeps the index in step through session events (``sync``), adds the
``caseflow search`` commands and the search page (``views``), and gives the case list and
the mail queue their text search through the hooks those domains offer.
"""

from flask import Flask
from flask_babel import lazy_gettext as _l

#: How the audit trail names the search's events.
AUDIT_LABELS = {"search.export": _l("Search results exported")}


def init_app(app: Flask) -> None:
    """Listen for changes to index, add the commands, serve the lower domains' searches;
    queue stored files for their text and extract it outside the request."""
    from caseflow.cases.queries import register_text_search
    from caseflow.common import audit
    from caseflow.mail.queue import register_similar_titles
    from caseflow.search import jobs as extract_jobs
    from caseflow.search import sync
    from caseflow.search import worker as extract_worker
    from caseflow.search.cli import search_group
    from caseflow.search.extract_cli import status_command
    from caseflow.search.query import case_text_clause
    from caseflow.search.suggest import similar_case_titles
    from caseflow.search.views import bp

    sync.register_listeners()
    register_text_search(app, case_text_clause)
    register_similar_titles(app, similar_case_titles)
    search_group.add_command(status_command)
    app.cli.add_command(search_group)
    extract_jobs.register_listeners()
    extract_worker.init_app(app)
    app.register_blueprint(bp)
    audit.register_labels(app, AUDIT_LABELS)

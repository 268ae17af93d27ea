"""Helpers for the search tests: search as a user, and see what they found."""

from __future__ import annotations

import pytest

from caseflow.search.query import SearchQuery, search


@pytest.fixture
def find(app, make):
    """``find(viewer, text, **filters)``: the (kind, number) pairs ``viewer`` finds, as a
    set — the same set is expected on SQLite and PostgreSQL."""

    def do_find(viewer, text, **filters):
        return {(h.kind, h.number) for h in run(viewer, text, **filters).hits}

    def run(viewer, text, **filters):
        filters.setdefault("per_page", 100)
        with app.test_request_context():
            results = search(make.fresh(), viewer, SearchQuery(text=text, **filters))
            make.session.commit()  # a holder's reading of secret text is recorded
            return results

    do_find.results = run
    return do_find

"""The search results as a file: every hit of the same search the page shows, as the reader
sees it there (titles through the projection, snippets as plain text), audited."""

from __future__ import annotations

from dataclasses import replace

from flask_babel import gettext as _
from sqlmodel import Session

from caseflow.common import export
from caseflow.common.audit import record
from caseflow.documents.forms import DIRECTION_LABELS
from caseflow.search.forms import KIND_LABELS, grouped
from caseflow.search.query import MAX_PER_PAGE, SearchQuery, search


def hit_kind_label(hit) -> str:
    """What a hit is, in words: "Ärende", or "Handling, inkommande"."""
    label = str(KIND_LABELS.get(hit.kind, hit.kind))
    if hit.kind != "case" and hit.direction in DIRECTION_LABELS:
        label = f"{label}, {str(DIRECTION_LABELS[hit.direction]).lower()}"
    return label


def search_export_table(
    session: Session, viewer, query: SearchQuery, *, fmt: str, described: dict
) -> export.Table:
    """Every hit ``viewer`` finds for ``query``, in the page's order, as a table; the
    export is recorded with ``described`` (the page's query, its text as a length only).

    Raises :class:`export.ExportTooLarge` when more hits match than are counted (the page
    says "more than 1,000"): the file would silently leave some out."""
    first = search(session, viewer, replace(query, page=1, per_page=MAX_PER_PAGE))
    if first.is_capped:
        raise export.ExportTooLarge(
            _(
                "More than %(count)s hits: narrow the search and export again.",
                count=grouped(first.total),
            )
        )
    export.check_row_count(first.total)
    hits = list(first.hits)
    for page in range(2, first.pages + 1):
        hits += search(session, viewer, replace(query, page=page, per_page=MAX_PER_PAGE)).hits
    rows = [
        {
            "number": hit.number,
            "kind": hit_kind_label(hit),
            "title": hit.title,
            "date": hit.dated_on,
            "counterpart": hit.counterpart,
            "snippet": "".join(segment.text for segment in hit.snippet) or None,
        }
        for hit in hits
    ]
    record(
        session,
        "search.export",
        None,
        after=export.event_values("search", fmt, len(rows), described),
    )
    headings = {
        "number": _("Case number"),
        "kind": _("Type"),
        "title": _("Title"),
        "date": _("Date"),
        "counterpart": _("Sender or recipient"),
        "snippet": _("Excerpt"),
    }
    return export.search_results_table(rows, headings)

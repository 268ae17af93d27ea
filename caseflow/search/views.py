"""The search page: one field in the top bar, results with filters and snippets, and
their export. A number in any spelling goes straight to its case or document.

Searching is part of reading cases (``case.view``): the search finds only what its reader
may open, so it needs no right of its own. A holder's hit on a secret document's file text
is recorded as reading it by the search itself (:mod:`caseflow.search.snippets`), so the
page writes on GET.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.common import export
from caseflow.common.params import args_without_page, page_number
from caseflow.common.permissions import require
from caseflow.common.timeutil import today
from caseflow.db import get_session, writes_on_get
from caseflow.search.exports import hit_kind_label, search_export_table
from caseflow.search.forms import FILTERS, grouped, has_input, read_query, search_form
from caseflow.search.models import EntryKind
from caseflow.search.query import find_direct, search

bp = Blueprint("search", __name__, url_prefix="/search")


def hit_url(hit) -> str:
    """Where a hit leads: its case, its document or the message in the mail queue."""
    if hit.kind == EntryKind.CASE:
        return url_for("cases.show", number=hit.number)
    if hit.kind == EntryKind.DOCUMENT:
        return url_for("documents.show", doc_id=hit.target_id)
    return url_for("mail.show", mail_id=hit.target_id)


def _direct_url(direct) -> str:
    if direct.kind == EntryKind.CASE:
        return url_for("cases.show", number=direct.number)
    return url_for("documents.show", doc_id=direct.target_id)


@bp.route("/")
@require("case.view")
@writes_on_get
def index():
    session = get_session()
    form = search_form(session, current_user, request.args)
    query = read_query(form, page=page_number(request.args))
    errors = [error for field in form for error in field.errors]
    direct = find_direct(session, current_user, query.text)
    if direct is not None and not errors:
        # A case or document number: its page, not a list of one (303: a GET to follow).
        return redirect(_direct_url(direct), code=303)
    results = search(session, current_user, query) if has_input(form) else None
    filtered = any(request.args.get(name) for name in FILTERS)
    return render_template(
        "search/index.html",
        form=form,
        results=results,
        errors=errors,
        filtered=filtered,
        args=args_without_page(request.args),
        hit_url=hit_url,
        kind_label=hit_kind_label,
        grouped=grouped,
    )


@bp.route("/export.<any(csv, xlsx):fmt>")
@require("case.view")
@writes_on_get
def export_results(fmt: str):
    """Every hit of the page's search as CSV or XLSX, masked as on the page; audited."""
    session = get_session()
    form = search_form(session, current_user, request.args)
    query = read_query(form, page=1)
    described = {
        k: v for k, v in args_without_page(request.args).items() if k in ("q", "order", *FILTERS)
    }
    return export.respond(
        lambda: search_export_table(session, current_user, query, fmt=fmt, described=described),
        fmt,
        f"{_('Search results')} {today().isoformat()}",
        back=url_for("search.index", **args_without_page(request.args)),
    )

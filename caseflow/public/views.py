"""The e-diarium: anonymous pages, no login, no cookie, the language in the URL.

Views read through :mod:`caseflow.public.queries` (the public projection only) and never
touch ``flask.session`` or ``current_user``; every GET is served through the response
cache (:func:`caseflow.public.cache.public_page`).
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_file
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest

from caseflow.common import export, projection
from caseflow.common.projection import Audience
from caseflow.common.timeutil import today
from caseflow.db import get_session
from caseflow.documents.storage import file_store
from caseflow.public import queries
from caseflow.public.cache import finish, public_page
from caseflow.public.search import PublicQuery, choices, direct_case, run_search
from caseflow.public.web import public_url

bp = Blueprint("public", __name__)


class UnreadableRequest(BadRequest):
    """A public address with a value that cannot be used, said in words on the error page
    (400)."""

    def __init__(self, message):
        super().__init__()
        self.message = message


#: The postlista's columns, in JSON and CSV alike (machine-readable: not translated).
POSTLISTA_COLUMNS = (
    "number",
    "case_number",
    "case_title",
    "registered",
    "date",
    "direction",
    "title",
    "counterpart",
    "is_voided",
)


@bp.route("/diarium/")
@public_page
def search():
    """The search form, and its results when something was asked for."""
    session = get_session()
    query = PublicQuery.from_args(request.args)
    results, refs = run_search(session, query)
    case_id = direct_case(session, results) if results is not None else None
    if case_id is not None:  # a number typed: straight to its case
        ref = queries.case_refs(session, [case_id])[case_id]
        return redirect(public_url("public.case", **ref.url_values()), 303)
    return render_template(
        "public/search.html", query=query, results=results, refs=refs, **choices(session)
    )


@bp.route("/diarium/arende/<series>/<int:seq>/<int:year>")
@public_page
def case(series: str, seq: int, year: int):
    """A case's public page: its registration data and its documents'."""
    session = get_session()
    found = queries.find_case(session, series, seq, year)
    if found is None:
        abort(404)
    return render_template(
        "public/case.html",
        case=queries.public_case(found),
        ref=queries.case_ref(found),
        documents=queries.case_documents(session, found),
    )


#: The days a postlista can be asked for (outside them no register was kept, and the
#: day's bounds would not fit a timestamp).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def _day() -> date:
    """The address's day (today when none is given); one that cannot be read is said so."""
    given = request.args.get("date")
    if not given:
        return today()
    try:
        day = date.fromisoformat(given)
    except ValueError:
        raise UnreadableRequest(
            _l("The date “%(date)s” could not be read: write it as YYYY-MM-DD.", date=given[:40])
        ) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise UnreadableRequest(
            _l(
                "Choose a day between %(first)s and %(last)s.",
                first=FIRST_DAY.isoformat(),
                last=LAST_DAY.isoformat(),
            )
        )
    return day


@bp.route("/diarium/postlista")
@public_page
def postlista():
    """What was registered on a day, with links to the days before and after."""
    session = get_session()
    day = _day()
    previous, following = queries.neighbour_days(session, day)
    return render_template(
        "public/postlista.html",
        day=day,
        rows=queries.postlista(session, day),
        previous=previous,
        following=following,
    )


def _machine_rows(day: date) -> list[dict]:
    rows = queries.postlista(get_session(), day)
    return [
        {key: _plain(row[key]) for key in POSTLISTA_COLUMNS}
        | {
            "files": [
                public_url("public.file", doc_id=row["id"], file_id=f["id"]) for f in row["files"]
            ]
        }
        for row in rows
    ]


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


@bp.route("/diarium/postlista.json")
@public_page
def postlista_json():
    """The postlista of a day as JSON."""
    day = _day()
    return {"date": day.isoformat(), "documents": _machine_rows(day)}


@bp.route("/diarium/postlista.csv")
@public_page
def postlista_csv():
    """The postlista of a day as CSV (the house format: UTF-8 with BOM, ``;``)."""
    day = _day()
    rows = _machine_rows(day)
    table = export.Table(
        headings=POSTLISTA_COLUMNS,
        rows=[[_csv_value(row[key]) for key in POSTLISTA_COLUMNS] for row in rows],
    )
    response = current_app.response_class(export.to_csv(table), mimetype="text/csv")
    response.headers["Content-Disposition"] = export.content_disposition(
        f"postlista-{day.isoformat()}.csv"
    )
    return response


def _csv_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


@bp.route("/diarium/handling/<int:doc_id>/fil/<int:file_id>")
def file(doc_id: int, file_id: int):
    """A published file of a public document; anything else is not found."""
    session = get_session()
    found = queries.published_file(session, doc_id, file_id)
    if found is None:
        abort(404)
    doc, case, item = found
    response = send_file(
        file_store().path_for(item.sha256),
        mimetype=item.mime_type,
        as_attachment=True,
        download_name=projection.file_name(doc, case, item, Audience.PUBLIC),
        etag=False,
    )
    return finish(response, item.sha256[:32])

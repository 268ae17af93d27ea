"""The public notice board at /anslagstavla: anonymous, without a cookie, in the language
the URL names (``?lang=en``), printable and without JavaScript.

These views never touch the session or the logged-in user: the board is the same for
everyone, so it may be cached (``Cache-Control: public``).
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request, send_file

from caseflow.common.errors import NotFound
from caseflow.common.timeutil import today
from caseflow.db import get_session
from caseflow.documents.storage import file_store
from caseflow.noticeboard import services, text
from caseflow.noticeboard.models import NoticeFile, NoticeFileKind
from caseflow.public.cache import finish

bp = Blueprint("noticeboard", __name__, url_prefix="/anslagstavla")

HISTORY_PAGE = 50


def _cached(body: str):
    """The board's caching headers: public, revalidated by its ETag (the e-diarium's)."""
    return finish(make_response(body))


def _render(template: str, **context):
    return _cached(render_template(template, text=text, **context))


@bp.errorhandler(404)
def not_found(_error):
    """A public page of its own: the staff's error page would set a session cookie."""
    return render_template("noticeboard/not_found.html"), 404


@bp.route("/")
def index():
    session, on = get_session(), today()
    return _render("noticeboard/index.html", notices=services.current_notices(session, on), on=on)


@bp.route("/arkiv")
def history():
    # Bounded, so that no page number makes an offset the database cannot hold.
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 10_000)
    notices = services.past_notices(
        get_session(), today(), limit=HISTORY_PAGE + 1, offset=(page - 1) * HISTORY_PAGE
    )
    return _render(
        "noticeboard/history.html",
        notices=notices[:HISTORY_PAGE],
        page=page,
        has_more=len(notices) > HISTORY_PAGE,
    )


def _notice(notice_id: int):
    on = today()
    try:
        return services.public_notice(get_session(), notice_id, on), on
    except NotFound:
        abort(404)


@bp.route("/<int:notice_id>")
def show(notice_id: int):
    notice, on = _notice(notice_id)
    return _render(
        "noticeboard/show.html",
        notice=notice,
        is_current=services.is_current(notice, on),
        downloads=_downloads(notice),
    )


def _downloads(notice) -> list[NoticeFile]:
    """The files to offer: the PDF/A of a protocol where it has been made, else its .docx."""
    kinds = {f.kind for f in notice.files}
    has_pdf = NoticeFileKind.PROTOCOL_PDF in kinds
    return [f for f in notice.files if not (f.kind == NoticeFileKind.PROTOCOL and has_pdf)]


@bp.route("/<int:notice_id>/filer/<int:file_id>")
def download(notice_id: int, file_id: int):
    notice, _on = _notice(notice_id)
    found = next((f for f in notice.files if f.id == file_id), None)
    if found is None:
        abort(404)
    response = send_file(
        file_store().path_for(found.sha256),
        mimetype=found.mime_type,
        as_attachment=True,
        download_name=found.filename,
    )
    return finish(response)

"""The public side's site pages: robots.txt and the accessibility statement
(tillgänglighetsredogörelse, DOS-lagen 12 §, DIGG's föreskrifter MDFFS 2019:2)."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, render_template, request

from caseflow.public.cache import finish, public_page
from caseflow.public.views import UnreadableRequest, bp

#: Where anyone may report that a public site is not accessible (DIGG's form).
DIGG_REPORT_URL = (
    "https://www.digg.se/analys-och-uppfoljning/lagen-om-tillganglighet-till-digital-"
    "offentlig-service-dos-lagen/anmal-bristande-tillganglighet"
)
#: The statement's compliance status, as DIGG words it.
STATUSES = ("full", "partial", "none")


@bp.route("/robots.txt")
def robots():
    """What crawlers may index (``ROBOTS_POLICY``): by default the public pages only."""
    response = current_app.response_class(
        current_app.config["ROBOTS_POLICY"], mimetype="text/plain"
    )
    return finish(response)


@bp.route("/tillganglighet")
@public_page
def accessibility():
    """The accessibility statement, its facts from ``ACCESSIBILITY_STATEMENT``."""
    statement = dict(current_app.config.get("ACCESSIBILITY_STATEMENT") or {})
    status = statement.get("status") if statement.get("status") in STATUSES else "partial"
    assessed_on = statement.get("assessed_on")
    if isinstance(assessed_on, str):
        assessed_on = date.fromisoformat(assessed_on)
    return render_template(
        "public/accessibility.html",
        status=status,
        gaps=list(statement.get("gaps") or ()),
        method=statement.get("method"),
        assessed_on=assessed_on,
        updated_on=statement.get("updated_on"),
        feedback_email=statement.get("feedback_email"),
        digg_url=DIGG_REPORT_URL,
    )


@bp.route("/diarium/<path:_rest>")
def not_found(_rest: str):
    """An address under /diarium/ that names nothing: the public "not found" page (the
    staff one would set a cookie)."""
    abort(404)


def error_page(error):
    """A public page's error (not found, too many requests, a fault) in the public frame,
    without a cookie."""
    code = getattr(error, "code", 500) or 500
    message = str(error.message) if isinstance(error, UnreadableRequest) else None
    if request.path.endswith(".json"):
        body = {"error": message or code}
        return finish(current_app.make_response((body, code)))
    return finish(
        current_app.make_response(
            (render_template("public/error.html", code=code, message=message), code)
        )
    )


for _code in (400, 404, 405, 429, 500):
    bp.register_error_handler(_code, error_page)

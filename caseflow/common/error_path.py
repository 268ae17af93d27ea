"""One error path for views: a broken rule rolls back, says why and goes back.

A view calls its service and lets a :class:`CaseflowError` propagate. The handler here
rolls back what the service flushed (the request's commit would otherwise keep it, since a
redirect is a success), flashes the message and sends the browser back to the page the
form was on. A view that re-renders its form instead, so the user keeps what they typed,
calls :func:`keep_form`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, flash, g, jsonify, redirect, render_template, request, url_for

from caseflow.common.errors import CaseflowError, NotFound, PermissionDenied
from caseflow.common.redirects import safe_target

#: Where to go back to when the browser sent no usable referrer: the page of the object
#: the URL names, else the blueprint's own list, else the dashboard.
_BACK_TO = (
    ("number", "cases.show"),
    ("meeting_id", "meetings.show"),
    ("mail_id", "mail.show"),
)
_BLUEPRINT_HOME = {
    "admin_mailboxes": "admin_mailboxes.index",
    "admin_users": "admin_users.index",
    "doctemplates": "doctemplates.index",
    "meetings": "meetings.index",
}


def rollback_request() -> None:
    """Undo what this request's session flushed so far (nothing is committed yet)."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def keep_form(form, error: CaseflowError) -> None:
    """Roll back and show ``error`` with ``form``, which the view then renders again."""
    rollback_request()
    form.form_errors.append(str(error))
    flash(str(error), "error")


def back_to(url: str) -> None:
    """Name the place a refused form goes back to (e.g. the paragraph on a meeting page)."""
    g.error_back_to = url


def safe_back_url() -> str:
    """Where the view said (:func:`back_to`), else the referring page when it is on this
    host, else the page of the URL's object."""
    if g.get("error_back_to"):
        return g.error_back_to
    return safe_target(_local_referrer(), _page_of_the_url())


def _local_referrer() -> str | None:
    """The referring page's path when it is on this host (the checker has the last word)."""
    referrer = urlsplit(request.referrer or "")
    if referrer.scheme not in ("http", "https") or referrer.netloc != request.host:
        return None
    return referrer.path + (f"?{referrer.query}" if referrer.query else "")


def _page_of_the_url() -> str:
    args = request.view_args or {}
    for arg, endpoint in _BACK_TO:
        if arg in args:
            return url_for(endpoint, **{arg: args[arg]})
    return url_for(_BLUEPRINT_HOME.get(request.blueprint, "web.dashboard"))


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _status(error: CaseflowError) -> int:
    if isinstance(error, PermissionDenied):
        return 403
    return 404 if isinstance(error, NotFound) else 400


def handle_caseflow_error(error: CaseflowError):
    """Roll back; JSON gets the message with a 4xx status, a form post is redirected back
    to its page with the message flashed, a page that cannot be shown says why."""
    rollback_request()
    code = _status(error)
    if _wants_json():
        return jsonify(error=str(error)), code
    if request.method in ("GET", "HEAD"):
        # No redirect: the referrer of a page that fails could be the page itself.
        return render_template("errors/error.html", code=code, message=str(error)), code
    flash(str(error), "error")
    return redirect(safe_back_url(), 303)


def init_app(app: Flask) -> None:
    app.register_error_handler(CaseflowError, handle_caseflow_error)

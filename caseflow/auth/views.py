"""Logging in and out, one's own password, the one-time password link, and the language."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from caseflow.auth.forms import LoginForm, OwnPasswordForm, SetPasswordForm
from caseflow.auth.passwords import change_own_password, set_password_with_token, user_for_token
from caseflow.auth.services import LoginThrottled, authenticate
from caseflow.auth.sessions import SESSION_KEY, end_user_session, start_user_session
from caseflow.auth.throttle import Rules, client_key
from caseflow.common import audit
from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError
from caseflow.common.permissions import require
from caseflow.common.redirects import safe_target
from caseflow.db import get_session, keep_despite_status

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only paths on this site: never send a user on to another site after login."""
    return safe_target(target, url_for("web.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(
                get_session(),
                form.email.data,
                form.password.data,
                client=client_key(request.remote_addr),
                rules=Rules.from_config(current_app.config),
            )
        except LoginThrottled as wait:
            # Refused at once, not slept on: the worker is free for the next request.
            keep_despite_status()  # the audited refusal is kept although the answer is 429
            flash(
                ngettext(
                    "Too many failed logins. Try again in %(num)d second.",
                    "Too many failed logins. Try again in %(num)d seconds.",
                    wait.seconds,
                ),
                "error",
            )
            response = make_response(render_template("auth/login.html", form=form), 429)
            response.headers["Retry-After"] = str(wait.seconds)
            return response
        if user is None:
            flash(_("Wrong e-mail or password."), "error")
        else:
            session.clear()
            login_user(user)
            session[SESSION_KEY] = start_user_session(get_session(), user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        end_user_session(get_session(), session.get(SESSION_KEY))
        user = current_user._get_current_object()  # the object: the proxy ends with the login
        audit.record(get_session(), "user.logout", user, actor=user)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@require("account.password")
def own_password():
    form = OwnPasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(
                get_session(),
                current_user._get_current_object(),
                current=form.current.data,
                new=form.password.data,
                session_id=session.get(SESSION_KEY),
            )
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("Your password has been changed. Your other logins have ended."), "success")
            return redirect(url_for("web.dashboard"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("auth/own_password.html", form=form), status


@bp.route("/auth/set-password/<token>", methods=["GET", "POST"])
def set_password_by_link(token: str):
    """The page a one-time link opens: whoever holds the link chooses the password."""
    try:
        _row, user = user_for_token(get_session(), token)
    except CaseflowError as exc:
        return render_template("auth/link_invalid.html", message=str(exc)), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            set_password_with_token(get_session(), token, form.password.data)
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            if current_user.is_authenticated:  # someone else's login in this browser ends
                end_user_session(get_session(), session.get(SESSION_KEY))
                logout_user()
            session.clear()
            flash(_("Your password has been set. Log in with it."), "success")
            return redirect(url_for("auth.login"))
    status = 422 if form.errors or form.form_errors else 200
    response = make_response(
        render_template("auth/set_password.html", form=form, user=user), status
    )
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in this page's URL
    return response


@bp.route("/language/<code>", methods=["POST"])
def set_language(code: str):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    session["lang"] = code
    return redirect(_safe_next(request.form.get("next")))

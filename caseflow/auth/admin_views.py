"""Administration of users and their roles (admins only)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from caseflow.auth.forms import ROLE_LABELS, UserForm
from caseflow.auth.models import User
from caseflow.auth.services import create_user, set_user_enabled
from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError
from caseflow.common.forms import choices
from caseflow.common.permissions import require
from caseflow.db import get_session
from caseflow.organisation.services import unit_by_id, unit_choices

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")


@bp.route("/")
@require("user.manage")
def index():
    users = get_session().exec(select(User).order_by(User.name)).all()
    return render_template("admin/users.html", users=users, role_labels=ROLE_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@require("user.manage")
def new():
    form = UserForm()
    form.unit_id.choices = choices([(0, "—"), *unit_choices(get_session())])
    if form.validate_on_submit():
        try:
            user = create_user(
                get_session(),
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                unit=unit_by_id(get_session(), form.unit_id.data),
                password=form.password.data,
                is_enabled=form.is_enabled.data,
            )
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("User %(email)s has been added.", email=user.email), "success")
            return redirect(url_for("admin_users.index"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("admin/user_new.html", form=form), status


@bp.route("/<int:user_id>/toggle", methods=["POST"])
@require("user.manage")
def toggle(user_id: int):
    session = get_session()
    user = session.get(User, user_id)
    if user is None:
        abort(404)
    if user.id == current_user.id:
        flash(_("You cannot deactivate yourself."), "error")
    else:
        set_user_enabled(session, user, not user.is_enabled)
        flash(_("The user has been updated."), "success")
    return redirect(url_for("admin_users.index"))

"""Administration of users: their details and roles, passwords, (de)activation."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.auth.accounts import (
    USER_FILTERS,
    activate_user,
    deactivate_user,
    is_not_activated,
    list_users,
    open_work_of,
    possible_successors,
    reactivate_user,
)
from caseflow.auth.forms import (
    ROLE_LABELS,
    DeactivateForm,
    SetPasswordForm,
    UserEditForm,
    UserForm,
)
from caseflow.auth.models import User
from caseflow.auth.passwords import issue_password_link, set_password
from caseflow.auth.services import create_user, update_user
from caseflow.auth.units import unit_of
from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError
from caseflow.common.forms import choices
from caseflow.common.permissions import require
from caseflow.db import get_session
from caseflow.organisation.services import unit_by_id, unit_choices

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")


def _user_or_404(user_id: int) -> User:
    user = get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


def _link_hours() -> int:
    return current_app.config["PASSWORD_LINK_HOURS"]


@bp.route("/")
@require("user.manage")
def index():
    show = request.args.get("show", "all")
    if show not in USER_FILTERS:
        show = "all"
    users = list_users(get_session(), show)
    return render_template(
        "admin/users.html",
        users=users,
        show=show,
        role_labels=ROLE_LABELS,
        unit_of=unit_of,
        is_not_activated=is_not_activated,
    )


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


def _changed_unit(user, unit_id: int):
    """The chosen unit; a closed unit may stay with a user who has it, not be newly given."""
    if unit_id and unit_id == user.unit_id:
        return user.unit
    return unit_by_id(get_session(), unit_id)


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@require("user.manage")
def edit(user_id: int):
    user = _user_or_404(user_id)
    form = UserEditForm(obj=user)
    form.unit_id.choices = choices([(0, "—"), *unit_choices(get_session(), current=user.unit)])
    if form.unit_id.data is None:
        form.unit_id.data = 0
    if form.validate_on_submit():
        try:
            update_user(
                get_session(),
                user,
                name=form.name.data,
                email=form.email.data,
                role=form.role.data,
                unit=_changed_unit(user, form.unit_id.data),
                phone=form.phone.data,
            )
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("The user has been updated."), "success")
            return redirect(url_for("admin_users.index"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("admin/user_edit.html", form=form, user=user), status


@bp.route("/<int:user_id>/deactivate", methods=["GET", "POST"])
@require("user.manage")
def deactivate(user_id: int):
    session = get_session()
    user = _user_or_404(user_id)
    form = DeactivateForm()
    form.successor.choices = [("", _("Nobody (no open work)"))] + [
        (str(u.id), f"{u.name} ({unit_of(u)})" if unit_of(u) else u.name)
        for u in possible_successors(session, user)
    ]
    if form.validate_on_submit():
        chosen = form.successor.data or ""
        successor = session.get(User, int(chosen)) if chosen.isdigit() else None
        try:
            deactivate_user(
                session, user, successor=successor, actor=current_user._get_current_object()
            )
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("%(name)s has been deactivated.", name=user.name), "success")
            return redirect(url_for("admin_users.index"))
    status = 422 if form.errors or form.form_errors else 200
    work = open_work_of(session, user)
    return render_template("admin/user_deactivate.html", form=form, user=user, work=work), status


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
@require("user.manage")
def reactivate(user_id: int):
    user = _user_or_404(user_id)
    reactivate_user(get_session(), user)  # refused: the common error path says why
    flash(_("%(name)s can log in again.", name=user.name), "success")
    return redirect(url_for("admin_users.index"))


@bp.route("/<int:user_id>/password", methods=["GET", "POST"])
@require("user.manage")
def password(user_id: int):
    """Set a password for the user, or (for an imported officer) activate them with one."""
    user = _user_or_404(user_id)
    activating = is_not_activated(user)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            if activating:
                activate_user(get_session(), user, password=form.password.data)
            else:
                set_password(get_session(), user, form.password.data)
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("The password of %(name)s has been set.", name=user.name), "success")
            return redirect(url_for("admin_users.index"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "admin/user_password.html", form=form, user=user, activating=activating
    ), status


@bp.route("/<int:user_id>/password-link", methods=["POST"])
@require("user.manage")
def password_link(user_id: int):
    """Make a one-time link and show it once; only its hash is kept."""
    user = _user_or_404(user_id)
    if is_not_activated(user):
        token = activate_user(get_session(), user, link_hours=_link_hours())
    else:
        token = issue_password_link(get_session(), user, valid_hours=_link_hours())
    link = url_for("auth.set_password_by_link", token=token, _external=True)
    return render_template("admin/user_link.html", user=user, link=link, hours=_link_hours())

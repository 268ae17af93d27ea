"""Pages for the register of decision bodies and their members."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from caseflow.cases.models import Series
from caseflow.cases.series import active_series_choices
from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError
from caseflow.common.forms import choices
from caseflow.common.permissions import require
from caseflow.db import get_session
from caseflow.meetings import organs
from caseflow.meetings.forms import MEMBER_ROLE_LABELS, MemberAccountForm, MemberForm, OrganForm
from caseflow.meetings.member_accounts import account_of, create_member_account
from caseflow.meetings.models import Organ, OrganMember

bp = Blueprint("admin_organs", __name__, url_prefix="/admin/bodies")
#: The member form shares the body's page with the body's own form: its fields get ids of
#: their own ("member-name"), as every id on a page must be unique.
MEMBER = "member"


def _organ_form(session, organ: Organ | None = None, *, submitted: bool | None = None) -> OrganForm:
    """The body's form; with ``submitted`` False it shows the body as stored (the request
    was for the member form on the same page)."""
    submitted = request.method == "POST" if submitted is None else submitted
    form = OrganForm() if submitted else OrganForm(formdata=None, obj=organ)
    options = [("", _("— none —"))] + active_series_choices(session)
    current = session.get(Series, organ.series_id) if organ and organ.series_id else None
    if current is not None and current.code not in {code for code, _label in options}:
        options.append((current.code, current.code))
    form.series.choices = choices(options)
    if organ is not None and not submitted:
        form.series.data = current.code if current else ""
    return form


def _save_organ(session, form: OrganForm, organ: Organ | None):
    values = {
        "name": form.name.data,
        "short_name": form.short_name.data,
        "series_code": form.series.data or None,
        "chair_title": form.chair_title.data,
    }
    if organ is None:
        return organs.create_organ(session, **values)
    return organs.update_organ(session, organ, **values, is_active=form.is_active.data)


@bp.route("/", methods=["GET", "POST"])
@require("organ.manage")
def index():
    session = get_session()
    form = _organ_form(session)
    if form.validate_on_submit():
        try:
            organ = _save_organ(session, form, None)
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("%(name)s has been added. Now add its members.", name=organ.name), "success")
            return redirect(url_for("admin_organs.show", organ_id=organ.id))
    status = 422 if form.errors or form.form_errors else 200
    return (
        render_template("admin/organs.html", form=form, organs=organs.list_organs(session)),
        status,
    )


def _organ(organ_id: int) -> Organ:
    organ = get_session().get(Organ, organ_id)
    if organ is None:
        abort(404)
    return organ


@bp.route("/<int:organ_id>", methods=["GET", "POST"])
@require("organ.manage")
def show(organ_id: int):
    session = get_session()
    organ = _organ(organ_id)
    form = _organ_form(session, organ)
    if form.validate_on_submit():
        try:
            _save_organ(session, form, organ)
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("%(name)s has been saved.", name=organ.name), "success")
            return redirect(url_for("admin_organs.show", organ_id=organ.id))
    status = 422 if form.errors or form.form_errors else 200
    return _show(organ, form, MemberForm(formdata=None, prefix=MEMBER), status)


def _show(organ: Organ, form, member_form, status: int):
    session = get_session()
    return (
        render_template(
            "admin/organ.html",
            organ=organ,
            form=form,
            member_form=member_form,
            members=organs.organ_members(session, organ),
            role_labels=MEMBER_ROLE_LABELS,
        ),
        status,
    )


def _member_values(form: MemberForm) -> dict:
    return {
        "name": form.name.data,
        "role": form.role.data,
        "term_from": form.term_from.data,
        "term_to": form.term_to.data,
        "email": form.email.data,
        "affiliation": form.affiliation.data,
    }


@bp.route("/<int:organ_id>/members", methods=["POST"])
@require("organ.manage")
def add_member(organ_id: int):
    session = get_session()
    organ = _organ(organ_id)
    member_form = MemberForm(prefix=MEMBER)
    if member_form.validate_on_submit():
        try:
            member = organs.add_member(session, organ, **_member_values(member_form))
        except CaseflowError as exc:
            keep_form(member_form, exc)
        else:
            flash(_("%(name)s has been added.", name=member.name), "success")
            return redirect(url_for("admin_organs.show", organ_id=organ.id) + "#members")
    return _show(organ, _organ_form(session, organ, submitted=False), member_form, 422)


def _member(organ_id: int, member_id: int) -> OrganMember:
    member = get_session().get(OrganMember, member_id)
    if member is None or member.organ_id != organ_id:
        abort(404)
    return member


@bp.route("/<int:organ_id>/members/<int:member_id>", methods=["GET", "POST"])
@require("organ.manage")
def member(organ_id: int, member_id: int):
    session = get_session()
    organ = _organ(organ_id)
    member = _member(organ_id, member_id)
    form = MemberForm(obj=member if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            organs.update_member(session, member, **_member_values(form))
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("%(name)s has been saved.", name=member.name), "success")
            return redirect(url_for("admin_organs.show", organ_id=organ.id) + "#members")
    status = 422 if form.errors or form.form_errors else 200
    return _member_page(organ, member, form, status)


def _member_page(organ: Organ, member: OrganMember, form, status: int, account_form=None):
    if account_form is None:
        account_form = MemberAccountForm(formdata=None, prefix="account", email=member.email)
    return (
        render_template(
            "admin/member.html",
            organ=organ,
            member=member,
            form=form,
            account=account_of(get_session(), member),
            account_form=account_form,
        ),
        status,
    )


@bp.route("/<int:organ_id>/members/<int:member_id>/account", methods=["POST"])
@require("organ.manage")
def member_account(organ_id: int, member_id: int):
    """Skapa konto: the member's account, and the one-time link to choose a password."""
    session = get_session()
    organ = _organ(organ_id)
    member = _member(organ_id, member_id)
    form = MemberAccountForm(prefix="account")
    if form.validate_on_submit():
        hours = current_app.config["PASSWORD_LINK_HOURS"]
        try:
            account, token = create_member_account(
                session, member, email=form.email.data, link_hours=hours
            )
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            if token is None:
                flash(
                    _(
                        "%(name)s's account %(email)s is linked.",
                        name=member.name,
                        email=account.email,
                    ),
                    "success",
                )
                return redirect(
                    url_for("admin_organs.member", organ_id=organ.id, member_id=member.id)
                )
            link = url_for("auth.set_password_by_link", token=token, _external=True)
            return render_template(
                "admin/member_account.html",
                organ=organ,
                member=member,
                account=account,
                link=link,
                hours=hours,
            )
    return _member_page(organ, member, MemberForm(formdata=None, obj=member), 422, form)


@bp.route("/<int:organ_id>/members/<int:member_id>/remove", methods=["POST"])
@require("organ.manage")
def remove_member(organ_id: int, member_id: int):
    member = _member(organ_id, member_id)
    organs.remove_member(get_session(), member)
    flash(_("%(name)s has been removed from the register.", name=member.name), "success")
    return redirect(url_for("admin_organs.show", organ_id=organ_id) + "#members")

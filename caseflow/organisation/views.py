"""Admin pages for the organisation profile and the register of units, and the logo."""

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError
from caseflow.common.forms import choices
from caseflow.common.permissions import require
from caseflow.db import get_session
from caseflow.organisation import services
from caseflow.organisation.forms import ProfileForm, UnitForm
from caseflow.organisation.models import Unit

bp = Blueprint("organisation", __name__)


@bp.route("/organisation/logo")
def logo():
    """The logo in the page header; public, like the name it stands beside."""
    profile = services.get_profile(get_session())
    if profile.logo is None:
        abort(404)
    response = make_response(profile.logo)
    response.headers["Content-Type"] = profile.logo_type
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/admin/organisation", methods=["GET", "POST"])
@require("organisation.manage")
def profile():
    session = get_session()
    current = services.get_profile(session)
    form = ProfileForm(obj=current if request.method == "GET" else None)
    if form.validate_on_submit():
        upload = form.logo.data
        try:
            services.update_profile(
                session,
                name=form.name.data,
                org_number=form.org_number.data,
                postal_address=form.postal_address.data,
                phone=form.phone.data,
                email=form.email.data,
                web=form.web.data,
                logo=upload.read() if upload else None,
                remove_logo=form.remove_logo.data,
            )
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("The organisation profile has been saved."), "success")
            return redirect(url_for("organisation.profile"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("admin/organisation.html", form=form, profile=current), status


def _unit_form(session, unit: Unit | None = None) -> UnitForm:
    form = UnitForm()
    rows = services.unit_tree(session, active_only=True)
    options = [(row.unit.id, row.path) for row in rows if unit is None or row.unit.id != unit.id]
    # A unit inside a closed one stays there: its place is offered so that it can be renamed.
    current = session.get(Unit, unit.parent_id) if unit is not None and unit.parent_id else None
    if current is not None and not current.is_active:
        options.append((current.id, current.name))
    form.parent.choices = choices([(0, _("— none (top level) —")), *options])
    return form


def _parent(session, form: UnitForm, unit: Unit | None = None) -> Unit | None:
    """The chosen parent; a closed one only where the unit already is (no new use)."""
    keeps_place = unit is not None and form.parent.data == unit.parent_id
    return services.unit_by_id(session, form.parent.data or None, for_new_use=not keeps_place)


@bp.route("/admin/units/", methods=["GET", "POST"])
@require("unit.manage")
def units():
    session = get_session()
    form = _unit_form(session)
    if form.validate_on_submit():
        try:
            unit = services.create_unit(session, name=form.name.data, parent=_parent(session, form))
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("The unit %(name)s has been added.", name=unit.name), "success")
            return redirect(url_for("organisation.units"))
    status = 422 if form.errors or form.form_errors else 200
    rows = services.unit_tree(session)
    return render_template("admin/units.html", form=form, rows=rows), status


def _unit(unit_id: int) -> Unit:
    unit = get_session().get(Unit, unit_id)
    if unit is None:
        abort(404)
    return unit


@bp.route("/admin/units/<int:unit_id>", methods=["GET", "POST"])
@require("unit.manage")
def unit(unit_id: int):
    session = get_session()
    unit = _unit(unit_id)
    form = _unit_form(session, unit)
    if request.method == "GET":
        form.name.data = unit.name
        form.parent.data = unit.parent_id or 0
    if form.validate_on_submit():
        try:
            parent = _parent(session, form, unit)
            services.update_unit(session, unit, name=form.name.data, parent=parent)
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("The unit %(name)s has been saved.", name=unit.name), "success")
            return redirect(url_for("organisation.units"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("admin/unit.html", form=form, unit=unit), status


@bp.route("/admin/units/<int:unit_id>/active", methods=["POST"])
@require("unit.manage")
def unit_active(unit_id: int):
    unit = _unit(unit_id)
    active = request.form.get("active") == "1"
    services.set_unit_active(get_session(), unit, active)
    if active:
        flash(_("The unit %(name)s is in use again.", name=unit.name), "success")
    else:
        flash(
            _("The unit %(name)s is closed: it takes no new cases or users.", name=unit.name),
            "success",
        )
    return redirect(url_for("organisation.units"))

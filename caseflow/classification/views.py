"""Admin pages of the classification structure: the tree, adding, editing, deactivating."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from caseflow.classification import services
from caseflow.classification.forms import RETENTION_LABELS, ClassCreateForm, ClassForm
from caseflow.classification.models import ClassKind
from caseflow.common.error_path import back_to, keep_form
from caseflow.common.errors import CaseflowError, NotFound
from caseflow.common.permissions import require
from caseflow.db import get_session

bp = Blueprint("classification", __name__, url_prefix="/admin/classification")

KIND_LABELS = {
    ClassKind.AREA: _l("Area of activity (verksamhetsområde)"),
    ClassKind.GROUP: _l("Process group (processgrupp)"),
    ClassKind.PROCESS: _l("Process"),
}


def _load(class_id: int):
    try:
        return services.get_class(get_session(), class_id)
    except NotFound:
        abort(404)


@bp.route("/")
@require("classification.manage")
def index():
    session = get_session()
    rows = services.build_tree(services.all_classes(session))
    return render_template(
        "classification/index.html",
        rows=rows,
        kind_labels=KIND_LABELS,
        retention_labels=RETENTION_LABELS,
    )


@bp.route("/new", methods=["GET", "POST"])
@require("classification.manage")
def new():
    form = ClassCreateForm()
    if request.method == "GET" and request.args.get("parent"):
        form.parent_code.data = request.args["parent"]
    if form.validate_on_submit():
        try:
            cls = services.create_class(get_session(), code=form.code.data, **form.values())
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("Class %(label)s has been added.", label=cls.label), "success")
            return redirect(url_for("classification.index"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("classification/form.html", form=form, cls=None), status


@bp.route("/<int:class_id>/edit", methods=["GET", "POST"])
@require("classification.manage")
def edit(class_id: int):
    session = get_session()
    cls = _load(class_id)
    form = ClassForm(obj=cls)
    if request.method == "GET":
        parent = session.get(type(cls), cls.parent_id) if cls.parent_id else None
        form.parent_code.data = parent.code if parent else ""
        form.retention_action.data = cls.retention_action or ""
        form.retention_years.data = "" if cls.retention_years is None else str(cls.retention_years)
    if form.validate_on_submit():
        try:
            services.update_class(session, cls, **form.values())
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("Class %(label)s has been saved.", label=cls.label), "success")
            return redirect(url_for("classification.index"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("classification/form.html", form=form, cls=cls), status


@bp.route("/<int:class_id>/active", methods=["POST"])
@require("classification.manage")
def toggle_active(class_id: int):
    """Deactivate a class in use, or take it into use again."""
    cls = _load(class_id)
    back_to(url_for("classification.index"))
    services.set_class_active(get_session(), cls, not cls.is_active)
    if cls.is_active:
        flash(_("Class %(label)s is in use again.", label=cls.label), "success")
    else:
        flash(_("Class %(label)s has been deactivated.", label=cls.label), "success")
    return redirect(url_for("classification.index"))


@bp.route("/<int:class_id>/remove", methods=["POST"])
@require("classification.manage")
def remove(class_id: int):
    """Remove a class nobody uses (a class in use is refused: it can only be deactivated)."""
    cls = _load(class_id)
    label = cls.label
    back_to(url_for("classification.index"))
    services.remove_class(get_session(), cls)
    flash(_("Class %(label)s has been removed.", label=label), "success")
    return redirect(url_for("classification.index"))

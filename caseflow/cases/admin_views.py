"""Admin pages for the register of series (diarieserier)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from caseflow.cases import series as series_register
from caseflow.cases.forms import SeriesEditForm, SeriesForm
from caseflow.cases.models import Series
from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError
from caseflow.common.permissions import require
from caseflow.db import get_session

bp = Blueprint("admin_series", __name__, url_prefix="/admin/series")


@bp.route("/", methods=["GET", "POST"])
@require("series.manage")
def index():
    session = get_session()
    form = SeriesForm()
    if form.validate_on_submit():
        try:
            series = series_register.create_series(
                session,
                code=form.code.data,
                name=form.name.data,
                publish_files_from=form.publish_files_from.data,
            )
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("The series %(code)s has been added.", code=series.code), "success")
            return redirect(url_for("admin_series.index"))
    status = 422 if form.errors or form.form_errors else 200
    rows = series_register.list_series(session)
    configured = {s.code: series_register.configured_files_from(s.code) for s, _n in rows}
    return render_template("admin/series.html", form=form, rows=rows, configured=configured), status


def _series(series_id: int) -> Series:
    series = get_session().get(Series, series_id)
    if series is None:
        abort(404)
    return series


@bp.route("/<int:series_id>", methods=["GET", "POST"])
@require("series.manage")
def edit(series_id: int):
    series = _series(series_id)
    form = SeriesEditForm(obj=series if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            series_register.update_series(
                get_session(),
                series,
                name=form.name.data,
                publish_files_from=form.publish_files_from.data,
            )
        except CaseflowError as exc:
            keep_form(form, exc)
        else:
            flash(_("The series %(code)s has been saved.", code=series.code), "success")
            return redirect(url_for("admin_series.index"))
    status = 422 if form.errors or form.form_errors else 200
    configured = series_register.configured_files_from(series.code)
    return render_template(
        "admin/series_edit.html", form=form, series=series, configured=configured
    ), status


@bp.route("/<int:series_id>/active", methods=["POST"])
@require("series.manage")
def active(series_id: int):
    series = _series(series_id)
    is_active = request.form.get("active") == "1"
    series_register.set_series_active(get_session(), series, is_active)
    if is_active:
        flash(_("The series %(code)s is open for new cases again.", code=series.code), "success")
    else:
        flash(
            _("The series %(code)s is closed: its cases stay, no new ones.", code=series.code),
            "success",
        )
    return redirect(url_for("admin_series.index"))

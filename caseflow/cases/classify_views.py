"""The admin's list of unclassified cases: old codes the structure did not match."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from caseflow.cases import classes
from caseflow.cases.models import Case
from caseflow.classification.forms import grouped_processes
from caseflow.common.error_path import back_to
from caseflow.common.permissions import require
from caseflow.db import get_session

bp = Blueprint("unclassified", __name__, url_prefix="/admin/classification/unmatched")


def _class_id() -> int:
    """The class chosen in the posted form (0 when none was chosen)."""
    value = request.form.get("class_id", "")
    return int(value) if value.isdigit() else 0


@bp.route("/")
@require("classification.manage")
def index():
    session = get_session()
    codes = classes.unclassified_codes(session)
    # Case by case only for the first hundred: each row carries the whole picker.
    return render_template(
        "classification/unmatched.html",
        codes=codes,
        total=sum(count for _code, count in codes),
        cases=classes.unclassified_cases(session, limit=100),
        groups=grouped_processes(session),
    )


@bp.route("/cases/<int:case_id>", methods=["POST"])
@require("classification.manage")
def classify_case(case_id: int):
    session = get_session()
    case = session.get(Case, case_id)
    if case is None:
        abort(404)
    back_to(url_for("unclassified.index"))
    if not _class_id():
        flash(_("Choose a process for the case."), "error")
        return redirect(url_for("unclassified.index"))
    classes.classify_case(session, case, _class_id())
    flash(_("Case %(number)s has been classified.", number=case.number), "success")
    return redirect(url_for("unclassified.index"))


@bp.route("/code", methods=["POST"])
@require("classification.manage")
def classify_code():
    """Every unclassified case of one old code gets the same process."""
    back_to(url_for("unclassified.index"))
    old_code = request.form.get("old_code", "")
    if not _class_id() or not old_code:
        flash(_("Choose a process for the old code."), "error")
        return redirect(url_for("unclassified.index"))
    count = classes.classify_old_code(get_session(), old_code, _class_id())
    flash(
        _("%(count)s cases with the old code %(code)s have been classified.",
          count=count, code=old_code),
        "success",
    )  # fmt: skip
    return redirect(url_for("unclassified.index"))

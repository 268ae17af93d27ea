"""The memo page, memo generation, workflow actions and the manager's review queue."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.cases.forms import STATUS_LABELS
from caseflow.cases.models import Case
from caseflow.cases.services import get_case_by_number
from caseflow.cases.workflow import apply_transition
from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError
from caseflow.common.forms import choices
from caseflow.common.permissions import require
from caseflow.db import get_session
from caseflow.documents.services import case_documents, document_number
from caseflow.documents.storage import file_store
from caseflow.memos import services
from caseflow.memos.forms import MemoForm
from caseflow.memos.queries import review_queue_items

bp = Blueprint("memos", __name__)
LISTS = ("point", "signatory", "recipient")


def _case(number: str) -> Case:
    try:
        return get_case_by_number(get_session(), number)
    except CaseflowError:
        abort(404)


def _fill(form: MemoForm, data: services.MemoData, add: str | None) -> None:
    for name in (
        "memo_date",
        "unit",
        "officer_name",
        "officer_phone",
        "officer_email",
        "title",
        "description",
        "decision_body",
        "proposer",
    ):
        getattr(form, name).data = getattr(data, name)
    form.supports.data = data.support_ids
    points = data.points + ([""] if add == "point" or not data.points else [])
    for text in points:
        form.points.append_entry(text)
    for name, title in data.signatories + ([("", "")] if add == "signatory" else []):
        form.signatories.append_entry({"name": name, "title": title})
    for name, org, email in data.recipients + ([("", "", "")] if add == "recipient" else []):
        form.recipients.append_entry({"name": name, "organisation": org, "email": email})


def _data_from(form: MemoForm) -> services.MemoData:
    return services.MemoData(
        memo_date=form.memo_date.data,
        title=form.title.data,
        description=form.description.data or "",
        unit=form.unit.data,
        officer_name=form.officer_name.data,
        officer_phone=form.officer_phone.data,
        officer_email=form.officer_email.data,
        decision_body=form.decision_body.data,
        proposer=form.proposer.data,
        points=[p.data or "" for p in form.points],
        signatories=[
            (s.form.name.data or "", s.form.title.data)
            for s in form.signatories
            if (s.form.name.data or s.form.title.data)
        ],
        recipients=[
            (r.form.name.data, r.form.organisation.data, r.form.email.data)
            for r in form.recipients
            if (r.form.name.data or r.form.organisation.data or r.form.email.data)
        ],
        support_ids=list(form.supports.data or []),
    )


def _apply_list_action(data: services.MemoData, action: str) -> str | None:
    """remove-point-2, up-point-2, down-point-2 change the lists; add-point asks for a row."""
    verb, _, rest = action.partition("-")
    kind, _, index = rest.partition("-")
    if verb == "add" and kind in LISTS:
        return kind
    if kind not in LISTS or not index.isdigit():
        return None
    items = {"point": data.points, "signatory": data.signatories, "recipient": data.recipients}[
        kind
    ]
    i = int(index)
    if not 0 <= i < len(items):
        return None
    if verb == "remove":
        items.pop(i)
    elif verb == "up" and i > 0:
        items[i - 1], items[i] = items[i], items[i - 1]
    elif verb == "down" and i < len(items) - 1:
        items[i + 1], items[i] = items[i], items[i + 1]
    return None


@bp.route("/cases/<path:number>/memo", methods=["GET", "POST"])
@require("case.view")
def edit(number: str):
    session = get_session()
    case = _case(number)
    if not services.may_edit_memo(current_user, case):
        abort(403)
    form = MemoForm()
    form.supports.choices = choices(
        (d.id, f"{document_number(d, case)} {d.title}")
        for d in case_documents(session, case)
        if not d.is_voided
    )
    if request.method == "GET":
        form.version.data = case.version
        _fill(form, services.memo_data(session, case), request.args.get("add"))
        return render_template("memos/edit.html", form=form, case=case)
    if not form.validate_on_submit():
        return render_template("memos/edit.html", form=form, case=case), 422
    action = request.form.get("action", "save")
    data = _data_from(form)
    add = _apply_list_action(data, action)
    try:
        services.save_memo(
            session, case, data, expected_version=int(form.version.data or 0), user=current_user
        )
        # "Generate" saves what is in the form first, so no edit is left behind unsaved.
        item = (
            services.generate_memo(session, file_store(), case, user=current_user)
            if action == "generate"
            else None
        )
    except CaseflowError as exc:
        keep_form(form, exc)
        return render_template("memos/edit.html", form=form, case=case), 409
    if item is not None:
        flash(
            _(
                "The draft has been saved and the memo generated (version %(v)s).",
                v=item.file_version,
            ),
            "success",
        )
        return redirect(url_for("cases.show", number=case.number))
    flash(_("The draft has been saved."), "success")
    anchor = f"#{add}s" if add else ""
    return redirect(url_for("memos.edit", number=case.number, add=add) + anchor)


@bp.route("/cases/<path:number>/memo/generate", methods=["POST"])
@require("case.view")
def generate(number: str):
    """Generate from the saved memo (the memo form's own button saves and generates)."""
    session = get_session()
    case = _case(number)
    if not services.may_edit_memo(current_user, case):
        abort(403)
    item = services.generate_memo(session, file_store(), case, user=current_user)
    flash(_("The memo has been generated (version %(v)s).", v=item.file_version), "success")
    return redirect(url_for("cases.show", number=case.number))


@bp.route("/cases/<path:number>/transition", methods=["POST"])
@require("case.view")
def transition(number: str):
    session = get_session()
    case = _case(number)
    action = request.form.get("action", "")
    apply_transition(session, case, action, user=current_user, comment=request.form.get("comment"))
    flash(_("Done: the case is now “%(status)s”.", status=_status_label(case.status)), "success")
    return redirect(url_for("cases.show", number=case.number))


def _status_label(status: str) -> str:
    return str(STATUS_LABELS[status])


@bp.route("/review")
@require("review.queue")
def review_queue():
    """What waits for a manager's review, oldest submission first."""
    return render_template("memos/review.html", items=review_queue_items(get_session()))

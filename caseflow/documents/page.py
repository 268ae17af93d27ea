"""A document's own page: its registration data, every file version, its timeline, and the
registrar's corrections (rättelse, a new version of a file, moving a misfiled document)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.cases.models import Case
from caseflow.cases.services import get_case_by_number
from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError, ConflictError
from caseflow.common.permissions import has_right, may_view_document, require
from caseflow.common.projection import audience_for, document_number, timeline_events
from caseflow.common.secrecy import may_open_files
from caseflow.db import get_session
from caseflow.documents import corrections
from caseflow.documents.forms import DocumentCorrectForm, MoveForm, ReplaceFileForm
from caseflow.documents.models import Document, DocumentFile
from caseflow.documents.services import IncomingFile
from caseflow.documents.storage import file_store
from caseflow.documents.views import bp


def _load(doc_id: int) -> tuple[Document, Case | None]:
    session = get_session()
    doc = session.get(Document, doc_id)
    if doc is None:
        abort(404)
    case = session.get(Case, doc.case_id) if doc.case_id else None
    if not may_view_document(current_user, case):
        abort(403)
    return doc, case


def _replace_form(file_id: int, *, posted: bool = False) -> ReplaceFileForm:
    """One form per current file, its fields named after the file so labels stay unique."""
    if posted:
        return ReplaceFileForm(prefix=f"file{file_id}")
    return ReplaceFileForm(prefix=f"file{file_id}", formdata=None)


def _render(doc, case, *, replace_form=None, move_form=None, status=200):
    session = get_session()
    may_correct = has_right(current_user, "document.correct") and not doc.is_voided
    current = {f.id for f in corrections.current_files(doc)}
    replace_forms = {file_id: _replace_form(file_id) for file_id in current}
    if replace_form is not None:
        replace_forms[replace_form.file_id] = replace_form
    return (
        render_template(
            "documents/show.html",
            doc=doc,
            case=case,
            number=document_number(doc, case),
            files=sorted(doc.files, key=lambda f: (f.filename, f.file_version, f.id)),
            current=current,
            files_visible=may_open_files(doc, case, current_user),
            events=timeline_events(
                corrections.document_events(session, doc), audience_for(current_user, case)
            ),
            may_correct=may_correct,
            replace_forms=replace_forms,
            move_form=move_form or MoveForm(),
        ),
        status,
    )


@bp.route("/<int:doc_id>")
@require("case.view")
def show(doc_id: int):
    doc, case = _load(doc_id)
    return _render(doc, case)


@bp.route("/number/<path:number>")
@require("case.view")
def by_number(number: str):
    """RS/720/2021-3 → its page; the old number of a moved document → where it went."""
    try:
        doc = corrections.get_document_by_number(get_session(), number)
    except CaseflowError:
        abort(404)
    return redirect(url_for("documents.show", doc_id=doc.id))


def _opened_at(version) -> int | None:
    """The version the form was opened at (a form posted without it reads the document's
    own); a version that is no number is refused as stale."""
    if version in (None, ""):
        return None
    return int(version) if str(version).isdigit() else -1


@bp.route("/<int:doc_id>/correct", methods=["GET", "POST"])
@require("document.correct")
def correct(doc_id: int):
    doc, case = _load(doc_id)
    if doc.is_voided:
        abort(404)
    form = DocumentCorrectForm(obj=doc)
    if form.validate_on_submit():
        changes = {name: getattr(form, name).data for name in corrections.CORRECTABLE_FIELDS}
        try:
            corrections.correct_document(
                get_session(),
                doc,
                changes,
                form.reason.data,
                actor=current_user,
                expected_version=_opened_at(form.version.data),
            )
        except CaseflowError as exc:
            keep_form(form, exc)
            status = 409 if isinstance(exc, ConflictError) else 422
            return render_template("documents/correct.html", form=form, doc=doc, case=case), status
        flash(_("The correction has been saved."), "success")
        return redirect(url_for("documents.show", doc_id=doc.id))
    status = 422 if form.errors else 200
    return render_template("documents/correct.html", form=form, doc=doc, case=case), status


@bp.route("/<int:doc_id>/files/<int:file_id>/replace", methods=["POST"])
@require("document.correct")
def replace_file(doc_id: int, file_id: int):
    doc, case = _load(doc_id)
    old = get_session().get(DocumentFile, file_id)
    if old is None or old.document_id != doc.id:
        abort(404)
    form = _replace_form(old.id, posted=True)
    form.file_id = old.id
    if not form.validate_on_submit():
        return _render(doc, case, replace_form=form, status=422)
    upload = form.file.data
    try:
        corrections.replace_file(
            get_session(),
            file_store(),
            doc,
            old,
            IncomingFile(upload.filename, upload.stream, upload.mimetype or None),
            reason=form.reason.data,
            actor=current_user,
        )
    except CaseflowError as exc:
        keep_form(form, exc)
        return _render(*_load(doc_id), replace_form=form, status=422)
    flash(_("The new version has been saved; the older one is kept."), "success")
    return redirect(url_for("documents.show", doc_id=doc.id))


@bp.route("/<int:doc_id>/move", methods=["POST"])
@require("document.correct")
def move(doc_id: int):
    doc, case = _load(doc_id)
    form = MoveForm()
    if not form.validate_on_submit():
        return _render(doc, case, move_form=form, status=422)
    session = get_session()
    try:
        target = None if form.loose.data else get_case_by_number(session, form.number.data)
        corrections.move_document(session, doc, target, form.reason.data, actor=current_user)
    except CaseflowError as exc:
        keep_form(form, exc)
        return _render(*_load(doc_id), move_form=form, status=422)
    flash(
        _(
            "The document is now %(number)s; its old number points to it.",
            number=document_number(doc, target) or _("(unfiled)"),
        ),
        "success",
    )
    return redirect(url_for("documents.show", doc_id=doc.id))

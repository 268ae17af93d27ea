"""Registering documents, löpande post, file download, connecting and voiding."""

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from caseflow.cases.forms import VoidForm
from caseflow.cases.models import Case
from caseflow.cases.services import get_case_by_number
from caseflow.common import export
from caseflow.common.error_path import keep_form
from caseflow.common.errors import CaseflowError, NotFound
from caseflow.common.permissions import may_register_document, require
from caseflow.common.secrecy import file_name_for
from caseflow.common.timeutil import today
from caseflow.db import get_session, writes_on_get
from caseflow.documents import services
from caseflow.documents.forms import ConnectForm, DocumentForm
from caseflow.documents.loose import loose_documents, loose_documents_table
from caseflow.documents.models import Document, DocumentFile
from caseflow.documents.storage import file_store

bp = Blueprint("documents", __name__, url_prefix="/documents")


def _case_of(doc: Document) -> Case | None:
    return get_session().get(Case, doc.case_id) if doc.case_id else None


def _back(doc: Document, case: Case | None):
    if case is not None:
        return redirect(url_for("cases.show", number=case.number))
    return redirect(url_for("documents.loose"))


@bp.route("/new", methods=["GET", "POST"])
@require("document.register")
def new():
    """Register a document, in the case named by ``?case=`` or as löpande post."""
    session = get_session()
    case = None
    if request.args.get("case"):
        try:
            case = get_case_by_number(session, request.args["case"])
        except CaseflowError:
            abort(404)
    if not may_register_document(current_user, case):
        abort(403)
    form = DocumentForm()
    if request.method == "GET":
        form.received_on.data = today()
    if form.validate_on_submit():
        uploads = [
            services.IncomingFile(f.filename, f.stream, f.mimetype or None)
            for f in form.files.data or []
            if f and f.filename
        ]
        try:
            doc = services.register_document(
                session,
                file_store(),
                case=case,
                direction=form.direction.data,
                title=form.title.data,
                counterpart=form.counterpart.data,
                counterpart_email=form.counterpart_email.data,
                received_on=form.received_on.data,
                document_date=form.document_date.data,
                kind=form.kind.data,
                is_secret=form.is_secret.data,
                title_is_secret=form.title_is_secret.data,
                counterpart_is_secret=form.counterpart_is_secret.data,
                secrecy_provision=form.secrecy_provision.data,
                files=uploads,
            )
        except CaseflowError as exc:
            keep_form(form, exc)
            _ask_for_the_files_again(form)
            return render_template("documents/new.html", form=form, case=case), 422
        number = services.document_number(doc, case)
        flash(
            _("Document %(number)s has been registered.", number=number or _("(unfiled)")),
            "success",
        )
        return _back(doc, case)
    status = 422 if form.errors else 200
    if form.errors:
        _ask_for_the_files_again(form)
    return render_template("documents/new.html", form=form, case=case), status


def _ask_for_the_files_again(form: DocumentForm) -> None:
    """A browser never fills a file field in again: when the form comes back with the
    files it had, say at the field that they must be chosen again."""
    names = [f.filename for f in form.files.data or [] if f and f.filename]
    if names:
        form.files.errors = [
            *form.files.errors,
            _(
                "Choose the files again (%(names)s): a browser does not keep them when the "
                "form comes back.",
                names=", ".join(names),
            ),
        ]


@bp.route("/loose")
@require("registry.loose_documents")
def loose():
    docs = loose_documents(get_session())
    return render_template("documents/loose.html", documents=docs, connect_form=ConnectForm())


@bp.route("/loose/export.<any(csv, xlsx):fmt>")
@require("registry.loose_documents")
@writes_on_get
def loose_export(fmt: str):
    """Every unfiled document as CSV or XLSX; the export is audited."""
    return export.respond(
        lambda: loose_documents_table(get_session(), current_user, fmt=fmt),
        fmt,
        f"{_('Unfiled documents')} {today().isoformat()}",
        back=url_for("documents.loose"),
    )


@bp.route("/<int:doc_id>/files/<int:file_id>")
@require("case.view")
@writes_on_get
def download(doc_id: int, file_id: int):
    session = get_session()
    item = session.get(DocumentFile, file_id)
    if item is None or item.document_id != doc_id:
        abort(404)
    doc = item.document
    services.open_file_for(
        session,
        doc,
        _case_of(doc),
        current_user,
        purpose={"file": item.filename, "version": item.file_version},
    )
    return send_file(
        file_store().path_for(item.sha256),
        mimetype=item.mime_type,
        as_attachment=True,
        download_name=file_name_for(doc, _case_of(doc), item, current_user),
        max_age=0,
    )


@bp.route("/<int:doc_id>/void", methods=["POST"])
@require("document.void")
def void(doc_id: int):
    session = get_session()
    try:
        doc = services.get_document(session, doc_id)
    except NotFound:
        abort(404)
    case = _case_of(doc)
    form = VoidForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for voiding."), "error")
        return _back(doc, case)
    services.void_document(session, doc, reason=form.reason.data, case=case)
    flash(_("The document has been voided."), "success")
    return _back(doc, case)


@bp.route("/<int:doc_id>/connect", methods=["POST"])
@require("document.connect")
def connect(doc_id: int):
    session = get_session()
    try:
        doc = services.get_document(session, doc_id)
    except NotFound:
        abort(404)
    form = ConnectForm()
    if not form.validate_on_submit():
        flash(_("Give the case number."), "error")
        return redirect(url_for("documents.loose"))
    case = get_case_by_number(session, form.number.data)
    services.connect_document(session, doc, case)
    flash(
        _("The document is now %(number)s.", number=services.document_number(doc, case)), "success"
    )
    return redirect(url_for("cases.show", number=case.number))

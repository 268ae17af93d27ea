"""The registrar's and the officer's side: the list, a request's page and its decisions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.common import projection
from caseflow.common.error_path import back_to, keep_form
from caseflow.common.errors import CaseflowError, NotFound
from caseflow.common.forms import choices
from caseflow.common.permissions import (
    OFFICER_ROLES,
    may_decide_request,
    reads_every_request,
    require,
)
from caseflow.common.timeutil import today
from caseflow.db import get_session
from caseflow.disclosure import decision, delivery, payment, queries, review, services
from caseflow.disclosure.fees import released_files
from caseflow.disclosure.forms import (
    OUTCOME_LABELS,
    AddDocumentForm,
    AssignForm,
    DecideForm,
    HandedOverForm,
    LinkDocumentForm,
    NoteForm,
    PaymentForm,
)
from caseflow.disclosure.models import DocumentRequest, DocumentRequestItem, Outcome
from caseflow.documents.models import Document
from caseflow.documents.services import IncomingFile
from caseflow.documents.storage import file_store
from caseflow.mail.queue import get_mail

bp = Blueprint("disclosure", __name__, url_prefix="/begaran")


def _load(number: str) -> DocumentRequest:
    try:
        found = services.get_request(get_session(), number)
    except NotFound:
        abort(404)
    if not may_decide_request(current_user, found):
        abort(403)
    back_to(url_for(".show", number=found.number))  # where a refused form returns
    return found


def _back(found: DocumentRequest):
    return redirect(url_for(".show", number=found.number))


@bp.route("/")
@require("disclosure.handle")
def index():
    """Open requests, the nearest deadline first, overdue ones marked."""
    session = get_session()
    return render_template(
        "disclosure/index.html",
        requests=queries.open_requests(session, current_user),
        handled=queries.handled_requests(session, current_user),
        today=today(),
        users={u.id: u for u in session.exec(select(User)).all()},
    )


def _decide_form(item: DocumentRequestItem, *, posted: bool = False) -> DecideForm:
    """One form per document asked for, its fields named after the item so that the ids
    on the page stay unique. "Not held" is an answer only for the requester's own words."""
    if posted:
        form = DecideForm(prefix=f"item{item.id}")
    else:
        form = DecideForm(prefix=f"item{item.id}", formdata=None)
    if item.document_id is not None:
        form.outcome.choices = [c for c in form.outcome.choices if c.value != Outcome.NOT_HELD]
    return form


def _link_form(item_id: int, *, posted: bool = False) -> LinkDocumentForm:
    if posted:
        return LinkDocumentForm(prefix=f"link{item_id}")
    return LinkDocumentForm(prefix=f"link{item_id}", formdata=None)


def _assign_form(officers, found: DocumentRequest, *, posted: bool = False) -> AssignForm:
    if posted:
        form = AssignForm()
    else:
        form = AssignForm(formdata=None, officer_id=str(found.assigned_to_id or ""))
    form.officer_id.choices = choices(
        [("", _("Registrar")), *((str(o.id), o.name) for o in officers)]
    )
    return form


def _officers():
    return (
        get_session()
        .exec(select(User).where(User.is_enabled, User.role.in_(OFFICER_ROLES)).order_by(User.name))
        .all()
    )


def _render(found: DocumentRequest, *, refused=None, status: int = 200):
    """The request's page; a ``refused`` form is shown again with its errors at its fields
    (and what was typed), every other form as it stands."""
    session = get_session()
    rows = []
    for item in found.items:
        doc = session.get(Document, item.document_id) if item.document_id else None
        case = session.get(Case, doc.case_id) if doc is not None and doc.case_id else None
        rows.append(
            {
                "item": item,
                "doc": doc,
                "case": case,
                "number": projection.document_number(doc, case) if doc else None,
                "redacted": session.get(Document, item.redacted_document_id)
                if item.redacted_document_id
                else None,
                "secrecy": review.secrecy_marking(doc),
            }
        )
    officers = _officers()
    forms = {
        "decide": {row["item"].id: _decide_form(row["item"]) for row in rows},
        "link": {row["item"].id: _link_form(row["item"].id) for row in rows if not row["doc"]},
        "add": AddDocumentForm(formdata=None),
        "handed_over": HandedOverForm(formdata=None, how=found.delivery),
        "assign": _assign_form(officers, found),
        "note": NoteForm(formdata=None, note=found.internal_note),
        "payment": PaymentForm(formdata=None, paid_on=found.fee_paid_on or today()),
    }
    if isinstance(refused, DecideForm):
        forms["decide"][refused.item_id] = refused
    elif isinstance(refused, LinkDocumentForm):
        forms["link"][refused.item_id] = refused
    elif refused is not None:
        forms[refused.slot] = refused
    return (
        render_template(
            "disclosure/show.html",
            found=found,
            rows=rows,
            case=session.get(Case, found.case_id) if found.case_id else None,
            assignee=session.get(User, found.assigned_to_id) if found.assigned_to_id else None,
            failure=delivery.FAILURES.get(found.delivery_error) if found.delivery_error else None,
            files=released_files(session, file_store(), found) if found.decided_at else [],
            today=today(),
            may_reassign=reads_every_request(current_user),
            events=queries.events_of(session, found),
            forms=forms,
        ),
        status,
    )


def _refused(number: str, form, slot: str | None = None, error: CaseflowError | None = None):
    """The page again, with the form that was refused: a broken rule is rolled back and
    said at the form; a field the form itself refused is said at the field."""
    if error is not None:
        keep_form(form, error)
    form.slot = slot
    return _render(_load(number), refused=form, status=422)


@bp.route("/<number>")
@require("disclosure.handle")
def show(number: str):
    return _render(_load(number))


def _load_item(found: DocumentRequest, item_id: int) -> DocumentRequestItem:
    """An item of this request (404 for any other)."""
    item = get_session().get(DocumentRequestItem, item_id)
    if item is None or item.request_id != found.id:
        abort(404)
    return item


@bp.route("/<number>/items/<int:item_id>", methods=["POST"])
@require("disclosure.handle")
def decide(number: str, item_id: int):
    session = get_session()
    found = _load(number)
    item = _load_item(found, item_id)
    form = _decide_form(item, posted=True)
    form.item_id = item.id
    if not form.validate_on_submit():
        return _refused(number, form)
    upload = form.redacted.data
    redacted = None
    if upload is not None and upload.filename:
        redacted = IncomingFile(upload.filename, upload.read(), upload.mimetype)
    try:
        review.decide_item(
            session,
            file_store(),
            item,
            outcome=form.outcome.data,
            user=current_user,
            provision=form.provision.data,
            redacted=redacted,
            page_count=form.pages,
            secrecy_reviewed=bool(form.secrecy_reviewed.data),
        )
    except CaseflowError as exc:
        return _refused(number, form, error=exc)
    flash(_("The decision has been recorded."), "success")
    return _back(found)


@bp.route("/<number>/assign", methods=["POST"])
@require("disclosure.handle")
def assign(number: str):
    session = get_session()
    found = _load(number)
    if not reads_every_request(current_user):
        abort(403)
    form = _assign_form(_officers(), found, posted=True)
    if not form.validate_on_submit():
        return _refused(number, form, "assign")
    chosen = form.officer_id.data
    services.assign(
        session, found, session.get(User, int(chosen)) if chosen else None, user=current_user
    )
    flash(_("The request has been assigned."), "success")
    return _back(found)


def _form_action(number: str, form_class, slot: str, act, done: str):
    """A staff form on the request's page: validated, then ``act(found, form)`` (a
    service); a field or a rule that refuses it shows the page again with the form."""
    found = _load(number)
    form = form_class()
    if not form.validate_on_submit():
        return _refused(number, form, slot)
    try:
        act(found, form)
    except CaseflowError as exc:
        return _refused(number, form, slot, exc)
    flash(done, "success")
    return _back(found)


@bp.route("/<number>/note", methods=["POST"])
@require("disclosure.handle")
def note(number: str):
    return _form_action(
        number,
        NoteForm,
        "note",
        lambda found, form: services.save_note(
            get_session(), found, form.note.data or "", user=current_user
        ),
        _("The note has been saved."),
    )


@bp.route("/<number>/documents", methods=["POST"])
@require("disclosure.handle")
def add_document(number: str):
    return _form_action(
        number,
        AddDocumentForm,
        "add",
        lambda found, form: services.add_document(
            get_session(), found, form.document.data, user=current_user
        ),
        _("The document has been added to the request."),
    )


@bp.route("/<number>/items/<int:item_id>/document", methods=["POST"])
@require("disclosure.handle")
def link_document(number: str, item_id: int):
    """Link an item in the requester's own words to the registered document it means."""
    session = get_session()
    found = _load(number)
    item = _load_item(found, item_id)
    form = _link_form(item.id, posted=True)
    form.item_id = item.id
    if not form.validate_on_submit():
        return _refused(number, form)
    try:
        services.link_document(session, item, form.document.data, user=current_user)
    except CaseflowError as exc:
        return _refused(number, form, error=exc)
    flash(_("The item has been linked to the document."), "success")
    return _back(found)


@bp.route("/<number>/send", methods=["POST"])
@require("disclosure.handle")
def send(number: str):
    found = _load(number)
    delivery.send_by_email(get_session(), found, user=current_user)
    # Sent after the commit; the request's page then tells what became of it.
    return _back(found)


@bp.route("/<number>/handed-over", methods=["POST"])
@require("disclosure.handle")
def handed_over(number: str):
    return _form_action(
        number,
        HandedOverForm,
        "handed_over",
        lambda found, form: delivery.mark_handed_over(
            get_session(), found, how=form.how.data, user=current_user
        ),
        _("The delivery has been recorded."),
    )


@bp.route("/<number>/paid", methods=["POST"])
@require("disclosure.handle")
def paid(number: str):
    """Record the day the fee was paid."""
    return _form_action(
        number,
        PaymentForm,
        "payment",
        lambda found, form: payment.record_payment(
            get_session(), found, form.paid_on.data, user=current_user
        ),
        _("The payment has been recorded."),
    )


@bp.route("/<number>/letter")
@require("disclosure.handle")
def letter(number: str):
    """A printable letter with the decision, for delivery by post."""
    session = get_session()
    found = _load(number)
    return render_template(
        "disclosure/letter.html",
        found=found,
        rows=delivery.released_list(session, found),
        today=today(),
    )


@bp.route("/<number>/written-decision", methods=["POST"])
@require("disclosure.handle")
def written_decision(number: str):
    found = _load(number)
    decision.make_written_decision(get_session(), file_store(), found)
    flash(_("The written decision has been made and registered."), "success")
    return _back(found)


@bp.route("/<number>/close", methods=["POST"])
@require("disclosure.handle")
def close(number: str):
    found = _load(number)
    services.close_request(get_session(), found, user=current_user)
    flash(_("The request has been closed."), "success")
    return _back(found)


@bp.route("/from-mail/<int:mail_id>", methods=["POST"])
@require("mail.queue")
def from_mail(mail_id: int):
    """Turn a mail in the registrar's queue into a request for documents."""
    session = get_session()
    try:
        mail = get_mail(session, mail_id)
    except NotFound:
        abort(404)
    found, token = services.request_from_mail(session, mail, user=current_user)
    link = url_for("disclosure_public.status", token=token, _external=True)
    delivery.send_receipt(session, found, link)
    flash(_("Request %(number)s has been registered.", number=found.number), "success")
    return redirect(url_for(".show", number=found.number))


def outcome_labels() -> dict:
    return {code: str(label) for code, label in OUTCOME_LABELS.items()}

"""The registrar's and the officer's side: the list, a request's page and its decisions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.common import projection
from caseflow.common.error_path import back_to
from caseflow.common.errors import NotFound, ValidationError
from caseflow.common.permissions import (
    OFFICER_ROLES,
    may_decide_request,
    reads_every_request,
    require,
)
from caseflow.common.timeutil import today
from caseflow.db import get_session
from caseflow.disclosure import decision, delivery, queries, services
from caseflow.disclosure.fees import released_files
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
        today=today(),
        users={u.id: u for u in session.exec(select(User)).all()},
    )


@bp.route("/<number>")
@require("disclosure.handle")
def show(number: str):
    session = get_session()
    found = _load(number)
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
            }
        )
    officers = session.exec(
        select(User).where(User.is_enabled, User.role.in_(OFFICER_ROLES)).order_by(User.name)
    ).all()
    return render_template(
        "disclosure/show.html",
        found=found,
        rows=rows,
        case=session.get(Case, found.case_id) if found.case_id else None,
        assignee=session.get(User, found.assigned_to_id) if found.assigned_to_id else None,
        officers=officers,
        failure=delivery.FAILURES.get(found.delivery_error) if found.delivery_error else None,
        files=released_files(session, file_store(), found) if found.decided_at else [],
        today=today(),
        may_reassign=reads_every_request(current_user),
        events=queries.events_of(session, found),
    )


@bp.route("/<number>/items/<int:item_id>", methods=["POST"])
@require("disclosure.handle")
def decide(number: str, item_id: int):
    session = get_session()
    found = _load(number)
    item = session.get(DocumentRequestItem, item_id)
    if item is None or item.request_id != found.id:
        abort(404)
    upload = request.files.get("redacted")
    redacted = None
    if upload is not None and upload.filename:
        redacted = IncomingFile(upload.filename, upload.read(), upload.mimetype)
    pages = (request.form.get("page_count") or "").strip()
    if pages and not pages.isdigit():
        raise ValidationError(_("Give the number of pages as a whole number above zero."))
    services.decide_item(
        session,
        file_store(),
        item,
        outcome=request.form.get("outcome", ""),
        user=current_user,
        provision=request.form.get("provision"),
        redacted=redacted,
        page_count=int(pages) if pages else None,
    )
    flash(_("The decision has been recorded."), "success")
    return _back(found)


@bp.route("/<number>/assign", methods=["POST"])
@require("disclosure.handle")
def assign(number: str):
    session = get_session()
    found = _load(number)
    if not reads_every_request(current_user):
        abort(403)
    chosen = request.form.get("officer_id", "")
    officer = session.get(User, int(chosen)) if chosen.isdigit() else None
    if chosen and (officer is None or officer.role not in OFFICER_ROLES):
        raise ValidationError(_("Choose an officer."))
    services.assign(session, found, officer, user=current_user)
    flash(_("The request has been assigned."), "success")
    return _back(found)


@bp.route("/<number>/note", methods=["POST"])
@require("disclosure.handle")
def note(number: str):
    found = _load(number)
    services.save_note(get_session(), found, request.form.get("note", ""), user=current_user)
    flash(_("The note has been saved."), "success")
    return _back(found)


@bp.route("/<number>/documents", methods=["POST"])
@require("disclosure.handle")
def add_document(number: str):
    found = _load(number)
    services.add_document(get_session(), found, request.form.get("document", ""), user=current_user)
    flash(_("The document has been added to the request."), "success")
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
    found = _load(number)
    delivery.mark_handed_over(
        get_session(), found, how=request.form.get("how", ""), user=current_user
    )
    flash(_("The delivery has been recorded."), "success")
    return _back(found)


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
    return {
        Outcome.RELEASED: _("Release in full"),
        Outcome.REDACTED: _("Release with redactions"),
        Outcome.REFUSED: _("Refuse"),
    }

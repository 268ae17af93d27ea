"""The requester's side, anonymous: the form, the receipt and the private status page.

No login, no session and no cookie: the form is protected by a signed form token
(:mod:`.tokens`) instead of Flask-WTF's session token, and a refused form is shown again
with its message on the page (a flash would need the session).
"""

from __future__ import annotations

import io

import sqlalchemy as sa
from flask import Blueprint, abort, g, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.common import projection
from caseflow.common.errors import CaseflowError, NotFound
from caseflow.db import get_session
from caseflow.disclosure import decision, services, tokens
from caseflow.disclosure.delivery import failure_for_requester, released_list
from caseflow.disclosure.forms import DELIVERY_LABELS
from caseflow.documents.models import Document
from caseflow.documents.storage import file_store
from caseflow.extensions import csrf
from caseflow.public.web import public_url

bp = Blueprint("disclosure_public", __name__, url_prefix="/diarium/begaran")

TOKEN_PROBLEMS = {
    "missing": _l("The form was not sent from our page. Please fill it in again."),
    "expired": _l("The form was open too long. Please send it again."),
    "forged": _l("The form was not sent from our page. Please fill it in again."),
}


@bp.before_request
def _acting_as_the_public():
    """The audit trail names what an anonymous requester did "public" (no account acts):
    the label audit.record writes when no user is logged in."""
    g.cli_label = "public"


@bp.after_request
def _private(response):
    """What these pages show is the requester's own: never kept by a shared cache."""
    response.headers["Cache-Control"] = "no-store, private"
    return response


@bp.errorhandler(400)
@bp.errorhandler(404)
def _public_error(error):
    """A public error page: the staff one would start a session (its language form)."""
    return render_template("disclosure/public_error.html", code=error.code), error.code


def _asked_for(session, case_number: str | None, document_id: str | None):
    """The case and the document the link names, as the public may see them."""
    case = doc = None
    if case_number:
        case = session.exec(select(Case).where(Case.number == case_number.strip())).first()
        if case is not None and case.is_voided:
            case = None
    if document_id and document_id.isdigit():
        doc = session.get(Document, int(document_id))
        if doc is None or doc.is_voided or doc.case_id is None:
            doc = None
        elif case is None:
            case = session.get(Case, doc.case_id)
        elif doc.case_id != case.id:
            doc = None
    return case, doc


def _form_page(case, doc, *, values=None, error=None, status=200):
    values = values or {}
    return (
        render_template(
            "disclosure/public_form.html",
            case=case,
            doc=doc,
            case_title=projection.case_title(case, projection.Audience.PUBLIC) if case else None,
            doc_number=projection.document_number(doc, case) if doc else None,
            doc_title=projection.document_title(doc, projection.Audience.PUBLIC) if doc else None,
            deliveries=DELIVERY_LABELS,
            values=values,
            error=error,
            form_token=tokens.new_form_token(),
            honeypot=tokens.HONEYPOT,
        ),
        status,
    )


@bp.route("/ny", methods=["GET", "POST"])
@csrf.exempt  # the signed form token protects it instead: there is no session
def new():
    """The request form, from a case's or a document's public page."""
    session = get_session()
    case, doc = _asked_for(session, request.args.get("case"), request.args.get("document"))
    if request.method == "GET":
        return _form_page(case, doc)
    form = request.form
    problem = tokens.form_token_problem(form.get("form_token"))
    if problem:
        return _form_page(case, doc, values=form, error=TOKEN_PROBLEMS[problem], status=400)
    if form.get(tokens.HONEYPOT):
        return _form_page(case, doc, values=form, error=TOKEN_PROBLEMS["forged"], status=400)
    # One form, one request: the same form sent again (back, then send) makes no second
    # one. The form's token is new at every rendering and the page is never cached, so
    # whoever holds it sent the first: its number may be said, never its private link.
    nonce = tokens.form_nonce(form.get("form_token"))
    already = services.request_of_form(session, nonce)
    if already is not None:
        return _already_received(already)
    wanted = []
    if doc is not None and form.get("include_document", "1") == "1":
        wanted.append(services.WantedItem(document_id=doc.id))
    if (form.get("wanted") or "").strip():
        wanted.append(services.WantedItem(wanted=form.get("wanted")))
    try:
        found, token = services.receive_request(
            session,
            case=case,
            items=wanted,
            delivery=form.get("delivery", ""),
            requester_name=form.get("name"),
            email=form.get("email"),
            postal_address=form.get("postal_address"),
            form_nonce=nonce,
        )
    except CaseflowError as exc:
        session.rollback()
        return _form_page(case, doc, values=form, error=str(exc), status=400)
    except sa.exc.IntegrityError:
        # The same form sent twice at once: the other submission made the request.
        session.rollback()
        already = services.request_of_form(session, nonce)
        if already is None:
            raise
        return _already_received(already)
    return render_template(
        "disclosure/public_receipt.html",
        found=found,
        link=public_url("disclosure_public.status", token=token, _external=True),
    )


def _already_received(found):
    return render_template("disclosure/public_already.html", found=found)


@bp.route("/<token>")
def status(token: str):
    """The requester's private page: status, deadline and the decision in words."""
    session = get_session()
    try:
        found = services.find_by_token(session, token)
    except NotFound:
        abort(404)
    return render_template(
        "disclosure/public_status.html",
        found=found,
        rows=released_list(session, found),
        not_sent=bool(found.delivery_error),
        failure=failure_for_requester(found.delivery_error),
        token=token,
        form_token=tokens.new_form_token(),
    )


@bp.route("/<token>/beslut", methods=["POST"])
@csrf.exempt  # the signed form token protects it instead: there is no session
def ask_decision(token: str):
    """The refused requester asks for a written, appealable decision."""
    session = get_session()
    try:
        found = services.find_by_token(session, token)
    except NotFound:
        abort(404)
    if tokens.form_token_problem(request.form.get("form_token")):
        abort(400)
    try:
        decision.make_written_decision(session, file_store(), found)
    except CaseflowError:
        session.rollback()
        abort(400)
    return redirect(public_url("disclosure_public.status", token=token), code=303)


@bp.route("/<token>/beslut.docx")
def written_decision(token: str):
    """The written decision, for the requester to download."""
    from flask import send_file

    from caseflow.documents.models import DocumentFile

    session = get_session()
    try:
        found = services.find_by_token(session, token)
    except NotFound:
        abort(404)
    if found.written_decision_id is None:
        abort(404)
    doc = session.get(Document, found.written_decision_id)
    f = session.get(DocumentFile, doc.files[0].id)
    with file_store().open(f.sha256) as handle:
        content = io.BytesIO(handle.read())
    return send_file(
        content,
        mimetype=f.mime_type,
        as_attachment=True,
        download_name=f.filename,
    )

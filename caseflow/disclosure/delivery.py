"""Handing over what a request released: by e-mail, as a printed letter, or in person.

An e-mail is sent only after the commit that records the attempt, and the request counts
as delivered only once the mail server has accepted the message; a failure is recorded
with its reason (a mailer code) and told in words on the staff and the private page.
"""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import formatdate

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.cases.models import Case
from caseflow.common import audit, projection
from caseflow.common.errors import PermissionDenied, ValidationError
from caseflow.common.mailer import MailNotSent, default_sender, new_message_id, render_body, send
from caseflow.common.permissions import may_decide_request
from caseflow.common.timeutil import now
from caseflow.db import after_commit, get_engine, new_session
from caseflow.disclosure.fees import fee_for_delivery, released_files
from caseflow.disclosure.models import Delivery, DocumentRequest, Outcome, RequestStatus
from caseflow.disclosure.payment import check_paid_before_delivery
from caseflow.documents.models import Document
from caseflow.documents.storage import FileStore, file_store
from caseflow.organisation.services import profile_snapshot

log = logging.getLogger("caseflow.disclosure")

#: What each reason a delivery failed means, for staff and requester alike.
FAILURES = {
    "unreachable": _l("The mail server could not be reached or did not take the message."),
    "refused": _l("The mail server refused the requester's address."),
    "login": _l("The mail server did not accept caseflow's login."),
    "outbox": _l("No mail server is set up: the message was only written to the outbox."),
    "unknown": _l("The message could not be put together."),
}

#: The reasons a requester is told: their own address. Any other reason is the
#: authority's set-up, which the staff page tells in full.
REQUESTER_FAILURES = ("refused",)


def failure_for_requester(code: str | None) -> str | None:
    """Why a delivery failed, as the requester may read it: the reason when it is their
    address, else None (the page then says only that the documents were not sent yet)."""
    return str(FAILURES[code]) if code in REQUESTER_FAILURES else None


def released_list(session: Session, request: DocumentRequest) -> list[dict]:
    """What the requester gets to know about each document: its number, its title as the
    public may read it, and the outcome with any provision."""
    rows = []
    for item in request.items:
        doc = session.get(Document, item.document_id) if item.document_id else None
        case = session.get(Case, doc.case_id) if doc is not None and doc.case_id else None
        rows.append(
            {
                "number": projection.document_number(doc, case) if doc else None,
                "title": projection.document_title(doc, projection.Audience.PUBLIC)
                if doc
                else item.wanted,
                "outcome": item.outcome,
                "provision": item.provision,
            }
        )
    return rows


def _ready(request: DocumentRequest, user, how: str | None = None) -> None:
    if not may_decide_request(user, request):
        raise PermissionDenied(_l("You may not handle this request."))
    if request.status != RequestStatus.DECIDED:
        raise ValidationError(_l("Only a decided request can be delivered."))
    check_paid_before_delivery(request, how)


def send_by_email(session: Session, request: DocumentRequest, *, user) -> None:
    """Record the attempt and send the released files once the request has committed."""
    _ready(request, user)
    if request.delivery != Delivery.EMAIL or not request.email:
        raise ValidationError(_l("The requester did not ask for e-mail."))
    request.delivery_attempted_at, request.delivery_error = now(), None
    session.flush()
    audit.record(session, "disclosure.send", request, after={"number": request.number})
    request_id = request.id
    after_commit(lambda: deliver_email(request_id), session=session)


def build_message(session: Session, store: FileStore, request: DocumentRequest) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = default_sender()
    message["To"] = request.email
    message["Message-ID"] = new_message_id()
    message["Date"] = formatdate(localtime=True)
    with force_locale(config["BABEL_DEFAULT_LOCALE"]):
        message["Subject"] = str(_l("Requested documents, %(number)s", number=request.number))
    message.set_content(
        render_body(
            "disclosure_delivery.txt",
            request=request,
            rows=released_list(session, request),
            # The profile the admin saved signs the mail (the setting until one is saved).
            organisation=profile_snapshot(session).name,
        )
    )
    for f, _pages in released_files(session, store, request):
        doc = session.get(Document, f.document_id)
        case = session.get(Case, doc.case_id) if doc.case_id else None
        maintype, _slash, subtype = f.mime_type.partition("/")
        with store.open(f.sha256) as handle:
            message.add_attachment(
                handle.read(),
                maintype=maintype or "application",
                subtype=subtype or "octet-stream",
                filename=projection.file_name(doc, case, f, projection.EMAIL),
            )
    return message


def deliver_email(request_id: int) -> str:
    """Send one request's documents and record what became of it; returns its status.

    Needs an application context. The outcome is recorded in a transaction of its own:
    delivered only when the mail server accepted the message.
    """
    session = new_session(get_engine(), write=True)
    try:
        request = session.get(DocumentRequest, request_id)
        try:
            message = build_message(session, file_store(), request)
            session.commit()  # SQLite: never hold the write lock while talking to a server
            sent = send(message)
            code = "outbox" if sent.via == "outbox" else None
            if sent.refused:
                code = "refused"
        except MailNotSent as exc:
            code = exc.code if exc.code in FAILURES else "unreachable"
        except Exception:  # a file missing from the store, a broken attachment …
            log.exception("request %s could not be mailed", request_id)
            session.rollback()
            code = "unknown"
        request = session.get(DocumentRequest, request_id, populate_existing=True)
        if code is None:
            request.status, request.delivered_at, request.delivery_error = (
                RequestStatus.DELIVERED,
                now(),
                None,
            )
        else:
            request.delivery_error = code
        audit.record(
            session,
            "disclosure.delivered" if code is None else "disclosure.not_delivered",
            request,
            after={"number": request.number, "via": "email", "error": code},
        )
        session.commit()
        return request.status
    finally:
        session.close()


def mark_handed_over(session: Session, request: DocumentRequest, *, how: str, user) -> None:
    """Record a delivery by letter (posted) or in person (picked up, looked at on site).

    The fee follows how the documents were handed over (nothing on site, the copies' fee
    otherwise) until its payment is recorded; a refusal below rolls the change back."""
    if how not in (Delivery.POST, Delivery.PICKUP, Delivery.ON_SITE, Delivery.EMAIL):
        raise ValidationError(_l("Say how the documents were handed over."))
    if request.fee_paid_on is None and request.pages is not None:
        request.fee = fee_for_delivery(request.pages, how)
    _ready(request, user, how)
    request.status, request.delivered_at, request.delivery_error = (
        RequestStatus.DELIVERED,
        now(),
        None,
    )
    session.flush()
    audit.record(
        session,
        "disclosure.delivered",
        request,
        after={"number": request.number, "via": how, "fee": request.fee},
    )


def any_released(request: DocumentRequest) -> bool:
    return any(i.outcome in (Outcome.RELEASED, Outcome.REDACTED) for i in request.items)


def send_receipt(session: Session, request: DocumentRequest, link: str) -> None:
    """Once the request has committed, tell a requester who wrote by e-mail its number,
    deadline and private link (the web form shows them on its receipt page)."""
    if not request.email:
        return
    request_id = request.id
    after_commit(lambda: mail_receipt(request_id, link), session=session)


def mail_receipt(request_id: int, link: str) -> bool:
    """Send the receipt and record in the audit trail whether the server took it."""
    session = new_session(get_engine(), write=True)
    try:
        request = session.get(DocumentRequest, request_id)
        config = current_app.config
        message = EmailMessage()
        message["From"] = default_sender()
        message["To"] = request.email
        message["Message-ID"] = new_message_id()
        message["Date"] = formatdate(localtime=True)
        with force_locale(config["BABEL_DEFAULT_LOCALE"]):
            message["Subject"] = str(
                _l("Your request for documents, %(number)s", number=request.number)
            )
        message.set_content(
            render_body(
                "disclosure_receipt.txt",
                request=request,
                link=link,
                organisation=profile_snapshot(session).name,
            )
        )
        session.commit()
        try:
            sent = send(message)
            code = "outbox" if sent.via == "outbox" else ("refused" if sent.refused else None)
        except MailNotSent as exc:
            code = exc.code if exc.code in FAILURES else "unreachable"
        audit.record(
            session,
            "disclosure.receipt_sent" if code is None else "disclosure.receipt_not_sent",
            request,
            after={"number": request.number, "error": code},
        )
        session.commit()
        return code is None
    finally:
        session.close()

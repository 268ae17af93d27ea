"""Receiving a request for public documents, its number, deadline and reviewer, the
documents it names, and closing it (the officer's decision on each document is in
:mod:`caseflow.disclosure.review`).

A request is handled *skyndsamt* (TF 2 kap. 15–16 §§): the deadline is the same or the
next working day by default (``DISCLOSURE_DEADLINE_WORKING_DAYS``). The secrecy review
falls to the officer of the case the documents belong to, else to the registrars.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.common import audit
from caseflow.common.calendar import add_working_days
from caseflow.common.counters import next_number
from caseflow.common.crypto import token_digest
from caseflow.common.errors import NotFound, PermissionDenied, ValidationError
from caseflow.common.permissions import may_decide_request, reads_every_request
from caseflow.common.timeutil import LOCAL_TZ, now
from caseflow.disclosure.models import (
    Delivery,
    DocumentRequest,
    DocumentRequestCounter,
    DocumentRequestItem,
    RequestStatus,
)
from caseflow.documents.models import Document


@dataclass
class WantedItem:
    """One thing a requester asks for: a registered document, or their own words."""

    document_id: int | None = None
    wanted: str | None = None


def due_date(received_on: date, working_days: int | None = None) -> date:
    """The last day of "skyndsamt": ``working_days`` working days after ``received_on``
    (0: the same day, or the next working day when it came on a day off)."""
    if working_days is None:
        working_days = int(current_app.config["DISCLOSURE_DEADLINE_WORKING_DAYS"])
    return add_working_days(received_on, working_days)


def find_by_token(session: Session, token: str) -> DocumentRequest:
    """The request a private link names; NotFound for any other text."""
    found = session.exec(
        select(DocumentRequest).where(DocumentRequest.token_hash == token_digest(token or ""))
    ).first()
    if found is None:
        raise NotFound(_l("There is no request at this address."))
    return found


def request_of_form(session: Session, form_nonce: str | None) -> DocumentRequest | None:
    """The request a rendering of the public form already made, if any."""
    if not form_nonce:
        return None
    return session.exec(
        select(DocumentRequest).where(DocumentRequest.form_nonce == form_nonce)
    ).first()


def get_request(session: Session, number: str) -> DocumentRequest:
    found = session.exec(select(DocumentRequest).where(DocumentRequest.number == number)).first()
    if found is None:
        raise NotFound(_l("Request %(number)s does not exist.", number=number))
    return found


def _reviewer(session: Session, case: Case | None) -> int | None:
    """The case's officer when there is one still at work; None: the registrars."""
    if case is None or case.officer_id is None:
        return None
    officer = session.get(User, case.officer_id)
    return officer.id if officer is not None and officer.is_enabled else None


def _clean_contact(delivery: str, email: str | None, postal_address: str | None):
    email = (email or "").strip() or None
    postal_address = (postal_address or "").replace("\r\n", "\n").strip() or None
    if delivery not in set(Delivery):
        raise ValidationError(_l("Choose how you want the documents."))
    if delivery == Delivery.EMAIL and (not email or "@" not in email or len(email) > 254):
        raise ValidationError(_l("Give the e-mail address the documents are to be sent to."))
    if delivery == Delivery.POST and not postal_address:
        raise ValidationError(_l("Give the postal address the documents are to be sent to."))
    # Only what the delivery needs is kept: anonymity is the requester's right.
    return (
        email if delivery == Delivery.EMAIL else None,
        postal_address if delivery == Delivery.POST else None,
    )


def _clean_items(session: Session, case: Case | None, wanted: list[WantedItem]) -> list:
    items = []
    for item in wanted:
        text = (item.wanted or "").strip() or None
        if text and len(text) > 2000:
            raise ValidationError(_l("Describe what you want in at most 2000 characters."))
        if item.document_id is not None:
            doc = session.get(Document, item.document_id)
            if doc is None or doc.is_voided or (case is not None and doc.case_id != case.id):
                raise ValidationError(_l("The document asked for is not in the register."))
        if item.document_id is None and text is None:
            continue
        items.append(DocumentRequestItem(document_id=item.document_id, wanted=text))
    if not items:
        raise ValidationError(_l("Say which documents you want."))
    return items


def receive_request(
    session: Session,
    *,
    case: Case | None,
    items: list[WantedItem],
    delivery: str,
    requester_name: str | None = None,
    email: str | None = None,
    postal_address: str | None = None,
    source: str = "web",
    mail_id: int | None = None,
    received_at: datetime | None = None,
    form_nonce: str | None = None,
) -> tuple[DocumentRequest, str]:
    """Register a request and give it its number, deadline and reviewer.

    ``form_nonce`` names the rendering of the public form it was sent with: a form makes
    at most one request (:func:`request_of_form` finds it when the form comes again).

    ``received_at`` is when it reached the authority (now, unless it is being registered
    afterwards); the deadline counts from that day. Returns the request and its private
    link token, which is shown once and stored only as a hash.
    """
    email, postal_address = _clean_contact(delivery, email, postal_address)
    name = " ".join((requester_name or "").split())[:200] or None
    rows = _clean_items(session, case, items)
    if case is None:  # a request from a document page may name only the document
        case_ids = {session.get(Document, r.document_id).case_id for r in rows if r.document_id}
        if len(case_ids) == 1 and None not in case_ids:
            case = session.get(Case, case_ids.pop())
    received_at = received_at or now()
    received_on = received_at.astimezone(LOCAL_TZ).date()
    year = received_on.year
    seq = next_number(session, DocumentRequestCounter, year=year)
    token = secrets.token_urlsafe(32)
    request = DocumentRequest(
        year=year,
        seq=seq,
        number=f"BEG-{year}-{seq:04d}",
        token_hash=token_digest(token),
        received_at=received_at,
        received_on=received_on,
        due_on=due_date(received_on),
        requester_name=name,
        delivery=delivery,
        email=email,
        postal_address=postal_address,
        source=source,
        mail_id=mail_id,
        form_nonce=form_nonce,
        case_id=case.id if case else None,
        assigned_to_id=_reviewer(session, case),
    )
    session.add(request)
    session.flush()
    for row in rows:
        row.request_id = request.id
        session.add(row)
    session.flush()
    session.refresh(request)
    audit.record(
        session,
        "disclosure.receive",
        request,
        case=case,
        # An anonymous requester acts without an account: marked as the public.
        after={
            "number": request.number,
            "by": "public" if source == "web" else "registrar",
            "documents": [r.document_id for r in rows if r.document_id],
            "due_on": request.due_on,
            "assigned_to": request.assigned_to_id,
        },
    )
    return request, token


def assign(session: Session, request: DocumentRequest, officer: User | None, *, user) -> None:
    """Give the secrecy review to ``officer`` (None: back to the registrars)."""
    if not reads_every_request(user):
        raise PermissionDenied(_l("You may not reassign this request."))
    before = request.assigned_to_id
    request.assigned_to_id = officer.id if officer else None
    session.flush()
    audit.record(
        session,
        "disclosure.assign",
        request,
        before={"assigned_to": before},
        after={"assigned_to": request.assigned_to_id},
    )


def save_note(session: Session, request: DocumentRequest, note: str, *, user) -> None:
    """The registrar's internal note (never shown to the requester)."""
    if not may_decide_request(user, request):
        raise PermissionDenied(_l("You may not handle this request."))
    before = request.internal_note
    request.internal_note = (note or "").replace("\r\n", "\n").strip()[:5000] or None
    session.flush()
    audit.record(
        session,
        "disclosure.note",
        request,
        before={"note": before},
        after={"note": request.internal_note},
    )


def close_request(session: Session, request: DocumentRequest, *, user) -> None:
    """Close a request: handed over on site, withdrawn, or nothing left to do."""
    if not may_decide_request(user, request):
        raise PermissionDenied(_l("You may not handle this request."))
    if request.status == RequestStatus.CLOSED:
        raise ValidationError(_l("The request is already closed."))
    before = request.status
    request.status, request.closed_at = RequestStatus.CLOSED, now()
    session.flush()
    audit.record(
        session, "disclosure.close", request, before={"status": before}, after={"status": "closed"}
    )


def _document_by_number(session: Session, number: str) -> Document:
    """The registered document a number names (RS/720/2021-3); ValidationError if none."""
    from caseflow.cases.services import get_case_by_number

    text = (number or "").strip()
    case_number, _dash, seq = text.rpartition("-")
    if not case_number or not seq.isdigit():
        raise ValidationError(_l("Write the document's number, e.g. RS/720/2021-3."))
    case = get_case_by_number(session, case_number)
    doc = session.exec(
        select(Document).where(Document.case_id == case.id, Document.seq == int(seq))
    ).first()
    if doc is None or doc.is_voided:
        raise ValidationError(_l("Document %(number)s does not exist.", number=text))
    return doc


def _still_open(request: DocumentRequest) -> None:
    if not request.is_open or request.status == RequestStatus.DECIDED:
        raise ValidationError(_l("The request has been decided; register a new one."))


def add_document(session: Session, request: DocumentRequest, number: str, *, user) -> None:
    """Name the registered document a request in the requester's own words means
    (RS/720/2021-3), as an item of its own."""
    if not may_decide_request(user, request):
        raise PermissionDenied(_l("You may not handle this request."))
    doc = _document_by_number(session, number)
    _still_open(request)
    session.add(DocumentRequestItem(request_id=request.id, document_id=doc.id))
    session.flush()
    session.refresh(request)
    audit.record(session, "disclosure.add_document", request, after={"document": doc.id})


def link_document(
    session: Session, item: DocumentRequestItem, number: str, *, user
) -> DocumentRequestItem:
    """Link an item in the requester's own words ("Även beslutet i ärendet.") to the
    registered document it means: the item keeps the words and is then decided like any
    other. A request without a case gets the document's case."""
    request = item.request
    if not may_decide_request(user, request):
        raise PermissionDenied(_l("You may not handle this request."))
    doc = _document_by_number(session, number)
    _still_open(request)
    if item.document_id is not None:
        raise ValidationError(_l("This item is already a registered document."))
    if item.outcome is not None:
        raise ValidationError(_l("This item has already been decided."))
    item.document_id = doc.id
    if request.case_id is None and doc.case_id is not None:
        request.case_id = doc.case_id
    session.flush()
    audit.record(
        session,
        "disclosure.link_document",
        request,
        case=session.get(Case, request.case_id) if request.case_id else None,
        after={"number": request.number, "item": item.id, "document": doc.id},
    )
    return item


def request_from_mail(session: Session, mail, *, user) -> tuple[DocumentRequest, str]:
    """Turn an e-mailed request in the registrar's queue into a tracked request, answered
    by e-mail to its sender."""
    existing = session.exec(
        select(DocumentRequest).where(DocumentRequest.mail_id == mail.id)
    ).first()
    if existing is not None:
        raise ValidationError(
            _l("This mail is already request %(number)s.", number=existing.number)
        )
    address = mail.original_from or mail.from_address
    name = mail.original_from_name or mail.from_name
    return receive_request(
        session,
        case=None,
        items=[WantedItem(wanted=(mail.subject or "").strip() or str(_l("(see the e-mail)")))],
        delivery=Delivery.EMAIL if address else Delivery.PICKUP,
        requester_name=name,
        email=address,
        source="mail",
        mail_id=mail.id,
        # The deadline runs from the day the mail reached the authority, not from the day
        # it was taken out of the queue.
        received_at=mail.received_at,
    )

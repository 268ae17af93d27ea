"""Which requests are waiting, and for whom: the list, the dashboard and the digest."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from caseflow.common.models import AuditEvent
from caseflow.common.permissions import reads_every_request
from caseflow.disclosure.models import DocumentRequest, RequestStatus


def open_requests(session: Session, user) -> list[DocumentRequest]:
    """The requests still owed an answer: all for the registrar, one's own for an official."""
    query = select(DocumentRequest).where(DocumentRequest.status.in_(RequestStatus.open_states()))
    if not reads_every_request(user):
        query = query.where(DocumentRequest.assigned_to_id == user.id)
    return list(session.exec(query.order_by(DocumentRequest.due_on, DocumentRequest.id)).all())


def handled_requests(session: Session, user, *, limit: int = 20) -> list[DocumentRequest]:
    """The latest requests delivered or closed (all, or one's own for an official), so that
    a finished request can still be found from the list."""
    query = select(DocumentRequest).where(
        DocumentRequest.status.in_((RequestStatus.DELIVERED, RequestStatus.CLOSED))
    )
    if not reads_every_request(user):
        query = query.where(DocumentRequest.assigned_to_id == user.id)
    query = query.order_by(DocumentRequest.received_at.desc(), DocumentRequest.id.desc())
    return list(session.exec(query.limit(limit)).all())


def _undecided(assigned_to: int | None):
    query = select(DocumentRequest).where(
        DocumentRequest.status.in_((RequestStatus.RECEIVED, RequestStatus.UNDER_REVIEW))
    )
    if assigned_to is not None:
        query = query.where(DocumentRequest.assigned_to_id == assigned_to)
    return query


def overdue_requests(session: Session, today: date, *, assigned_to: int | None = None):
    """Requests not decided by their deadline (for one reviewer, or all)."""
    query = _undecided(assigned_to).where(DocumentRequest.due_on < today)
    return list(session.exec(query.order_by(DocumentRequest.due_on, DocumentRequest.id)).all())


def due_today_requests(session: Session, today: date, *, assigned_to: int | None = None):
    """Requests still undecided on their last day (for one reviewer, or all)."""
    query = _undecided(assigned_to).where(DocumentRequest.due_on == today)
    return list(session.exec(query.order_by(DocumentRequest.id)).all())


def request_of_mail(session: Session, mail_id: int) -> DocumentRequest | None:
    return session.exec(select(DocumentRequest).where(DocumentRequest.mail_id == mail_id)).first()


def events_of(session: Session, request: DocumentRequest) -> list[AuditEvent]:
    """The request's own steps in the audit trail, oldest first."""
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.object_type == "documentrequest", AuditEvent.object_id == request.id)
            .order_by(AuditEvent.seq)
        ).all()
    )

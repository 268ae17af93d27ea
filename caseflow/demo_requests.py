"""The demo's requests for public documents (begäran om allmän handling), made through the
same services as the public form and the staff's page, so that the registrar's list, the
dashboards and the digest show them at once:

- a journalist's request in her own words, with no case, the registrars' own, received a
  week and a half ago and now overdue;
- Nils Nyfiken's request this morning for the application in RS/720/2021 on paper:
  released by the case's officer, Erik Noaksson, twelve pages with its budget (54 kr),
  the fee paid and the copies posted;
- an anonymous visitor's request today for the same application, by e-mail, waiting for
  Erik's secrecy review.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, time, timedelta

from flask import g
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.cases.models import Case
from caseflow.common.timeutil import LOCAL_TZ, now, today
from caseflow.disclosure import delivery, payment, review, services
from caseflow.disclosure.models import Delivery, Outcome
from caseflow.disclosure.services import WantedItem
from caseflow.documents.services import case_documents
from caseflow.documents.storage import FileStore

#: What ``caseflow demo`` says it made.
REQUESTS_SUMMARY = _l(
    "Requests for public documents (/begaran/): one waiting for the officer's review, one "
    "overdue, one delivered with its fee paid."
)


@contextmanager
def _acting(user=None, label: str | None = None):
    """Who the audit trail names for the steps inside: a user, or the anonymous public."""
    saved = g.get("cli_actor"), g.get("cli_label")
    g.cli_actor, g.cli_label = user, label or saved[1]
    try:
        yield
    finally:
        g.cli_actor, g.cli_label = saved


def _received(days_ago: int, at: time) -> datetime:
    return datetime.combine(today() - timedelta(days=days_ago), at, LOCAL_TZ)


def load_demo_requests(session: Session, store: FileStore, coworking: Case, erik) -> dict:
    """Make the three requests; returns them by what became of them."""
    application = next(d for d in case_documents(session, coworking) if d.kind == "Ansökan")
    with _acting(label="public"):
        overdue, _token = services.receive_request(
            session,
            case=None,
            items=[WantedItem(wanted="Regionens beslut om medfinansiering av projekt i år")],
            delivery=Delivery.EMAIL,
            requester_name="Lena Lund, Östersunds-Posten",
            email="lena.lund@example.org",
            received_at=_received(10, time(14, 5)),
        )
        delivered, _token = services.receive_request(
            session,
            case=coworking,
            items=[WantedItem(document_id=application.id)],
            delivery=Delivery.POST,
            requester_name="Nils Nyfiken",
            postal_address="Storgatan 1\n831 30 Östersund",
            received_at=min(now(), _received(0, time(8, 15))),
        )
        waiting, _token = services.receive_request(
            session,
            case=coworking,
            items=[WantedItem(document_id=application.id)],
            delivery=Delivery.EMAIL,
            email="nyfiken@example.org",
        )
    with _acting(erik):
        # The file is no PDF: the officer counts the pages of the printed copy himself.
        review.decide_item(
            session,
            store,
            delivered.items[0],
            outcome=Outcome.RELEASED,
            user=erik,
            page_count=12,
        )
        payment.record_payment(session, delivered, today(), user=erik)
        delivery.mark_handed_over(session, delivered, how=Delivery.POST, user=erik)
    return {"waiting": waiting, "overdue": overdue, "delivered": delivered}

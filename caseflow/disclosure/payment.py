"""The fee for copies: its payment recorded by staff, and whether delivery waits for it.

The fee is counted when the request is decided (:mod:`.fees`). Whether copies go out
before the fee is paid is the authority's choice: by default they do (with an invoice);
``DISCLOSURE_REQUIRE_PAYMENT_BEFORE_DELIVERY = True`` makes the delivery of a request with
a fee wait until staff have recorded the payment. Looking at the documents on site is
free (TF 2 kap. 15 §) and never waits.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.common import audit
from caseflow.common.errors import PermissionDenied, ValidationError
from caseflow.common.permissions import may_decide_request
from caseflow.common.timeutil import today
from caseflow.disclosure.models import Delivery, DocumentRequest


def payment_required_first() -> bool:
    return bool(current_app.config.get("DISCLOSURE_REQUIRE_PAYMENT_BEFORE_DELIVERY"))


def waits_for_payment(request: DocumentRequest, how: str | None = None) -> bool:
    """Whether handing the copies over (``how``, else as asked) must wait for the fee."""
    if (how or request.delivery) == Delivery.ON_SITE:
        return False
    return payment_required_first() and request.fee_unpaid


def check_paid_before_delivery(request: DocumentRequest, how: str | None = None) -> None:
    """Refuse, in words, a delivery that waits for the fee to be paid."""
    if waits_for_payment(request, how):
        raise ValidationError(
            _l(
                "The fee of %(fee)s kr is to be paid before the copies are delivered: record "
                "the payment first.",
                fee=request.fee,
            )
        )


def record_payment(session: Session, request: DocumentRequest, paid_on: date, *, user) -> None:
    """Record the day the fee was paid (or correct it); audited with the day before."""
    if not may_decide_request(user, request):
        raise PermissionDenied(_l("You may not handle this request."))
    if request.decided_at is None or not request.fee:
        raise ValidationError(_l("There is no fee to pay for this request."))
    if paid_on > today():
        raise ValidationError(_l("The day of payment cannot be in the future."))
    if paid_on < request.received_on:
        raise ValidationError(_l("The fee cannot have been paid before the request came in."))
    before = request.fee_paid_on
    request.fee_paid_on = paid_on
    session.flush()
    audit.record(
        session,
        "disclosure.paid",
        request,
        before={"fee_paid_on": before},
        after={"number": request.number, "fee": request.fee, "fee_paid_on": paid_on},
    )

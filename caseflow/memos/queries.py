"""What waits for a manager: read-only queries over the cases' state."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from caseflow.cases.models import Case, CaseStatus
from caseflow.common.models import AuditEvent
from caseflow.db import UTCDateTime


def review_queue_items(session: Session) -> list[tuple[Case, datetime]]:
    """Every case in review with when it was submitted, oldest submission first.

    The state decides what is in the queue, so cases imported or loaded in review are in
    it too; the submission time is the latest ``case.transition.submit`` event, or the
    case's last change when it has none.
    """
    submitted = (
        select(AuditEvent.case_id, sa.func.max(AuditEvent.at).label("at"))
        .where(AuditEvent.action == "case.transition.submit")
        .group_by(AuditEvent.case_id)
        .subquery()
    )
    since = sa.func.coalesce(submitted.c.at, Case.updated_at, type_=UTCDateTime)
    rows = session.exec(
        select(Case, since)
        .outerjoin(submitted, submitted.c.case_id == Case.id)
        .where(Case.status == CaseStatus.IN_REVIEW, Case.voided_at.is_(None))
        .order_by(since, Case.id)
    ).all()
    return [(case, at) for case, at in rows]

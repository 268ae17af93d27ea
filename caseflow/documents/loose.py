"""Löpande post: the register of documents not (yet) in a case, on the page and as a file."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlmodel import Session, func, select

from caseflow.common import export
from caseflow.common.audit import record
from caseflow.common.projection import audience_for, document_counterpart, document_title
from caseflow.documents.forms import DIRECTION_LABELS
from caseflow.documents.models import Document

#: The page lists the newest this many; the export holds them all (up to its cap).
PAGE_LIMIT = 200


def _unfiled():
    return select(Document).where(Document.case_id.is_(None))


def loose_documents(session: Session, limit: int | None = PAGE_LIMIT) -> list[Document]:
    """The unfiled documents, the most recently registered first."""
    stmt = _unfiled().order_by(Document.registered_at.desc(), Document.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.exec(stmt).all())


def loose_documents_table(session: Session, viewer, *, fmt: str) -> export.Table:
    """Every unfiled document as the page shows it to ``viewer`` (the same masks), newest
    first; the export is recorded with the number of rows.

    Raises :class:`export.ExportTooLarge` above ``EXPORT_MAX_ROWS`` (nothing recorded)."""
    export.check_row_count(
        session.exec(select(func.count()).select_from(_unfiled().subquery())).one()
    )
    docs = session.exec(
        _unfiled()
        .options(selectinload(Document.party))
        .order_by(Document.registered_at.desc(), Document.id.desc())
    ).all()
    audience = audience_for(viewer, None)  # löpande post has no case
    directions = {code: str(label) for code, label in DIRECTION_LABELS.items()}
    voided = _("Voided")
    rows = [
        [
            doc.received_on,
            directions.get(doc.direction, doc.direction),
            document_counterpart(doc, audience),
            document_title(doc, audience),
            doc.kind,
            doc.document_date,
            doc.registered_at,
            voided if doc.is_voided else None,
        ]
        for doc in docs
    ]
    record(session, "document.loose_export", None,
           after=export.event_values("loose_documents", fmt, len(rows)))  # fmt: skip
    return export.Table(
        headings=[_("Registered"), _("Direction"), _("Sender or recipient"),
                  _("What it concerns"), _("Kind of document"), _("Date of the document"),
                  _("Registered at"), _("Voided")],
        rows=rows,
        sheet=_("Unfiled documents"),
        widths=(12, 18, 36, 60, 18, 12, 17, 10),
    )  # fmt: skip

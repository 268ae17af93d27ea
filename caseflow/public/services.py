"""Publishing a document's files in the e-diarium: a registrar's decision, audited."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.cases.models import Case
from caseflow.common.audit import record
from caseflow.common.errors import ValidationError
from caseflow.documents.models import Document
from caseflow.public import queries
from caseflow.public.models import PublishedFile


def publication_state(session: Session, doc: Document, case: Case | None) -> dict:
    """Whether the document's files are published, and whether they may be."""
    return {
        "is_published": bool(queries.published_ids(session, [doc.id])),
        "may_publish": queries.files_publishable(doc, case),
    }


def set_files_published(session: Session, doc: Document, *, published: bool, user) -> None:
    """Publish (or take down) the document's files in the e-diarium. Only a public
    document of a case whose series publishes files from its date may be published."""
    case = session.get(Case, doc.case_id) if doc.case_id is not None else None
    row = session.get(PublishedFile, doc.id)
    if published:
        if not queries.files_publishable(doc, case):
            raise ValidationError(
                _l("Only a public document in a series that publishes files can be published.")
            )
        if row is not None:
            return
        session.add(PublishedFile(document_id=doc.id, published_by_id=getattr(user, "id", None)))
        action = "document.files_published"
    else:
        if row is None:
            return
        session.delete(row)
        action = "document.files_unpublished"
    session.flush()
    record(session, action, doc, case=case, after={"published": published}, actor=user)

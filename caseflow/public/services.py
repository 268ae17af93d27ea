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


def withheld_text(withheld: queries.FilesWithheld):
    """Why the files are not shown, in one sentence a registrar understands."""
    reason = withheld.reason
    if reason == "secret":
        if withheld.provision:
            return _l(
                "The document is secret-marked (%(provision)s).", provision=withheld.provision
            )
        return _l("The document is secret-marked.")
    if reason == "secret_details":
        if withheld.provision:
            return _l(
                "What the document concerns, or its counterpart, is secret-marked (%(provision)s).",
                provision=withheld.provision,
            )
        return _l("What the document concerns, or its counterpart, is secret-marked.")
    if reason == "voided":
        return _l("The document is voided.")
    if reason == "series":
        return _l(
            "The series %(code)s does not publish files: an administrator sets the date "
            "from which it does under Administration › Numbering series.",
            code=withheld.series_code,
        )
    if reason == "before":
        return _l(
            "The document came in or was drawn up on %(dated)s, before %(since)s, the date "
            "from which the series %(code)s publishes files.",
            dated=withheld.dated.isoformat(),
            since=withheld.since.isoformat(),
            code=withheld.series_code,
        )
    return _l("The document is not registered in a case.")


def publication_state(session: Session, doc: Document, case: Case | None) -> dict:
    """Whether the document's files are marked published, whether the public register
    shows them (or may), and if not, why (``reason``, a sentence; ``withheld``)."""
    withheld = queries.files_withheld(doc, case)
    return {
        "is_published": bool(queries.published_ids(session, [doc.id])),
        "may_publish": withheld is None,
        "withheld": withheld,
        "reason": withheld_text(withheld) if withheld is not None else None,
    }


def set_files_published(session: Session, doc: Document, *, published: bool, user) -> None:
    """Publish (or take down) the document's files in the e-diarium. Only a public
    document of a case whose series publishes files from its date may be published."""
    case = session.get(Case, doc.case_id) if doc.case_id is not None else None
    row = session.get(PublishedFile, doc.id)
    if published:
        withheld = queries.files_withheld(doc, case)
        if withheld is not None:
            raise ValidationError(
                _l(
                    "The files cannot be published. %(reason)s",
                    reason=withheld_text(withheld),
                )
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

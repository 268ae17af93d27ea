"""A decision corrected after justering reaches the excerpts already registered from its §:
each gets a new file version, made from the corrected protocol and sealed anew. The old
version stays registered beside it (file versions are never overwritten), so what was sent
can always be shown next to what it became.
"""

from __future__ import annotations

import hashlib

from sqlmodel import Session, select

from caseflow.documents.corrections import current_files, replace_file
from caseflow.documents.formats import DOCX_MIME, PDF_MIME
from caseflow.documents.models import Document, DocumentFile
from caseflow.documents.services import IncomingFile
from caseflow.documents.storage import FileStore, file_store
from caseflow.meetings.dispatch_models import Dispatch
from caseflow.meetings.excerpts import excerpt_filename, render_excerpt, sealed_pdfa
from caseflow.meetings.models import AgendaItem


def registered_excerpts(session: Session, item: AgendaItem) -> list[Document]:
    """The documents registered as the excerpt of ``item`` (one per dispatch), not voided."""
    ids = select(Dispatch.document_id).where(Dispatch.agenda_item_id == item.id)
    return list(
        session.exec(
            select(Document)
            .where(Document.id.in_(ids), Document.voided_at.is_(None))
            .order_by(Document.id)
        ).all()
    )


def reissue_excerpts(
    session: Session, item: AgendaItem, *, reason: str, user, store: FileStore | None = None
) -> list[DocumentFile]:
    """Replace the current file of every registered excerpt of ``item`` with the corrected
    excerpt, ``reason`` being the correction's: a sealed PDF/A where the registered file is
    one (a .docx when no LibreOffice is there now), else a .docx. The old versions stay.
    Returns the new files; each replacement is audited (``document.replace_file``)."""
    documents = registered_excerpts(session, item)
    if not documents:
        return []
    from caseflow.pdf import converter

    store = store or file_store()
    docx, template_id = render_excerpt(session, store, item)
    pdf = None
    added = []
    for doc in documents:
        for old in current_files(doc):
            if old.mime_type == PDF_MIME and converter.is_available():
                pdf = pdf or sealed_pdfa(session, docx)
                incoming = IncomingFile(excerpt_filename(session, item, "pdf"), pdf, PDF_MIME)
            else:
                incoming = IncomingFile(excerpt_filename(session, item, "docx"), docx, DOCX_MIME)
            if hashlib.sha256(incoming.content).hexdigest() == old.sha256:
                continue  # the correction did not change what the excerpt says
            new = replace_file(session, store, doc, old, incoming, reason=reason, actor=user)
            new.template_id = template_id
            added.append(new)
    session.flush()
    return added

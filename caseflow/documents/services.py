"""Registering documents (OSL 5 kap. 2 §), their files, connecting and voiding them."""

from __future__ import annotations

import functools
import mimetypes
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload
from sqlmodel import Session, func, select

from caseflow.cases.models import Case
from caseflow.common import audit
from caseflow.common.errors import NotFound, PermissionDenied, ValidationError
from caseflow.common.permissions import has_right
from caseflow.common.projection import document_number  # noqa: F401 - its callers' home
from caseflow.common.secrecy import may_open_files
from caseflow.common.timeutil import now, today
from caseflow.documents.filenames import safe_filename
from caseflow.documents.models import Direction, Document, DocumentFile, FileBlob
from caseflow.documents.storage import FileStore
from caseflow.parties.services import match_sender


@dataclass
class IncomingFile:
    """A file on its way into the store: its name as given, its content, its type if known."""

    filename: str
    content: bytes | BinaryIO
    mime_type: str | None = None


def document_snapshot(doc: Document) -> dict:
    return {
        "direction": doc.direction,
        "title": doc.title,
        "counterpart": doc.counterpart,
        "party_id": doc.party_id,
        "received_on": doc.received_on,
        "kind": doc.kind,
        "is_secret": doc.is_secret,
        "title_is_secret": doc.title_is_secret,
        "counterpart_is_secret": doc.counterpart_is_secret,
        "secrecy_provision": doc.secrecy_provision,
        "case_id": doc.case_id,
        "seq": doc.seq,
        "files": [f"{f.filename} v{f.file_version} {f.sha256[:12]}" for f in doc.files],
    }


def _validate(direction, title, counterpart, received_on, secret_flags, provision):
    if direction not in set(Direction):
        raise ValidationError(
            _l("Say whether the document is incoming, outgoing or drawn up here.")
        )
    if not (title or "").strip():
        raise ValidationError(_l("Say in brief what the document concerns (OSL 5 kap. 2 §)."))
    if not (counterpart or "").strip():
        missing = {
            "incoming": _l("Give the sender (OSL 5 kap. 2 §)."),
            "outgoing": _l("Give the recipient (OSL 5 kap. 2 §)."),
        }.get(direction, _l("Give who drew it up (OSL 5 kap. 2 §)."))
        raise ValidationError(missing)
    if not isinstance(received_on, date):
        raise ValidationError(
            _l("Give the date the document came in or was drawn up (OSL 5 kap. 2 §).")
        )
    if received_on > today():
        raise ValidationError(
            _l("The date the document came in or was drawn up cannot lie in the future.")
        )
    if any(secret_flags) and not (provision or "").strip():
        raise ValidationError(_l("Give the secrecy provision (e.g. OSL 21 kap. 1 §)."))


def _next_document_seq(session: Session, case: Case) -> int:
    table = Case.__table__
    seq = session.execute(
        sa.update(table)
        .where(table.c.id == case.id)
        .values(document_counter=table.c.document_counter + 1)
        .returning(table.c.document_counter)
    ).scalar_one()
    session.expire(case, ["document_counter"])
    return seq


def register_document(
    session: Session,
    store: FileStore,
    *,
    case: Case | None,
    direction: str,
    title: str,
    counterpart: str,
    received_on: date,
    counterpart_email: str | None = None,
    kind: str | None = None,
    document_date: date | None = None,
    is_secret: bool = False,
    title_is_secret: bool = False,
    counterpart_is_secret: bool = False,
    secrecy_provision: str | None = None,
    message_id: str | None = None,
    files: list[IncomingFile] | None = None,
    party_id: int | None = None,
) -> Document:
    """Register a document, in a case or as löpande post, with its files.

    ``party_id`` links the sender or recipient to the parties register (without one, a
    party with exactly the ``counterpart_email`` is linked); ``counterpart`` stays the text
    it was registered with.
    """
    _validate(
        direction,
        title,
        counterpart,
        received_on,
        (is_secret, title_is_secret, counterpart_is_secret),
        secrecy_provision,
    )
    if case is not None and case.is_voided:
        raise ValidationError(
            _l("Case %(number)s is void; do not register in it.", number=case.number)
        )
    if party_id is None and counterpart_email and not counterpart_is_secret:
        # A sender or recipient whose address is in the parties register is that party.
        party, how = match_sender(session, counterpart_email)
        party_id = party.id if how == "email" else None
    actor = audit.current_actor()
    doc = Document(
        case_id=case.id if case else None,
        seq=_next_document_seq(session, case) if case else None,
        direction=direction,
        title=title.strip(),
        counterpart=counterpart.strip(),
        counterpart_email=(counterpart_email or "").strip() or None,
        kind=(kind or "").strip() or None,
        document_date=document_date,
        received_on=received_on,
        is_secret=is_secret,
        title_is_secret=title_is_secret,
        counterpart_is_secret=counterpart_is_secret,
        secrecy_provision=(secrecy_provision or "").strip() or None,
        message_id=message_id,
        party_id=party_id,
        registered_by_id=getattr(actor, "id", None),
    )
    session.add(doc)
    session.flush()
    versions: dict[str, int] = {}  # a new document: its versions are counted here
    doc.files = [_attach(session, store, doc, incoming, versions) for incoming in files or []]
    session.flush()
    audit.record(session, "document.register", doc, case=case, after=document_snapshot(doc))
    return doc


def store_blob(session: Session, store: FileStore, content) -> tuple[str, int]:
    """Put bytes in the store and record the blob once, however often it is stored."""
    sha, size = store.put(content)
    session.execute(
        _blob_insert(session.get_bind().dialect.name), {"sha256": sha, "size": size, "at": now()}
    )
    return sha, size


@functools.cache
def _blob_insert(dialect: str):
    """INSERT … ON CONFLICT DO NOTHING for file_blob, built once per dialect."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = FileBlob.__table__
    return (
        insert(table)
        .values(
            sha256=sa.bindparam("sha256"), size=sa.bindparam("size"), created_at=sa.bindparam("at")
        )
        .on_conflict_do_nothing(index_elements=["sha256"])
    )


def _attach(
    session: Session,
    store: FileStore,
    doc: Document,
    incoming: IncomingFile,
    versions: dict[str, int] | None = None,
):
    filename = safe_filename(incoming.filename)
    sha, size = store_blob(session, store, incoming.content)
    if size == 0:
        raise ValidationError(_l("The file »%(name)s« is empty.", name=filename))
    if versions is not None:  # the files of a document being registered
        previous = versions.get(filename, 0)
        versions[filename] = previous + 1
    else:
        previous = session.exec(
            select(func.max(DocumentFile.file_version)).where(
                DocumentFile.document_id == doc.id, DocumentFile.filename == filename
            )
        ).one()
    mime = incoming.mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    item = DocumentFile(
        document_id=doc.id,
        sha256=sha,
        filename=filename,
        mime_type=mime,
        size=size,
        file_version=(previous or 0) + 1,
        uploaded_by_id=getattr(audit.current_actor(), "id", None),
    )
    session.add(item)
    return item


def add_file(session: Session, store: FileStore, doc: Document, incoming: IncomingFile, *, case):
    """Add a file, or a new version of a file of the same name; old versions stay."""
    if doc.is_voided:
        raise ValidationError(_l("The document is void; do not add files to it."))
    item = _attach(session, store, doc, incoming)
    session.flush()
    audit.record(
        session,
        "document.add_file",
        doc,
        case=case,
        after={"filename": item.filename, "version": item.file_version, "sha256": item.sha256},
    )
    return item


def connect_document(session: Session, doc: Document, case: Case) -> Document:
    """Connect löpande post to a case; it gets the case's next document number."""
    if doc.case_id is not None:
        raise ValidationError(_l("The document already belongs to a case."))
    if case.is_voided:
        raise ValidationError(_l("Case %(number)s is void.", number=case.number))
    doc.case_id, doc.seq = case.id, _next_document_seq(session, case)
    session.flush()
    audit.record(
        session, "document.connect", doc, case=case, after={"case": case.number, "seq": doc.seq}
    )
    return doc


def void_document(session: Session, doc: Document, *, reason: str, case: Case | None) -> Document:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_l("Give a reason for voiding."))
    if doc.is_voided:
        raise ValidationError(_l("The document is already void."))
    doc.voided_at = now()
    doc.voided_by_id = getattr(audit.current_actor(), "id", None)
    doc.void_reason = reason
    session.flush()
    audit.record(session, "document.void", doc, case=case, after={"reason": reason})
    return doc


def open_file_for(session: Session, doc: Document, case: Case | None, user, *, purpose: dict):
    """Let ``user`` read a file of ``doc`` (a stored file, or the mail it came as), or raise
    PermissionDenied. Reading a secret document is recorded, ``purpose`` saying what was read.
    """
    if case is None and not has_right(user, "registry.loose_documents"):
        raise PermissionDenied(_l("You may not open the files of this document."))
    if not may_open_files(doc, case, user):
        raise PermissionDenied(_l("You may not open the files of this document."))
    if doc.is_secret:
        audit.record(session, "document.read_secret", doc, case=case, after=purpose, actor=user)


def get_document(session: Session, doc_id: int) -> Document:
    doc = session.get(Document, doc_id)
    if doc is None:
        raise NotFound(_l("The document does not exist."))
    return doc


def case_documents(session: Session, case: Case) -> list[Document]:
    """The case's documents in order, with their files loaded in one query."""
    return list(
        session.exec(
            select(Document)
            .where(Document.case_id == case.id)
            .order_by(Document.seq)
            .options(selectinload(Document.files))
        ).all()
    )

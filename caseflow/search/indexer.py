"""What the index holds for a case, a document and a message in the mail queue.

Each builder returns the :class:`SearchEntry` columns of one thing, or None when it has no
entry (a filed message, the voided stub a moved document leaves behind). The words are
split by audience with :mod:`caseflow.common.projection`: what staff see goes into
``open_text``; where the holder of the secrets sees more (a secret title, secret
counterparts, a protected person, a secret document's file text), that goes into
``held_text``. What the public may read in the e-diarium (the PUBLIC projection of a case
and of the documents in cases) goes, once more, into ``public_text``. A mask
("[Sekretess: …]") is never indexed.

:func:`write_entries` brings the entries of some things up to date in the session;
:mod:`caseflow.search.sync` calls it on every commit and for a full rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from caseflow.auth.models import User
from caseflow.cases.models import Case, CaseParty
from caseflow.common import projection
from caseflow.common.projection import Audience
from caseflow.common.timeutil import local, now
from caseflow.documents.corrections import current_files
from caseflow.documents.models import Document
from caseflow.mail.models import MailMessage, MailStatus
from caseflow.search.models import EntryKind, FileText, SearchEntry, TextStatus
from caseflow.search.tokens import index_text

STAFF, HOLDER, PUBLIC = Audience.STAFF, Audience.HOLDER, Audience.PUBLIC


class _Words:
    """Collects the words of one entry, split into what staff see and what only holders see."""

    def __init__(self, *provisions: str | None):
        self.open: list[str] = []
        self.held: list[str] = []
        self.public: list[str] = []
        # What stands in place of a secret: never a word of the thing itself.
        self.masks = {projection.mask(p) for p in (*provisions, None)}
        self.masks.add(projection.protected_mask())

    def open_words(self, *values) -> None:
        self.open.extend(v for v in values if v)

    def split(self, staff, holder) -> None:
        """A field as staff see it and as its holder sees it."""
        if staff == holder:
            self.open_words(staff)
            return
        if holder:
            self.held.append(holder)
        if staff and staff not in self.masks:
            self.open.append(staff)  # a public title: visible to staff, a word of its own

    def public_words(self, *values) -> None:
        """What the e-diarium shows (the PUBLIC projection's text; masks left out)."""
        self.public.extend(v for v in values if v and v not in self.masks)

    def columns(self) -> dict:
        return {
            "open_text": index_text(*self.open),
            "held_text": index_text(*self.held),
            "public_text": index_text(*self.public),
        }


def case_entry(case: Case, officer: User | None) -> dict:
    """The entry of a case: number, titles, description, unit, officer, class, parties."""
    text = _Words(case.secrecy_provision)
    text.open_words(case.number, case.classification_code)
    if not case.title_is_secret:  # else it is what staff see as the title, below
        text.open_words(case.public_title)
    text.split(projection.case_title(case, STAFF), projection.case_title(case, HOLDER))
    text.split(projection.case_description(case, STAFF), case.description)
    if case.unit is not None:
        text.open_words(case.unit.name)
    if officer is not None:
        text.open_words(officer.name)
    if case.classification is not None:
        text.open_words(case.classification.code, case.classification.title)
    text.public_words(case.number, projection.case_title(case, PUBLIC))
    if case.unit is not None:
        text.public_words(case.unit.name)
    for party in projection.case_parties(case, PUBLIC):
        text.public_words(party["name"], party["organisation"])
    staff_sees = projection.case_parties_visible(case, STAFF)
    for row in case.parties:
        holder = projection.case_party(row, HOLDER)
        staff = projection.case_party(row, STAFF) if staff_sees else {}
        for key in ("name", "organisation", "email"):
            text.split(staff.get(key), holder[key])
        if row.party is not None:  # the register's current name: a renamed party is found
            holder_label = projection.party_label(row.party, HOLDER)
            staff_label = projection.party_label(row.party, STAFF) if staff_sees else None
            text.split(staff_label, holder_label)
    return {
        **text.columns(),
        **_case_filters(case),
        "kind": EntryKind.CASE,
        "target_id": case.id,
        "case_id": case.id,
        "year": case.year,
        "status": case.status,
        "direction": None,
        "dated_on": case.opened_on,
        "is_voided": case.is_voided,
        "number": case.number,
    }


def _case_filters(case: Case | None) -> dict:
    if case is None:
        return {"officer_id": None, "series_code": None, "unit_id": None, "class_id": None}
    return {
        "officer_id": case.officer_id,
        "series_code": case.series.code if case.series is not None else None,
        "unit_id": case.unit_id,
        "class_id": case.class_id,
    }


def document_entry(doc: Document, case: Case | None, file_texts: dict[str, str]) -> dict | None:
    """The entry of a document: number, title, kind, counterpart, dates and the text of its
    current files (``file_texts`` by sha256). The stub a move leaves has none: the old
    number finds the moved document by the number lookup."""
    if doc.is_moved_entry:
        return None
    text = _Words(doc.secrecy_provision, case.secrecy_provision if case else None)
    number = projection.document_number(doc, case)
    text.open_words(number, doc.kind, doc.received_on.isoformat())
    if doc.document_date is not None:
        text.open_words(doc.document_date.isoformat())
    text.split(projection.document_title(doc, STAFF), doc.title)
    text.split(
        projection.document_counterpart(doc, STAFF, case),
        projection.document_counterpart(doc, HOLDER, case),
    )
    text.split(
        projection.document_counterpart_email(doc, STAFF, case),
        projection.document_counterpart_email(doc, HOLDER, case),
    )
    if case is not None:  # löpande post is not in the e-diarium
        text.public_words(
            number,
            doc.kind,
            doc.received_on.isoformat(),
            projection.document_title(doc, PUBLIC),
            projection.document_counterpart(doc, PUBLIC, case),
        )
    contents = [file_texts[f.sha256] for f in current_files(doc) if f.sha256 in file_texts]
    if projection.may_open_files(doc, STAFF):
        text.open_words(*contents)
    else:
        text.held.extend(contents)
    return {
        **text.columns(),
        **_case_filters(case),
        "kind": EntryKind.DOCUMENT,
        "target_id": doc.id,
        "case_id": case.id if case is not None else None,
        # A document is listed under its case's year and status (the number's year; a
        # löpande post's by its date, no status).
        "year": case.year if case is not None else doc.received_on.year,
        "status": case.status if case is not None else None,
        "direction": doc.direction,
        "dated_on": doc.received_on,
        "is_voided": doc.is_voided,
        "number": number,
    }


def is_in_queue(mail: MailMessage) -> bool:
    """A message is searched as a message while it is not a document: once filed (or
    registered as löpande post), its document is what is found."""
    return mail.document_id is None and mail.status != MailStatus.FILED


def message_entry(mail: MailMessage, file_text: str | None) -> dict | None:
    """The entry of a message in the mail queue (subject, senders, body text), or None."""
    if not is_in_queue(mail):
        return None
    text = _Words()
    text.open_words(
        mail.subject,
        mail.from_name,
        mail.from_address,
        mail.original_from_name,
        mail.original_from,
        file_text,
    )
    received = local(mail.delivered_at or mail.received_at)
    return {
        **text.columns(),
        **_case_filters(None),
        "kind": EntryKind.MESSAGE,
        "target_id": mail.id,
        "case_id": None,
        "year": received.year,
        "status": mail.status,
        "direction": "incoming",
        "dated_on": received.date(),
        "is_voided": False,
        "number": None,
    }


# -- writing entries ---------------------------------------------------------------------------


def file_texts(session: Session, shas: Iterable[str]) -> dict[str, str]:
    """The extracted text of each file (by sha256) whose text has been read."""
    shas = sorted(set(shas))
    if not shas:
        return {}
    # The status is checked here, not in SQL: with "status = ?" SQLite walks the status
    # index (every done text) instead of the primary key (90 ms against 0.3 at 40,000 texts).
    rows = session.exec(
        select(FileText.sha256, FileText.status, FileText.text).where(FileText.sha256.in_(shas))
    ).all()
    return {sha: text for sha, status, text in rows if text and status == TextStatus.DONE}


#: Objects already in the session may hold collections loaded before a row was added
#: beside them (a CaseParty added by its case_id, not through case.parties): they are read
#: afresh. Everything is flushed by then, so nothing unsaved is overwritten.
_FRESH = {"populate_existing": True}
#: What a case's entry reads besides its own row, loaded for a whole batch at once.
_CASE_LOADS = (
    selectinload(Case.series),
    selectinload(Case.unit),
    selectinload(Case.classification),
)


def build_entries(session: Session, kind: str, ids: Iterable[int]) -> dict[int, dict | None]:
    """The entry columns of the things of ``kind`` with ``ids`` (None: no entry)."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    built: dict[int, dict | None] = dict.fromkeys(ids)
    if kind == EntryKind.CASE:
        cases = session.exec(
            select(Case)
            .where(Case.id.in_(ids))
            .options(*_CASE_LOADS, selectinload(Case.parties).selectinload(CaseParty.party))
            .execution_options(**_FRESH)
        ).all()
        officers = _officers(session, {c.officer_id for c in cases})
        for case in cases:
            built[case.id] = case_entry(case, officers.get(case.officer_id))
    elif kind == EntryKind.DOCUMENT:
        docs = session.exec(
            select(Document)
            .where(Document.id.in_(ids))
            .options(selectinload(Document.files), selectinload(Document.party))
            .execution_options(**_FRESH)
        ).all()
        case_ids = {d.case_id for d in docs if d.case_id}
        cases = {
            c.id: c
            for c in session.exec(
                select(Case)
                .where(Case.id.in_(case_ids))
                .options(*_CASE_LOADS)
                .execution_options(**_FRESH)
            )
        }
        texts = file_texts(session, (f.sha256 for d in docs for f in d.files))
        for doc in docs:
            built[doc.id] = document_entry(doc, cases.get(doc.case_id), texts)
    elif kind == EntryKind.MESSAGE:
        mails = session.exec(select(MailMessage).where(MailMessage.id.in_(ids))).all()
        texts = file_texts(session, (m.sha256 for m in mails if is_in_queue(m)))
        for mail in mails:
            built[mail.id] = message_entry(mail, texts.get(mail.sha256))
    return built


def _officers(session: Session, ids: set) -> dict[int, User]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {u.id: u for u in session.exec(select(User).where(User.id.in_(ids))).all()}


def write_entries(session: Session, kind: str, ids: Iterable[int]) -> int:
    """Bring the entries of ``ids`` up to date (added, changed or removed); flushes.
    Returns how many things were looked at."""
    built = build_entries(session, kind, ids)
    if not built:
        return 0
    existing = {
        e.target_id: e
        for e in session.exec(
            select(SearchEntry).where(
                SearchEntry.kind == kind, SearchEntry.target_id.in_(list(built))
            )
        ).all()
    }
    stamp = now()
    for target_id, columns in built.items():
        entry = existing.get(target_id)
        if columns is None:
            if entry is not None:
                session.delete(entry)
            continue
        if entry is None:
            entry = SearchEntry(**columns)
            session.add(entry)
        else:
            for name, value in columns.items():
                setattr(entry, name, value)
        entry.indexed_at = stamp
    session.flush()
    return len(built)


def remove_orphans(session: Session) -> None:
    """Drop entries whose case, document or message no longer exists."""
    for kind, model in (
        (EntryKind.CASE, Case),
        (EntryKind.DOCUMENT, Document),
        (EntryKind.MESSAGE, MailMessage),
    ):
        alive = select(model.id).where(model.id == SearchEntry.target_id).exists()
        session.execute(
            sa.delete(SearchEntry).where(SearchEntry.kind == kind, ~alive),
            execution_options={"synchronize_session": False},
        )

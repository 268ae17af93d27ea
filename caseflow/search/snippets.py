"""The hits of a search as the viewer may see them: titles and highlighted snippets.

Everything shown is taken from :mod:`caseflow.common.projection` for the viewer's
audience of the case (and a file's extracted text only where the viewer may open the
files), never from the index: the index holds stems, and holds secrets. A snippet is a
list of plain :class:`Segment` s (text, is_match) for the template to escape and mark; no
HTML is ever built here. Showing a secret document's file text to its holder is recorded
as reading it, as opening the file is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select

from caseflow.auth.models import User
from caseflow.cases.models import Case, CaseParty
from caseflow.common import projection
from caseflow.documents.corrections import current_files
from caseflow.documents.models import Document
from caseflow.documents.services import open_file_for
from caseflow.mail.models import MailMessage
from caseflow.search.indexer import file_texts
from caseflow.search.models import EntryKind
from caseflow.search.tokens import ParsedQuery, matches_highlight

_WORD = re.compile(r"[^\W_]+")
#: Characters of context before the first matching word, and the snippet's length.
BEFORE, LENGTH = 70, 240
#: How far into a long text (a file) a match is looked for.
SCAN_CHARS = 200_000


class Segment(NamedTuple):
    text: str
    is_match: bool


@dataclass
class Hit:
    kind: str
    target_id: int
    number: str | None
    title: str
    snippet: list[Segment] = field(default_factory=list)
    dated_on: date | None = None
    is_voided: bool = False
    status: str | None = None
    case_id: int | None = None
    #: The sender or recipient of a document or message, as the viewer may see it.
    counterpart: str | None = None
    score: float | None = None
    #: incoming / outgoing / internal (documents and messages), as the index has it.
    direction: str | None = None


def snippet(text: str | None, parsed: ParsedQuery) -> list[Segment]:
    """A window of ``text`` around its first word the query asked for, those words
    marked; [] when no word matches."""
    if not text or parsed.is_empty:
        return []
    text = unicodedata.normalize("NFC", text[:SCAN_CHARS])
    words = list(_WORD.finditer(text))
    first = next((m for m in words if matches_highlight(m.group().casefold(), parsed)), None)
    if first is None:
        return []
    start = max(0, first.start() - BEFORE)
    if start > 0:  # begin at a word, not inside one
        start = next((m.start() for m in words if m.start() >= start), first.start())
    end = min(len(text), start + LENGTH)
    if end < len(text):
        end = max((m.end() for m in words if first.end() <= m.end() <= end), default=end)
    segments: list[Segment] = [Segment("…", False)] if start > 0 else []
    pos = start
    for m in words:
        if m.start() < start or m.end() > end:
            continue
        if matches_highlight(m.group().casefold(), parsed):
            if m.start() > pos:
                segments.append(Segment(_flat(text[pos : m.start()]), False))
            segments.append(Segment(m.group(), True))
            pos = m.end()
    if end > pos:
        segments.append(Segment(_flat(text[pos:end]), False))
    if end < len(text):
        segments.append(Segment("…", False))
    return segments


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _first_snippet(fields: list[tuple[str | None, bool]], parsed: ParsedQuery):
    """The snippet of the first field with a match, and whether it is file text."""
    for text, is_file in fields:
        found = snippet(text, parsed)
        if found:
            return found, is_file
    return [], False


def build_hits(session: Session, viewer, entries: list, parsed: ParsedQuery, text: str) -> list:
    """The hits for ``entries`` (in order), as ``viewer`` may see them."""
    ids = {kind: [e.target_id for e in entries if e.kind == kind] for kind in EntryKind}
    docs = {
        d.id: d
        for d in session.exec(
            select(Document)
            .where(Document.id.in_(ids[EntryKind.DOCUMENT]))
            .options(selectinload(Document.files), selectinload(Document.party))
        )
    }
    case_ids = set(ids[EntryKind.CASE]) | {d.case_id for d in docs.values() if d.case_id}
    cases = {
        c.id: c
        for c in session.exec(
            select(Case)
            .where(Case.id.in_(case_ids))
            .options(selectinload(Case.parties).selectinload(CaseParty.party))
        )
    }
    mails = {
        m.id: m
        for m in session.exec(select(MailMessage).where(MailMessage.id.in_(ids[EntryKind.MESSAGE])))
    }
    shas = [f.sha256 for d in docs.values() for f in current_files(d)]
    texts = file_texts(session, shas + [m.sha256 for m in mails.values()])
    hits = []
    for entry in entries:
        if entry.kind == EntryKind.CASE and entry.target_id in cases:
            hit = _case_hit(session, viewer, cases[entry.target_id], parsed)
        elif entry.kind == EntryKind.DOCUMENT and entry.target_id in docs:
            doc = docs[entry.target_id]
            hit = _document_hit(session, viewer, doc, cases.get(doc.case_id), texts, parsed, text)
        elif entry.kind == EntryKind.MESSAGE and entry.target_id in mails:
            hit = _message_hit(mails[entry.target_id], texts, parsed)
        else:
            continue  # the thing went away since it was indexed
        hit.dated_on, hit.is_voided, hit.status = entry.dated_on, entry.is_voided, entry.status
        hit.direction = entry.direction
        hits.append(hit)
    return hits


def _case_hit(session: Session, viewer, case: Case, parsed: ParsedQuery) -> Hit:
    audience = projection.audience_for(viewer, case)
    title = projection.case_title(case, audience)
    parties = [
        ", ".join(v for v in (p["name"], p["organisation"], p["email"]) if v)
        for p in projection.case_parties(case, audience)
    ]
    officer = session.get(User, case.officer_id) if case.officer_id else None
    fields = [(projection.case_description(case, audience), False)]
    fields += [(p, False) for p in parties]
    fields += [(officer.name if officer else None, False), (title, False)]
    fields.append((case.public_title, False))  # public: the holder finds it by it too
    found, _is_file = _first_snippet(fields, parsed)
    return Hit(EntryKind.CASE, case.id, case.number, title, found, case_id=case.id)


def _document_hit(session, viewer, doc: Document, case, texts, parsed, text) -> Hit:
    audience = projection.audience_for(viewer, case)
    title = projection.document_title(doc, audience)
    counterpart = projection.document_counterpart(doc, audience, case)
    fields = [(counterpart, False), (doc.kind, False)]
    if projection.may_open_files(doc, audience):
        fields += [(texts.get(f.sha256), True) for f in current_files(doc)]
    fields.append((title, False))
    found, is_file = _first_snippet(fields, parsed)
    if is_file and doc.is_secret:
        # The holder reads the secret document's words here: recorded like opening it.
        # The audit trail is read by admins who may not hold the secret: the words searched for
        # are recorded as their length only, as exports record them.
        open_file_for(session, doc, case, viewer, purpose={"search": {"q_chars": len(text or "")}})
    number = projection.document_number(doc, case)
    hit = Hit(EntryKind.DOCUMENT, doc.id, number, title, found, case_id=doc.case_id)
    hit.counterpart = counterpart
    return hit


def _message_hit(mail: MailMessage, texts, parsed) -> Hit:
    title = mail.subject or _("(no subject)")
    fields = [(mail.sender_label, False), (texts.get(mail.sha256), False), (title, False)]
    found, _is_file = _first_snippet(fields, parsed)
    hit = Hit(EntryKind.MESSAGE, mail.id, None, title, found)
    hit.counterpart = mail.sender_label
    return hit


# -- the e-diarium ------------------------------------------------------------------------------

PUBLIC = projection.Audience.PUBLIC


def build_public_hits(session: Session, entries: list, parsed: ParsedQuery) -> list:
    """The hits for ``entries`` (in order) as the public may see them: titles, parties and
    counterparts from the PUBLIC projection, never a file's text or a description."""
    doc_ids = [e.target_id for e in entries if e.kind == EntryKind.DOCUMENT]
    docs = {
        d.id: d
        for d in session.exec(
            select(Document).where(Document.id.in_(doc_ids)).options(selectinload(Document.party))
        )
    }
    case_ids = {e.target_id for e in entries if e.kind == EntryKind.CASE}
    case_ids |= {d.case_id for d in docs.values() if d.case_id}
    cases = {
        c.id: c
        for c in session.exec(
            select(Case)
            .where(Case.id.in_(case_ids))
            .options(selectinload(Case.parties).selectinload(CaseParty.party))
        )
    }
    hits = []
    for entry in entries:
        if entry.kind == EntryKind.CASE and entry.target_id in cases:
            hit = _public_case_hit(cases[entry.target_id], parsed)
        elif entry.kind == EntryKind.DOCUMENT and docs.get(entry.target_id) is not None:
            doc = docs[entry.target_id]
            if doc.case_id not in cases:
                continue  # löpande post is not public
            hit = _public_document_hit(doc, cases[doc.case_id], parsed)
        else:
            continue
        hit.dated_on, hit.is_voided, hit.status = entry.dated_on, entry.is_voided, entry.status
        hit.direction = entry.direction
        hits.append(hit)
    return hits


def _public_case_hit(case: Case, parsed: ParsedQuery) -> Hit:
    title = projection.case_title(case, PUBLIC)
    fields = [(title, False)]
    fields += [
        (", ".join(v for v in (p["name"], p["organisation"]) if v), False)
        for p in projection.case_parties(case, PUBLIC)
    ]
    if case.unit is not None:
        fields.append((case.unit.name, False))
    found, _is_file = _first_snippet(fields, parsed)
    return Hit(EntryKind.CASE, case.id, case.number, title, found, case_id=case.id)


def _public_document_hit(doc: Document, case: Case, parsed: ParsedQuery) -> Hit:
    title = projection.document_title(doc, PUBLIC)
    counterpart = projection.document_counterpart(doc, PUBLIC, case)
    found, _is_file = _first_snippet(
        [(title, False), (counterpart, False), (doc.kind, False)], parsed
    )
    hit = Hit(EntryKind.DOCUMENT, doc.id, projection.document_number(doc, case), title, found)
    hit.case_id, hit.counterpart = case.id, counterpart
    return hit

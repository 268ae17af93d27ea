"""Searching the index: what a user typed, as they may see it.

:func:`search` reads the text into tokens (:mod:`caseflow.search.tokens`), matches them
in ``open_text`` for everyone and in ``held_text`` only in the entries whose secrets the
viewer holds, applies the filters and the viewer's scope (löpande post for those who work
it, the mail queue for registrars), and returns one page of hits with the total counted
up to :data:`COUNT_CAP`. A case or document number in any spelling is also returned as
``direct``, for the page to go straight there.

Voided cases and documents are found and marked (``Hit.is_voided``), as the register
shows them; ``SearchQuery.include_voided=False`` leaves them out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, func, select

from caseflow.cases.models import Case
from caseflow.cases.services import number_format
from caseflow.cases.spellings import read_mention
from caseflow.common.permissions import (
    has_right,
    may_view_document,
    searchable_kinds,
)
from caseflow.documents.models import Document
from caseflow.search.matching import matched_entries
from caseflow.search.models import EntryKind, SearchEntry
from caseflow.search.tokens import ParsedQuery, parse_query

#: Totals are counted up to this many; beyond it the page says "more than 1,000".
COUNT_CAP = 1000
MAX_PER_PAGE = 100
ORDERS = ("relevance", "date")


@dataclass
class SearchQuery:
    text: str = ""
    #: Entry kinds to search (case, document, message); empty: all the viewer may.
    kinds: tuple[str, ...] = ()
    series: str | None = None
    year: int | None = None
    status: str | None = None
    direction: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    officer_id: int | None = None
    unit_id: int | None = None
    class_id: int | None = None
    include_voided: bool = True
    order: str = "relevance"
    page: int = 1
    per_page: int = 20


@dataclass
class Direct:
    """The case or document a typed number names."""

    kind: str
    target_id: int
    number: str


@dataclass
class SearchResults:
    hits: list
    #: Counted up to COUNT_CAP; ``is_capped`` when there are more.
    total: int
    is_capped: bool
    page: int
    pages: int
    per_page: int
    direct: Direct | None = None
    parsed: ParsedQuery = field(default_factory=ParsedQuery)


def _empty(query: SearchQuery, direct=None) -> SearchResults:
    return SearchResults([], 0, False, 1, 1, query.per_page, direct)


def scope_clause(viewer):
    """The entries ``viewer`` may find at all (by kind, not by text)."""
    may = searchable_kinds(viewer)
    allowed = []
    if may["case"]:
        allowed.append(SearchEntry.kind == EntryKind.CASE)
    if may["document"]:
        in_case = SearchEntry.case_id.is_not(None)
        allowed.append(
            sa.and_(
                SearchEntry.kind == EntryKind.DOCUMENT, in_case if not may["loose"] else sa.true()
            )
        )
    if may["message"]:
        allowed.append(SearchEntry.kind == EntryKind.MESSAGE)
    return sa.or_(*allowed) if allowed else sa.false()


def _filters(query: SearchQuery) -> list:
    where = []
    if query.kinds:
        where.append(SearchEntry.kind.in_(list(query.kinds)))
    for name in ("year", "status", "direction", "officer_id", "unit_id", "class_id"):
        value = getattr(query, name)
        if value not in (None, ""):
            where.append(getattr(SearchEntry, name) == value)
    if query.series:
        where.append(SearchEntry.series_code == query.series.strip().upper())
    if query.date_from:
        where.append(SearchEntry.dated_on >= query.date_from)
    if query.date_to:
        where.append(SearchEntry.dated_on <= query.date_to)
    if not query.include_voided:
        where.append(SearchEntry.is_voided.is_(False))
    return where


def _has_filters(query: SearchQuery) -> bool:
    """Whether the query narrows by more than the text (and voided or not)."""
    names = ("kinds", "series", "year", "status", "direction", "date_from", "date_to")
    names += ("officer_id", "unit_id", "class_id")
    return any(getattr(query, name) not in (None, "", ()) for name in names)


def search(session: Session, viewer, query: SearchQuery) -> SearchResults:
    """One page of what ``viewer`` finds for ``query``, with titles and snippets as they
    may see them; nothing at all for those without ``case.view``."""
    from caseflow.search.snippets import build_hits

    # The caller's query is left as given; a copy carries the page size actually used.
    query = _sized(query)
    if not has_right(viewer, "case.view"):
        return _empty(query)
    direct = find_direct(session, viewer, query.text)
    base = select(SearchEntry.id).where(scope_clause(viewer), *_filters(query))
    return _one_page(
        session,
        query,
        base,
        direct,
        lambda **kw: matched_entries(session, viewer, kw.pop("terms"), **kw),
        lambda entries, parsed: build_hits(session, viewer, entries, parsed, query.text),
    )


#: What the e-diarium lists: cases, and the documents registered in them (not löpande
#: post, not the mail queue).
PUBLIC_KINDS = (EntryKind.CASE, EntryKind.DOCUMENT)


def public_search(session: Session, query: SearchQuery) -> SearchResults:
    """One page of what anyone finds in the e-diarium for ``query``: words are matched in
    what the public may read only (``public_text``), and hits carry the public projection's
    titles and snippets. A number in any spelling is ``direct``."""
    from caseflow.search.snippets import build_public_hits

    kinds = tuple(k for k in query.kinds if k in PUBLIC_KINDS) or PUBLIC_KINDS
    query = _sized(replace(query, kinds=kinds, officer_id=None))
    direct = find_direct(session, None, query.text, public=True)
    in_case = sa.or_(SearchEntry.kind == EntryKind.CASE, SearchEntry.case_id.is_not(None))
    base = select(SearchEntry.id).where(in_case, *_filters(query))
    return _one_page(
        session,
        query,
        base,
        direct,
        lambda **kw: matched_entries(session, None, kw.pop("terms"), public=True, **kw),
        lambda entries, parsed: build_public_hits(session, entries, parsed),
    )


def _sized(query: SearchQuery) -> SearchQuery:
    return replace(query, per_page=min(max(1, int(query.per_page or 20)), MAX_PER_PAGE))


def _one_page(session: Session, query, base, direct, match, make_hits) -> SearchResults:
    """The page of ``base`` (entry ids in scope, filtered) that ``query``'s words match
    (``match(terms=…, ranked=…, among=…)`` gives the matching ids and scores), counted up
    to the cap, ordered by relevance or date; ``make_hits`` turns entries into hits."""
    parsed = parse_query(query.text)
    if parsed.is_empty and not _has_filters(query):  # nothing typed that can match
        return _empty(query, direct)
    stmt, counted = base, None
    if parsed.is_empty:
        order = (SearchEntry.dated_on.desc(), SearchEntry.id.desc())
        score = sa.literal(0.0)
    else:
        ranked = query.order != "date"
        matched = match(terms=parsed.terms, ranked=False)
        stmt = base.join(matched, matched.c.id == SearchEntry.id)
        if ranked:
            # The newest matches (highest entry ids: registered last), counted up to the
            # cap; a common word has only its newest COUNT_CAP scored and ordered, not all
            # (at a million documents a word in a fifth of them is 200,000 scores to sort).
            # Each arm of the match is read newest first on its own: a union of them would
            # be gathered in full before its newest could be known.
            newest = sorted(
                {
                    found
                    for arm in match(terms=parsed.terms, ranked=False, arms=True)
                    for found in session.exec(
                        base.join(arm, arm.c.id == SearchEntry.id)
                        .order_by(arm.c.id.desc())
                        .limit(COUNT_CAP + 1)
                    ).all()
                },
                reverse=True,
            )[: COUNT_CAP + 1]
            counted = len(newest)
            among = list(newest[:COUNT_CAP]) if counted > COUNT_CAP else None
            matched = match(terms=parsed.terms, among=among)
            stmt = base.join(matched, matched.c.id == SearchEntry.id)
        score = matched.c.score
        order = (
            (score, SearchEntry.dated_on.desc(), SearchEntry.id.desc())
            if query.order != "date"
            else (SearchEntry.dated_on.desc(), SearchEntry.id.desc())
        )
    if counted is None:
        counted = session.exec(
            select(func.count()).select_from(stmt.limit(COUNT_CAP + 1).subquery())
        ).one()
    total, capped = min(counted, COUNT_CAP), counted > COUNT_CAP
    pages = max(1, math.ceil(total / query.per_page))
    page = min(max(1, int(query.page or 1)), pages)
    rows = session.execute(
        stmt.add_columns(score)
        .order_by(*order)
        .offset((page - 1) * query.per_page)
        .limit(query.per_page)
    ).all()
    ids = [row[0] for row in rows]
    entries = {e.id: e for e in session.exec(select(SearchEntry).where(SearchEntry.id.in_(ids)))}
    hits = make_hits([entries[r[0]] for r in rows], parsed)
    return SearchResults(hits, total, capped, page, pages, query.per_page, direct, parsed)


# -- numbers -----------------------------------------------------------------------------------

_DOCUMENT_NUMBER = re.compile(r"^(?P<case>.*\d)\s*-\s*(?P<seq>\d{1,9})$")
_SEQ_YEAR = re.compile(r"^(?P<seq>\d{1,9})\s*/\s*(?P<year>(?:199|20\d)\d)$")


def _case_for(session: Session, text: str) -> Case | None:
    """The case ``text`` names as a number in any spelling: RS/720/2021, RS 720/2021,
    rs-720-2021, Dnr RS/720/2021; without a series (720/2021, 2021/720) only when one
    case has that running number and year."""
    fmt = number_format()
    mention = read_mention(text, fmt)
    if mention is not None and mention.series is not None:
        return session.exec(select(Case).where(Case.number == mention.format(fmt))).first()
    if mention is not None:
        seq, year = mention.seq, mention.year
    elif (match := _SEQ_YEAR.match(text)) is not None:
        seq, year = int(match["seq"]), int(match["year"])
    else:
        return None
    found = session.exec(select(Case).where(Case.seq == seq, Case.year == year).limit(2)).all()
    return found[0] if len(found) == 1 else None


def find_direct(
    session: Session, viewer, text: str | None, *, public: bool = False
) -> Direct | None:
    """The case or document a typed number names, if the viewer may open it; with
    ``public``, any case and any document registered in a case (the e-diarium lists
    every one, secrets masked)."""
    text = re.sub(r"\s+", " ", (text or "").strip())
    if not text or len(text) > 60 or not any(c.isdigit() for c in text):
        return None
    match = _DOCUMENT_NUMBER.match(text)
    if match is not None:
        case = _case_for(session, match["case"])
        if case is not None:
            doc = session.exec(
                select(Document).where(
                    Document.case_id == case.id, Document.seq == int(match["seq"])
                )
            ).first()
            seen = set()
            while doc is not None and doc.moved_to_id is not None and doc.id not in seen:
                seen.add(doc.id)  # an old number of a moved document names the document
                doc = session.get(Document, doc.moved_to_id)
            if doc is not None:
                home = session.get(Case, doc.case_id) if doc.case_id else None
                allowed = home is not None if public else may_view_document(viewer, home)
                if allowed:
                    number = f"{home.number}-{doc.seq}" if home else f"{case.number}-{match['seq']}"
                    return Direct(EntryKind.DOCUMENT, doc.id, number)
                return None
    case = _case_for(session, text)
    if case is not None and (public or has_right(viewer, "case.view")):
        return Direct(EntryKind.CASE, case.id, case.number)
    return None


# -- for the lower domains' lists (registered in init_app) -----------------------------------


def case_text_clause(session: Session, viewer, q: str):
    """The case list's text search through the index: a SQL truth over ``Case``, the
    viewer's secrecy applied (registered with ``cases.queries.register_text_search``)."""
    parsed = parse_query(q)
    if parsed.is_empty:
        return sa.false()
    matched = matched_entries(session, viewer, parsed.terms, ranked=False)
    # IN, not a join: joined, SQLite walks the case entries by kind and runs the whole
    # MATCH again for each one (956 → 24 ms p95 at 20,000 cases, bench/search.py).
    ids = select(SearchEntry.target_id).where(
        SearchEntry.id.in_(select(matched.c.id)), SearchEntry.kind == EntryKind.CASE
    )
    return Case.id.in_(ids)

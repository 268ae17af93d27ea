"""The mail queue's "similar titles" through the index (registered with the mail queue).

The words of a subject are matched, any of them, against the open words of open, not
voided cases; the candidates are then scored by how many of the subject's stems their
visible title holds, so "Synpunkter på handlingsplanen" meets "Regional handlingsplan".
Secret titles are never suggested (the suggestion is shown beside mail anyone in the
queue may read).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from caseflow.cases.models import Case, CaseStatus
from caseflow.search.models import EntryKind, SearchEntry
from caseflow.search.tokens import Term, fts5_term, tokens, tsquery_term

#: How many best-matching cases are weighed by their titles.
CANDIDATES = 30


def _any_word(session: Session, stems: list[str]):
    """A subquery (id, score) of entries whose open words hold any of ``stems``."""
    terms = [Term("word", (s,)) for s in stems]
    if session.get_bind().dialect.name == "sqlite":
        match = "{open_text} : (" + " OR ".join(fts5_term(t) for t in terms) + ")"
        sql = (
            "SELECT rowid AS id, bm25(search_fts) AS score "
            "FROM search_fts WHERE search_fts MATCH :q"
        )
    else:
        match = " | ".join(tsquery_term(t) for t in terms)
        sql = (
            "SELECT id, -ts_rank(open_tsv, to_tsquery('simple', :q)) AS score "
            "FROM search_entry WHERE open_tsv @@ to_tsquery('simple', :q)"
        )
    return sa.text(sql).bindparams(q=match).columns(id=sa.Integer, score=sa.Float).subquery("m")


def similar_case_titles(session: Session, words: list[str], *, limit: int) -> list[tuple[str, int]]:
    """(number, how many of ``words`` its title shares) for the open cases whose titles
    share most of them, best first."""
    stems = list(dict.fromkeys(t for w in words for t in tokens(w)))
    if not stems:
        return []
    matched = _any_word(session, stems)
    ids = session.exec(
        select(SearchEntry.target_id)
        .join(matched, matched.c.id == SearchEntry.id)
        .where(
            SearchEntry.kind == EntryKind.CASE,
            SearchEntry.is_voided.is_(False),
            SearchEntry.status.in_(CaseStatus.open_states()),
        )
        .order_by(matched.c.score, SearchEntry.id.desc())
        .limit(CANDIDATES)
    ).all()
    cases = session.exec(
        select(Case).where(Case.id.in_(ids), Case.title_is_secret.is_(False))
    ).all()
    scored = [(len(set(stems) & set(tokens(c.title))), c.id, c.number) for c in cases]
    scored.sort(key=lambda row: (-row[0], -row[1]))
    return [(number, count) for count, _id, number in scored if count][:limit]

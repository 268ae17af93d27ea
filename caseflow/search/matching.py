"""Matching words in the full-text index, for one reader.

:func:`matched_entries` gives the ids (and a score) of the index entries whose words match
every term of a query, in the columns the reader may match in: ``open_text`` for everyone,
``held_text`` too in the entries whose secrets the reader holds, ``public_text`` alone for
the e-diarium — on SQLite through FTS5, on PostgreSQL through the ``tsvector`` columns.
Only caseflow's own SQL is put together here; what a user typed is in bind parameters.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlmodel import Session

from caseflow.common.permissions import secrets_held
from caseflow.search.tokens import Term, fts5_match, fts5_term, tsquery, tsquery_term


def matched_entries(
    session: Session,
    viewer,
    terms: list[Term],
    *,
    ranked: bool = True,
    among: list[int] | None = None,
    public: bool = False,
    arms: bool = False,
):
    """A subquery (id, score) of the entries matching every term for ``viewer``: in
    ``open_text``, or in either column where the viewer holds the entry's secrets; with
    ``public``, in ``public_text`` only (the e-diarium). A lower score is a better match on
    both databases; ``ranked=False`` (ordering by date, counting) leaves the score 0 and
    saves computing it for every match. With ``among`` (the ids of the newest matches, as
    :func:`search` finds them) only those are scored. With ``arms``, a list of disjoint
    subqueries whose union is the match (each can be read newest first on its own)."""
    scope = "public" if public else secrets_held(viewer)
    me = getattr(viewer, "id", None)
    if session.get_bind().dialect.name == "sqlite":
        # FTS5 starts reading its doclists at a rowid; a list of rowids would make it run
        # the MATCH once per id. The newest matches are the ids from the smallest of them
        # on (the caller joins the filters again).
        texts = _fts5_matches(terms, scope, me, ranked, min(among) if among else None)
    else:
        texts = [_tsquery_matches(terms, scope, me, ranked, among)]
    subqueries = [_subquery(sql, params, f"m{n}") for n, (sql, params) in enumerate(texts)]
    if arms:
        return subqueries
    if len(texts) == 1:
        return subqueries[0]
    union = " UNION ALL ".join(f"SELECT id, score FROM ({sql})" for sql, _p in texts)  # noqa: S608
    merged = {k: v for _sql, params in texts for k, v in params.items()}
    # The arms' parameters share names only where they share values (min_id, me).
    return _subquery(union, merged, "m")


def _subquery(sql: str, params: dict, name: str):
    # Only our own SQL is put together; the user's words are in bind parameters.
    params = {k: v for k, v in params.items() if re.search(rf":{k}\b", sql)}
    return sa.text(sql).bindparams(**params).columns(id=sa.Integer, score=sa.Float).subquery(name)


#: bm25's weights of open_text, held_text and public_text: a hit is ranked only by the
#: column it was allowed to match in, so not even the order of hits depends on words the
#: reader may not see.
_WEIGHTS = {"all": "1.0, 1.0, 0.0", "none": "1.0, 0.0, 0.0", "public": "0.0, 0.0, 1.0"}
_FTS_RANKED = (
    "SELECT rowid AS id, bm25(search_fts, {weights}) AS score FROM search_fts "
    "WHERE search_fts MATCH "
)
_FTS_PLAIN = "SELECT rowid AS id, 0.0 AS score FROM search_fts WHERE search_fts MATCH "
#: An official's own entries whose words are not all in their open column: the matches
#: with at least one word in ``held_text`` (few: secrets are rare), less those matching in
#: the open column (found by the other arm), kept where the entry is the official's. The
#: match is materialised once: left to itself, SQLite drives from the official's entries
#: and asks FTS5 again for each rowid (0.4 s for a rare word at 120,000 entries).
_OWN_HELD = (
    "SELECT * FROM (WITH h AS MATERIALIZED (SELECT rowid AS id, {score} AS score "
    "FROM search_fts WHERE search_fts MATCH :held_q) "
    "SELECT h.id, h.score FROM h JOIN search_entry e ON e.id = h.id "
    "WHERE e.officer_id = :me AND e.case_id IS NOT NULL)"
)

_STAFF_COLUMNS = ("open_text", "held_text")


def _fts5_matches(terms: list[Term], scope: str, me, ranked: bool, min_id: int | None = None):
    """The matching (id, score) as one or more disjoint SQL texts ("arms")."""
    weights = _WEIGHTS["none" if scope == "own" else scope]
    head = _FTS_RANKED.format(weights=weights) if ranked else _FTS_PLAIN
    open_q = fts5_match(terms, ("open_text",))
    if scope == "all":
        arms = [(head + ":q", {"q": fts5_match(terms, _STAFF_COLUMNS)})]
    elif scope == "public":
        arms = [(head + ":q", {"q": fts5_match(terms, ("public_text",))})]
    elif scope == "own":
        # An official finds every entry by its open words (ranked by those alone, so not
        # even the order of others' hits depends on words they may not see), and their own
        # entries by words in either column: two disjoint arms, each readable newest first.
        in_held = "{held_text} : (" + " OR ".join(fts5_term(t) for t in terms) + ")"
        held_q = f"(({fts5_match(terms, _STAFF_COLUMNS)}) AND ({in_held})) NOT ({open_q})"
        score = f"bm25(search_fts, {_WEIGHTS['all']})" if ranked else "0.0"
        arms = [
            (head + ":q", {"q": open_q}),
            (_OWN_HELD.format(score=score), {"held_q": held_q, "me": me}),
        ]
    else:
        arms = [(head + ":q", {"q": open_q})]
    if min_id is not None:
        arms = [
            (
                sql.replace(
                    "WHERE search_fts MATCH", "WHERE rowid >= :min_id AND search_fts MATCH"
                ),
                {**params, "min_id": min_id},
            )
            for sql, params in arms
        ]
    return arms


def _tsquery_matches(terms: list[Term], scope: str, me, ranked: bool, among=None):
    params = {"open_q": tsquery(terms), "rank_q": " | ".join(tsquery_term(t) for t in terms)}
    # Every term in either column (a holder's words may sit in both): one condition a term.
    both = []
    for n, term in enumerate(terms):
        params[f"t{n}"] = tsquery_term(term)
        q = f"to_tsquery('simple', :t{n})"
        both.append(f"(open_tsv @@ {q} OR held_tsv @@ {q})")
    both_sql = " AND ".join(both)
    rank_open = "ts_rank(open_tsv, to_tsquery('simple', :rank_q))"
    rank_held = "ts_rank(held_tsv, to_tsquery('simple', :rank_q))"
    open_match = "open_tsv @@ to_tsquery('simple', :open_q)"
    if scope == "public":
        where = "public_tsv @@ to_tsquery('simple', :open_q)"
        score = "-ts_rank(public_tsv, to_tsquery('simple', :rank_q))"
    elif scope == "all":
        where, score = both_sql, f"-({rank_open} + {rank_held})"
    elif scope == "own":
        own = "officer_id = :me AND case_id IS NOT NULL"
        params["me"] = me
        where = f"{open_match} OR ({own} AND {both_sql})"
        score = f"-({rank_open} + CASE WHEN {own} THEN {rank_held} ELSE 0 END)"
    else:
        where, score = open_match, f"-{rank_open}"
    if not ranked:
        score = "0.0"
    if among:
        where, params["among"] = f"id = ANY(:among) AND ({where})", list(among)
    # Only our own SQL is put together; the user's words are in bind parameters.
    return f"SELECT id, {score} AS score FROM search_entry WHERE {where}", params  # noqa: S608

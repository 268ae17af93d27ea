"""The token contract: one tokeniser and one Swedish Snowball stemmer for both databases.

Every word of indexed text is NFC-normalised, case-folded, split on Unicode letters and
digits (``[^\\W_]+``) and stemmed with Snowball's ``swedish`` algorithm (PyStemmer, the C
libstemmer: ~6 million tokens/s here against ~190,000 for the pure-Python
snowballstemmer, with the same output). The index columns hold these tokens joined by
spaces; SQLite's FTS5 and PostgreSQL's ``simple`` configuration only split them again.
What a user types is read by :func:`parse_query` into the same tokens, and the MATCH and
tsquery strings are built from those tokens only — user text never reaches SQL.

å, ä and ö stay letters of their own ("har" is not "här"). Irregular forms Snowball does
not join (ansökan / ansökningar) are a known limit.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field

import Stemmer

_WORD = re.compile(r"[^\W_]+")
#: What a user may type: longer input is cut (a pasted page is no query).
MAX_QUERY_CHARS = 500
MAX_TERMS = 16
#: A prefix shorter than this would match half the index: it is read as a word instead.
MIN_PREFIX = 2
#: A token longer than this is no word (a hash, a base64 blob): not indexed.
MAX_TOKEN = 60

# A PyStemmer object must not be shared between threads (web server threads, jobs).
_local = threading.local()


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("swedish")
    return stemmer


def words(text: str | None) -> list[str]:
    """The words of ``text``, normalised and case-folded, not stemmed."""
    if not text:
        return []
    folded = unicodedata.normalize("NFC", text).casefold()
    return [w for w in _WORD.findall(folded) if len(w) <= MAX_TOKEN]


def stem(word: str) -> str:
    """One folded word's stem ("beslutet" → "beslut")."""
    return _stemmer().stemWord(word)


def tokens(text: str | None) -> list[str]:
    """The stemmed tokens of ``text``, in order."""
    found = words(text)
    return _stemmer().stemWords(found) if found else []


def index_text(*parts) -> str:
    """The index column for ``parts`` (strings or None): their tokens joined by spaces."""
    return " ".join(t for part in parts if part for t in tokens(str(part)))


# -- what a user types ---------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One thing every hit must contain: a word (its stem), a phrase (stems in a row) or a
    prefix (tokens starting with any of ``stems``: the raw prefix and its stem)."""

    kind: str  # "word" | "phrase" | "prefix"
    stems: tuple[str, ...]


@dataclass
class ParsedQuery:
    terms: list[Term] = field(default_factory=list)
    #: The stems a snippet marks, and the prefixes it marks the words of.
    highlight_stems: set[str] = field(default_factory=set)
    highlight_prefixes: set[str] = field(default_factory=set)

    @property
    def is_empty(self) -> bool:
        return not self.terms


_QUOTED = re.compile(r'"([^"]*)"?')


def parse_query(text: str | None) -> ParsedQuery:
    """Read what a user typed: words (stemmed, all required), "quoted phrases", and
    ``samverk*`` prefixes. Anything else (operators, brackets, stray quotes) is just
    separators between words, so no input can make a query fail."""
    text = unicodedata.normalize("NFC", (text or "")[:MAX_QUERY_CHARS])
    query = ParsedQuery()
    rest = []
    pos = 0
    for match in _QUOTED.finditer(text):
        rest.append(text[pos : match.start()])
        pos = match.end()
        _add_words(query, words(match.group(1)), as_phrase=True)
    rest.append(text[pos:])
    for chunk in " ".join(rest).split():
        found = words(chunk)
        if not found:
            continue
        if chunk.rstrip().endswith("*") and chunk.rstrip("*")[-1:].isalnum():
            *before, last = found
            _add_words(query, before, as_phrase=False)
            _add_prefix(query, last)
        else:
            # "e-post", "RS/720/2021": one chunk of several words is a phrase, as written.
            _add_words(query, found, as_phrase=len(found) > 1)
    del query.terms[MAX_TERMS:]
    return query


def _add_words(query: ParsedQuery, found: list[str], *, as_phrase: bool) -> None:
    if not found:
        return
    stems = tuple(_stemmer().stemWords(found))
    query.highlight_stems.update(stems)
    if as_phrase and len(stems) > 1:
        _append(query, Term("phrase", stems))
    else:
        for s in stems:
            _append(query, Term("word", (s,)))


def _add_prefix(query: ParsedQuery, raw: str) -> None:
    if len(raw) < MIN_PREFIX:
        _add_words(query, [raw], as_phrase=False)
        return
    stemmed = stem(raw)
    # A prefix that another prefix starts with adds nothing ("samverk" covers "samverka").
    options = sorted({raw, stemmed}, key=len)
    if len(options) == 2 and options[1].startswith(options[0]):
        options = options[:1]
    query.highlight_prefixes.update(options)
    _append(query, Term("prefix", tuple(options)))


def _append(query: ParsedQuery, term: Term) -> None:
    if term not in query.terms:
        query.terms.append(term)


# -- the two query languages, built from tokens only -----------------------------------------
# Tokens are letters and digits only (``[^\W_]+``), so quoting them cannot be broken out of.


def fts5_term(term: Term) -> str:
    """One term in FTS5's query syntax (without a column filter)."""
    if term.kind == "prefix":
        options = [f'"{s}" *' for s in term.stems]
        return options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")"
    return '"' + " ".join(term.stems) + '"'


def fts5_match(terms: list[Term], columns: tuple[str, ...] | None = None) -> str:
    """An FTS5 MATCH string requiring every term, in ``columns`` (None: any column)."""
    body = " AND ".join(fts5_term(t) for t in terms)
    if columns is None:
        return body
    return "{" + " ".join(columns) + "} : (" + body + ")"


def tsquery_term(term: Term) -> str:
    """One term in PostgreSQL's ``to_tsquery`` syntax."""
    if term.kind == "prefix":
        options = [f"'{s}':*" for s in term.stems]
        return options[0] if len(options) == 1 else "(" + " | ".join(options) + ")"
    if term.kind == "phrase":
        return "(" + " <-> ".join(f"'{s}'" for s in term.stems) + ")"
    return f"'{term.stems[0]}'"


def tsquery(terms: list[Term]) -> str:
    """A ``to_tsquery('simple', …)`` string requiring every term."""
    return " & ".join(tsquery_term(t) for t in terms)


def matches_highlight(word: str, query: ParsedQuery) -> bool:
    """Whether a folded ``word`` of shown text is one the query asked for."""
    if stem(word) in query.highlight_stems:
        return True
    return any(word.startswith(p) or stem(word).startswith(p) for p in query.highlight_prefixes)

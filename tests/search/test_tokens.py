"""The token contract: one tokeniser and Swedish stemmer for both databases, and what a
user types read into tokens only — no input reaches SQL as it was typed."""

from __future__ import annotations

import re

from caseflow.search.tokens import (
    MAX_TERMS,
    fts5_match,
    index_text,
    parse_query,
    tokens,
    tsquery,
)


def test_inflected_swedish_forms_share_a_stem():
    assert len(set(tokens("beslut beslutet besluten"))) == 1
    assert len(set(tokens("förening föreningar Föreningarna"))) == 1


def test_a_ring_and_umlauts_stay_letters_of_their_own():
    assert tokens("har") != tokens("här")
    assert tokens("Östersund") == tokens("östersund") != tokens("ostersund")


def test_numbers_are_tokens_and_punctuation_splits():
    assert index_text("RS/720/2021-3") == "rs 720 2021 3"
    assert index_text(None, "", "e-post") == "e post"


def test_text_is_normalised_before_it_is_split():
    decomposed = "fo\u0308rening"  # "förening" with a combining diaeresis
    assert tokens(decomposed) == tokens("förening")


def test_words_phrases_and_prefixes_are_read():
    parsed = parse_query('beslutet "hybridarbete i Östersund" samverk*')
    kinds = [t.kind for t in parsed.terms]
    assert kinds == ["phrase", "word", "prefix"]
    assert parsed.terms[1].stems == tuple(tokens("beslut"))
    assert parsed.terms[2].stems == ("samverk",)


def test_a_prefix_matches_its_raw_letters_or_its_stem():
    # "föreningar*": the stem "förening" is a prefix of the raw form; one option suffices.
    assert parse_query("föreningar*").terms[0].stems == ("förening",)


def test_hostile_input_becomes_quoted_tokens_only():
    hostile = [
        'NEAR(a b) AND OR NOT -x ^y col:z "unbalanced',
        "'; DROP TABLE case_file; --",
        '")) OR 1=1 --',
        "{open_text held_text} : secret",
        "a* * ** \"\" '' ::",
        "ö" * 5000,
        "x " * 400,
        "\x00\x1b[31m",
    ]
    for text in hostile:
        parsed = parse_query(text)
        assert len(parsed.terms) <= MAX_TERMS
        if parsed.is_empty:
            continue
        match = fts5_match(parsed.terms, ("open_text",))
        body = match.split(": (", 1)[1]
        # Every quoted string is letters and digits; outside them only our own syntax.
        assert re.fullmatch(r'(?:\(|\)|"[^\W_ ]+(?: [^\W_]+)*"|\*| |AND|OR)+', body)
        assert re.fullmatch(r"(?:[()&|<>:*\- ]|'[^\W_]+')+", tsquery(parsed.terms))


def test_a_column_filter_cannot_be_typed():
    parsed = parse_query("held_text : MRKSECRET")
    assert fts5_match(parsed.terms, ("open_text",)).startswith("{open_text} : (")
    assert all(":" not in s for t in parsed.terms for s in t.stems)

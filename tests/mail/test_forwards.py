"""Forwarded header blocks and the dates mail clients write in them."""

from datetime import UTC, datetime, timedelta

import pytest

from caseflow.mail.forwards import (
    LOCAL_TZ,
    find_header_blocks,
    has_forward_marker,
    innermost_forward,
    parse_loose_date,
    split_name_address,
)
from tests.support import assert_linear


def local(*args) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("den 17 mars 2021 18:20", local(2021, 3, 17, 18, 20)),
        ("onsdag den 17 mars 2021 18:20", local(2021, 3, 17, 18, 20)),
        ("den 5 maj 2021 kl. 07:45", local(2021, 5, 5, 7, 45)),
        ("ons 17 mars 2021 kl 18:20", local(2021, 3, 17, 18, 20)),
        ("17 okt. 2021 09:05", local(2021, 10, 17, 9, 5)),
        ("Wednesday, March 17, 2021 6:20 PM", local(2021, 3, 17, 18, 20)),
        ("Wednesday, March 17, 2021 12:05 AM", local(2021, 3, 17, 0, 5)),
        ("Wednesday, 17 March 2021 18:20", local(2021, 3, 17, 18, 20)),
        ("Wed, Mar 17, 2021 at 6:20 PM", local(2021, 3, 17, 18, 20)),
        ("17 March 2021 at 18:20:00 CET", datetime(2021, 3, 17, 17, 20, tzinfo=UTC)),
        ("Mittwoch, 17. März 2021 18:20", local(2021, 3, 17, 18, 20)),
        ("2021-03-19 09:16:07", local(2021, 3, 19, 9, 16, 7)),
        ("fre 2021-03-19 09:16", local(2021, 3, 19, 9, 16)),
        ("2021-03-19T09:16:07+02:00", datetime(2021, 3, 19, 7, 16, 7, tzinfo=UTC)),
        ("Wed, 17 Mar 2021 18:20:00 +0100", datetime(2021, 3, 17, 17, 20, tzinfo=UTC)),
        ("Mon, 8 Feb 2021 08:30:00 +0000", datetime(2021, 2, 8, 8, 30, tzinfo=UTC)),
        ("den 1 februari 2021", local(2021, 2, 1)),
        ("igår eftermiddag", None),
        ("den 31 februari 2021 10:00", None),
        ("2021-13-40 25:61", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_loose_date(text, expected):
    parsed = parse_loose_date(text)
    assert parsed == expected
    if parsed is not None:
        assert parsed.tzinfo is not None


def test_summer_time_is_swedish_summer_time():
    parsed = parse_loose_date("den 5 maj 2021 07:45")
    assert parsed.utcoffset() == timedelta(hours=2)
    assert parse_loose_date("2021-05-05 07:45 +0000").tzinfo == UTC


@pytest.mark.parametrize(
    ("value", "name", "address"),
    [
        ("Löfgren Susanna <s.lofgren@lst.example>", "Löfgren Susanna", "s.lofgren@lst.example"),
        (
            '"Byström, Anders" <Anders.Bystrom@RegionJH.se>',
            "Byström, Anders",
            "anders.bystrom@regionjh.se",
        ),
        ("Kim Ek [mailto:kim.ek@example.org]", "Kim Ek", "kim.ek@example.org"),
        ("Kim Ek <kim.ek@example.org<mailto:kim.ek@example.org>>", "Kim Ek", "kim.ek@example.org"),
        ("*Olle Nyberg* <olle@example.com>", "Olle Nyberg", "olle@example.com"),
        ("olle@example.com", None, "olle@example.com"),
        ("Byström Anders", "Byström Anders", None),
        ("", None, None),
    ],
)
def test_split_name_address(value, name, address):
    assert split_name_address(value) == (name, address)


def test_a_memo_with_from_and_to_is_no_forward():
    memo = "Från: Socialnämnden\nTill: Regionstyrelsen\n\nYttrande över remissen."
    assert find_header_blocks(memo) == []
    assert innermost_forward(memo) is None


def test_blocks_without_blank_lines_between_them_are_split():
    text = (
        "From: A <a@example.se>\nSent: 2021-03-19 09:16\nSubject: x\n"
        "From: B <b@example.se>\nSent: 2021-03-18 09:16\nSubject: y\n"
    )
    blocks = find_header_blocks(text)
    assert [block.fields["from"] for block in blocks] == ["A <a@example.se>", "B <b@example.se>"]
    assert innermost_forward(text).original_from_address == "b@example.se"


def test_quoted_blocks_and_wrapped_recipients():
    text = (
        "> Från: Löfgren Susanna <susanna.lofgren@lansstyrelsen.se>\n"
        "> Skickat: den 17 mars 2021 18:20\n"
        "> Till: Anders Byström <anders.bystrom@regionjh.se>; Emma Borg\n"
        "    <emma.borg@regionjh.se>\n"
        "> Ämne: myndighetsnätverket\n"
    )
    forward = innermost_forward(text)
    assert forward.original_from_address == "susanna.lofgren@lansstyrelsen.se"
    assert forward.original_to == ["anders.bystrom@regionjh.se", "emma.borg@regionjh.se"]
    assert forward.original_subject == "myndighetsnätverket"


@pytest.mark.parametrize(
    "line",
    [
        "---------- Forwarded message ---------",
        "-------- Forwarded Message --------",
        "-------- Vidarebefordrat meddelande --------",
        "---------- Weitergeleitete Nachricht ----------",
        "Begin forwarded message:",
        "Början på vidarebefordrat meddelande:",
    ],
)
def test_forward_markers(line):
    assert has_forward_marker(f"Hej\n\n{line}\nFrom: x")
    assert not has_forward_marker(f"Hej, {line} kom i går")


@pytest.mark.parametrize(
    "make_text, size",
    [
        (lambda n: "\n" * n, 10_000),
        (lambda n: " \n" * n, 5_000),
        (lambda n: "From: " + " " * n, 10_000),
        (lambda n: "> " * n, 10_000),
        (lambda n: "From: a\nTo: b\n\nx\n" * n, 1_000),
        (lambda n: "Från: a\n" + " x\n" * n, 2_500),
        (lambda n: "-" * n, 10_000),
    ],
    ids=["blank lines", "spaces", "one long header", "quotes", "headers", "folded", "dashes"],
)
def test_blocks_are_found_in_linear_time(make_text, size):
    # mail-parser-reply's EmailReplyParser.read() needs ~30 s for 20,000 blank lines.
    def find(text):
        find_header_blocks(text)
        has_forward_marker(text)

    assert_linear(find, make_text, size)

"""Case numbers in subjects and bodies: whole numbers only, written the ways people write them."""

import pytest

from caseflow.mail.numbers import find_case_numbers, strip_subject_prefixes, subject_prefixes
from tests.support import assert_linear


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("RS/720/2021", ["RS/720/2021"]),
        ("RS 720/2021", ["RS/720/2021"]),
        ("rs/720/2021", ["RS/720/2021"]),
        ("[RS/720/2021] Budget", ["RS/720/2021"]),
        ("Dnr RS/720/2021", ["RS/720/2021"]),
        ("Dnr: RS 720/2021", ["RS/720/2021"]),
        ("(RS/720/2021)", ["RS/720/2021"]),
        ("ärende RS/720/2021.", ["RS/720/2021"]),
        ("RS/72/2021", ["RS/72/2021"]),
        ("RS/720/2021 och RS/72/2021", ["RS/720/2021", "RS/72/2021"]),
        ("RS/0720/2021 RS/720/2021", ["RS/720/2021"]),
        ("häl 12/2021", ["HÄL/12/2021"]),
        ("ÅÄÖABC/1/1990", ["ÅÄÖABC/1/1990"]),
        ("KS 44/2099", ["KS/44/2099"]),
        # Not numbers: too long, not whole, wrong year, dashes, words that are no series.
        ("RS/720/20211", []),
        ("RS/720/2021/3", []),
        ("RS/720/2021x", []),
        ("XRS/720/2021a", []),
        ("ABCDEFG/720/2021", []),
        ("RS/720/1989", []),
        ("RS/720/2100", []),
        ("RS-720-2021", []),
        ("Dnr: RS-720-2021", []),
        ("RS720/2021", []),
        ("https://example.se/rs/720/2021", []),
        ("vecka 12/2021", []),
        ("nr 5/2021", []),
        ("Dnr 720/2021", []),
        ("RS\n720/2021", []),
        ("", []),
    ],
)
def test_find_case_numbers(text, numbers):
    assert find_case_numbers(text) == numbers


@pytest.mark.parametrize(
    ("subject", "stripped", "prefixes"),
    [
        ("SV: VB: rs 720/2021", "rs 720/2021", ["sv", "vb"]),
        ("Re: Re[2]: Fwd: Ansökan", "Ansökan", ["re", "re", "fwd"]),
        ("AW: WG: Anfrage", "Anfrage", ["aw", "wg"]),
        ("FW:FW: x", "x", ["fw", "fw"]),
        ("Vb: Sv: x", "x", ["vb", "sv"]),
        ("Antw: x", "x", ["antw"]),
        ("[RS/720/2021] SV: x", "[RS/720/2021] SV: x", []),
        ("Svar på remiss", "Svar på remiss", []),
        ("Revision: budget", "Revision: budget", []),
        ("  ", "", []),
    ],
)
def test_subject_prefixes(subject, stripped, prefixes):
    assert strip_subject_prefixes(subject) == stripped
    assert subject_prefixes(subject) == prefixes


def test_a_long_text_is_scanned_in_linear_time():
    def text(n):
        return ("RS " * (2 * n)) + "RS/720/2021 " + ("a/" * n)

    assert find_case_numbers(text(100_000)) == ["RS/720/2021"]
    assert_linear(find_case_numbers, text, 5_000)

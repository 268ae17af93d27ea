"""The one reader of case numbers (diarienummer) as people write them.

Mail intake (subjects and bodies), the case search and the CLI all read numbers here.
Each number found is a :class:`Mention`: its series (None when left out), running
number and year, and whether it is *certain*:

- certain: series, running number and year in that order, written ``RS/720/2021``,
  ``RS 720/2021``, ``rs/720/2021``, ``[RS/720/2021]``, ``Dnr RS/720/2021`` — or exactly
  in the organisation's own format (``CASE_NUMBER_FORMAT``). Mail with exactly one
  certain number in its subject may be filed by it.
- not certain: the other common spellings — with dashes (``RS-720-2021``,
  ``RS 720-2021``), year first (``RS 2021/720``, ``RS-2021-720``, ``2021/720``). They
  are offered to the registrar as suggestions, never used to file by themselves: a wrong
  filing is worse than a queued mail.

Only whole numbers are read: ``RS/72/2021`` is not ``RS/720/2021``, ``RS/720/20211`` is
none, a path (``/rs/720/2021``) or a date (``2021-12-03``) is none. The series is 1–6
letters (Swedish letters too), the year 1990–2099; words such as "vecka" or "nr" before
a number are no series.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_FORMAT = "{series}/{seq}/{year}"

_LETTER = "A-Za-zÅÄÖåäö"

#: Words that are never a series even when a number follows (``vecka 12/2021``, ``nr 5/2021``).
NOT_A_SERIES = frozenset({
    "DNR", "DIANR", "NR", "NO", "NUM", "VECKA", "VECK", "V", "W", "WEEK", "SIDA", "S", "SID",
    "PAGE", "P", "PKT", "PUNKT", "MÅL", "ÄRENDE", "DAG", "DEN", "DATUM", "KL", "CA", "ÅR",
    "AV", "OCH", "I", "PÅ", "TILL", "FRÅN", "OM", "FÖR", "MED", "EJ", "ID", "REF", "CASE",
    "ISSUE", "SFS", "BILAGA", "BIL", "NUMMER", "LÖPNR", "UTGÅVA", "VERSION", "VER", "AND",
    "OR", "THE", "OF", "TO", "FROM", "FOR", "NOTE", "SE", "OBS",
})  # fmt: skip

_MENTION = re.compile(
    rf"(?<![{_LETTER}0-9_/\-.])"  # starts a word: no longer series, no path, no date
    rf"(?:(?P<series>[{_LETTER}]{{1,6}})(?P<gap>/|-|[ \t\u00a0]+(?:-[ \t\u00a0]*)?))?"
    r"(?P<first>\d{1,9})(?P<sep>[/-])(?P<second>\d{1,9})"
    rf"(?![{_LETTER}0-9_]|[/-]\d)"  # whole numbers only: not RS/720/20211, not a date
)
_YEAR = re.compile(r"199\d|20\d\d")


@dataclass(frozen=True)
class Mention:
    """A case number as written somewhere; ``series`` None when the writer left it out."""

    series: str | None
    seq: int
    year: int
    is_certain: bool

    def format(self, fmt: str = DEFAULT_FORMAT) -> str:
        """The number as the organisation writes it (``RS/720/2021``); needs a series."""
        return fmt.format(series=self.series, seq=self.seq, year=self.year)


def _is_year(digits: str) -> bool:
    return _YEAR.fullmatch(digits) is not None


def _read(match: re.Match, fmt: str) -> Mention | None:
    series, gap = match["series"], match["gap"]
    if series is not None and series.upper() in NOT_A_SERIES:
        series = gap = None  # "Dnr 2021/720": the word is no series; the digits may be
    first, second, sep = match["first"], match["second"], match["sep"]
    if _is_year(second):
        seq, year, year_first = int(first), int(second), False
    elif _is_year(first):
        seq, year, year_first = int(second), int(first), True
    else:
        return None
    if series is None:
        # Without a series only the year-first spelling reads as a number ("2021/720");
        # "12/2021" is a week, a page or an invoice as often as a case.
        if not year_first or sep != "/":
            return None
        return Mention(None, seq, year, is_certain=False)
    series = series.upper()
    written = match.group(0)
    standard = not year_first and sep == "/" and gap.strip(" \t\u00a0") in ("", "/")
    own_format = fmt != DEFAULT_FORMAT and _format_pattern(fmt).fullmatch(written) is not None
    return Mention(series, seq, year, is_certain=standard or own_format)


_FORMATS: dict[str, re.Pattern] = {}


def _format_pattern(fmt: str) -> re.Pattern:
    """The organisation's own format as a pattern (the series in any letter case)."""
    if fmt not in _FORMATS:
        for key in ("{series}", "{seq}", "{year}"):
            if key not in fmt:
                raise ValueError(f"CASE_NUMBER_FORMAT must contain {key}: {fmt!r}")
        regex = re.escape(fmt)
        regex = regex.replace(re.escape("{series}"), rf"(?P<series>[{_LETTER}]{{1,6}})")
        regex = regex.replace(re.escape("{seq}"), r"(?P<seq>\d{1,9})")
        regex = regex.replace(re.escape("{year}"), r"(?P<year>\d{4})")
        _FORMATS[fmt] = re.compile(rf"(?<![{_LETTER}0-9_/\-.]){regex}(?![{_LETTER}0-9_]|[/-]\d)")
    return _FORMATS[fmt]


def _own(match: re.Match) -> Mention | None:
    series = match["series"].upper()
    if series in NOT_A_SERIES:
        return None
    return Mention(series, int(match["seq"]), int(match["year"]), is_certain=True)


def find_mentions(text: str, fmt: str = DEFAULT_FORMAT) -> list[Mention]:
    """Every case number written in ``text``, certain or not, unique, in order."""
    found: dict[Mention, None] = {}
    if fmt != DEFAULT_FORMAT:  # the organisation's own format, whatever its separators
        for match in _format_pattern(fmt).finditer(text or ""):
            if (mention := _own(match)) is not None:
                found[mention] = None
    for match in _MENTION.finditer(text or ""):
        mention = _read(match, fmt)
        if mention is not None:
            found[mention] = None
    # A number written both ways counts once, as the certain one.
    certain = {(m.series, m.seq, m.year) for m in found if m.is_certain}
    return [m for m in found if m.is_certain or (m.series, m.seq, m.year) not in certain]


def find_certain_numbers(text: str, fmt: str = DEFAULT_FORMAT) -> list[str]:
    """The certain numbers in ``text``, written in ``fmt`` (``RS/720/2021``)."""
    return list(dict.fromkeys(m.format(fmt) for m in find_mentions(text, fmt) if m.is_certain))


def read_mention(text: str, fmt: str = DEFAULT_FORMAT) -> Mention | None:
    """``text`` as one case number in any spelling (``Dnr`` and brackets allowed around
    it), or None. What a person types into the search or the CLI."""
    text = re.sub(r"^\s*(?:dnr|diarienummer)\s*:?\s*", "", text or "", flags=re.IGNORECASE)
    text = text.strip().strip("[]()").strip()
    own = _format_pattern(fmt).fullmatch(text)
    if own is not None:  # any year here: an old case typed in, not a number in running text
        return _own(own)
    match = _MENTION.fullmatch(text)
    return _read(match, fmt) if match else None

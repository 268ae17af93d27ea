"""Case numbers (diarienummer) written in mail subjects and bodies.

Recognised: ``RS/720/2021``, ``RS 720/2021``, ``rs/720/2021``, ``[RS/720/2021]``,
``Dnr RS/720/2021``. The series is 1–6 letters (Swedish letters too), the year 1990–2099.
Only whole numbers match: ``RS/72/2021`` is its own number, ``RS/720/20211`` is none.
Forms with dashes (``RS-720-2021``) are deliberately not read: a wrong filing is worse
than a queued mail.
"""

from __future__ import annotations

import re

_LETTER = "A-Za-zÅÄÖåäö"

#: Words that are never a series even when a number follows (``vecka 12/2021``, ``nr 5/2021``).
_NOT_A_SERIES = {
    "DNR", "DIANR", "NR", "NO", "NUM", "VECKA", "VECK", "V", "W", "WEEK", "SIDA", "S", "SID",
    "PAGE", "P", "PKT", "PUNKT", "MÅL", "ÄRENDE", "DAG", "DEN", "DATUM", "KL", "CA", "ÅR",
    "AV", "OCH", "I", "PÅ", "TILL", "FRÅN", "OM", "FÖR", "MED", "EJ", "ID", "REF", "CASE",
    "ISSUE", "SFS", "BILAGA", "BIL", "NUMMER", "LÖPNR", "UTGÅVA", "VERSION", "VER", "AND",
    "OR", "THE", "OF", "TO", "FROM", "FOR", "NOTE", "SE", "OBS",
}  # fmt: skip

_CASE_NUMBER = re.compile(
    rf"(?<![{_LETTER}0-9_/\-.])"  # the series starts a word (no longer series, no path)
    rf"(?P<series>[{_LETTER}]{{1,6}})"
    r"(?:/|[ \t\u00a0]+)"  # RS/720/2021 or RS 720/2021
    r"(?P<seq>\d{1,9})"
    r"/(?P<year>199\d|20\d\d)"
    rf"(?![{_LETTER}0-9_]|/\d|-\d)"  # whole numbers only: not RS/720/20211
)

_PREFIX = re.compile(
    r"^\s*(?P<word>re|sv|aw|antw|odp|vb|fwd|fw|wg|vs|tr|rv|enc|doorst)"
    r"\s*(?:\[\d{1,4}\]|\(\d{1,4}\))?\s*[:：]\s*",
    re.IGNORECASE,
)
FORWARD_WORDS = frozenset({"vb", "fwd", "fw", "wg", "vs", "tr", "rv", "enc", "doorst"})
REPLY_WORDS = frozenset({"re", "sv", "aw", "antw", "odp"})


def subject_prefixes(subject: str) -> list[str]:
    """The reply/forward prefixes of a subject, outermost first, lower-case (``["sv", "vb"]``)."""
    words: list[str] = []
    rest = subject or ""
    while True:
        match = _PREFIX.match(rest)
        if not match:
            return words
        words.append(match["word"].lower())
        rest = rest[match.end() :]


def strip_subject_prefixes(subject: str) -> str:
    """``SV: VB: Re[2]: Ansökan`` → ``Ansökan`` (SV/VB/Re/Fwd/FW/AW/WG… repeated)."""
    rest = subject or ""
    while True:
        match = _PREFIX.match(rest)
        if not match:
            return rest.strip()
        rest = rest[match.end() :]


def find_case_numbers(text: str) -> list[str]:
    """Every case number in ``text``, normalised to ``RS/720/2021``, unique, in order."""
    found: dict[str, None] = {}
    for match in _CASE_NUMBER.finditer(text or ""):
        series = match["series"].upper()
        if series not in _NOT_A_SERIES:
            found[f"{series}/{int(match['seq'])}/{match['year']}"] = None
    return list(found)

"""Case numbers and subject prefixes in mail.

Case numbers are read by the one reader of ``caseflow.cases.spellings`` (the search and
the CLI read them there too): ``find_case_numbers`` gives the *certain* spellings
(``RS/720/2021``, ``RS 720/2021``, ``rs/720/2021``, ``[RS/720/2021]``,
``Dnr RS/720/2021``), by which a mail may be filed; ``find_other_spellings`` the other
common ones (dashes, year first), which are only ever suggested to the registrar.
"""

from __future__ import annotations

import re

from caseflow.cases.spellings import Mention, find_certain_numbers, find_mentions

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
    """Every certain case number in ``text``, as ``RS/720/2021``, unique, in order."""
    return find_certain_numbers(text)


def find_other_spellings(text: str) -> list[Mention]:
    """Numbers written another way (``RS-720-2021``, ``2021/720``): suggestions only."""
    return [mention for mention in find_mentions(text) if not mention.is_certain]

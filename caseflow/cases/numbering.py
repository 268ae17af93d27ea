"""Case numbers (diarienummer): formatting, reading (``spellings``), gap-free allocation.

The counter for a series and year is one row. Allocation increments it with a single
``UPDATE … RETURNING``: on PostgreSQL that row stays locked until the transaction ends,
and on SQLite every write transaction holds the database (``BEGIN IMMEDIATE``). Either
way the next writer waits, reads the committed value, and a rolled-back transaction
takes its number back with it. No ``max()+1``, no gaps, no duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.cases.models import Series, SeriesCounter
from caseflow.cases.spellings import DEFAULT_FORMAT, read_mention
from caseflow.common.counters import next_number, raise_to
from caseflow.common.errors import ValidationError


@dataclass(frozen=True)
class CaseNumber:
    series: str
    seq: int
    year: int

    def format(self, fmt: str = DEFAULT_FORMAT) -> str:
        return format_number(fmt, self.series, self.seq, self.year)


def format_number(fmt: str, series: str, seq: int, year: int) -> str:
    return fmt.format(series=series, seq=seq, year=year)


def parse_number(text: str, fmt: str = DEFAULT_FORMAT) -> CaseNumber:
    """Read a case number a person typed, in any spelling ``caseflow.cases.spellings``
    knows (``RS/720/2021``, ``rs 720/2021``, ``RS-720-2021``, ``RS 2021/720``, the
    organisation's own format) as long as it names its series."""
    mention = read_mention(text, fmt)
    if mention is None or mention.series is None:
        raise ValidationError(
            _l(
                "“%(text)s” is not a case number; write it like %(example)s.",
                text=text,
                example=format_number(fmt, "RS", 720, 2021),
            )
        )
    return CaseNumber(mention.series, mention.seq, mention.year)


def allocate_case_number(session: Session, series: Series, year: int) -> int:
    """Take the next number in ``series`` for ``year``; it is final when the session commits."""
    return next_number(session, SeriesCounter, series_id=series.id, year=year)


def raise_counter_to(session: Session, series: Series, year: int, seq: int) -> None:
    """After importing an old number, make sure new numbers continue above it."""
    raise_to(session, SeriesCounter, seq, series_id=series.id, year=year)

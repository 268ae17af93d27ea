"""The law's numbers: "skyndsamt" as the next working day, and avgiftsförordningen's fee."""

from __future__ import annotations

from datetime import date

import pytest

from caseflow.disclosure.fees import fee_for, pdf_pages
from caseflow.disclosure.services import due_date
from tests.disclosure.conftest import pdf_of


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # An ordinary Tuesday: the Wednesday.
        (date(2026, 12, 1), date(2026, 12, 2)),
        # A Friday: the Monday after the weekend.
        (date(2026, 12, 4), date(2026, 12, 7)),
        # The day before Christmas Eve: julafton and juldagen, annandag jul is a
        # Saturday, then Sunday, so Monday 28 December.
        (date(2026, 12, 23), date(2026, 12, 28)),
        # Skärtorsdag 2026: långfredagen, the Easter weekend and annandag påsk in between.
        (date(2026, 4, 2), date(2026, 4, 7)),
        # The day before Ascension Day 2026 (Thursday 14 May): the Friday.
        (date(2026, 5, 13), date(2026, 5, 15)),
        # Received on a Saturday: counted from Monday, answered on Tuesday.
        (date(2026, 12, 5), date(2026, 12, 8)),
    ],
)
def test_next_working_day(app, received, due):
    with app.app_context():
        assert due_date(received) == due


def test_same_day_when_configured(app):
    app.config["DISCLOSURE_DEADLINE_WORKING_DAYS"] = 0
    with app.app_context():
        assert due_date(date(2026, 12, 1)) == date(2026, 12, 1)
        assert due_date(date(2026, 12, 5)) == date(2026, 12, 7)  # a Saturday: Monday


@pytest.mark.parametrize(
    ("pages", "kronor"),
    [(0, 0), (1, 0), (9, 0), (10, 50), (11, 52), (30, 90)],
)
def test_fee_per_avgiftsforordningen(app, pages, kronor):
    # Nine pages free; the tenth 50 kr; every page after it 2 kr (15 § 2 st.).
    with app.app_context():
        assert fee_for(pages) == kronor


def test_fee_numbers_are_configurable(app):
    app.config["DISCLOSURE_FEES"] = {"free_pages": 4, "first_paid_page": 40, "per_page_after": 3}
    with app.app_context():
        assert fee_for(4) == 0
        assert fee_for(5) == 40
        assert fee_for(7) == 46


def test_a_pdf_counts_its_own_pages():
    assert pdf_pages(pdf_of(11)) == 11
    assert pdf_pages(b"not a pdf at all") is None

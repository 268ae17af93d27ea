"""Legal day counts: days off, months with their month ends, and FL 12 §'s six months.

Every expected date is written out from the calendar and the law's wording, not computed.
"""

from datetime import date, timedelta

import pytest

from caseflow.common.calendar import (
    add_months,
    deadline,
    is_weekday,
    latest_opening_too_long,
    six_months_after,
    undecided_too_long,
)


@pytest.mark.parametrize(
    "start, days, expected, why",
    [
        (date(2021, 11, 26), 14, date(2021, 12, 10), "a Friday plus 14 days is a Friday"),
        (date(2021, 11, 27), 14, date(2021, 12, 13), "ends on a Saturday: next Monday"),
        (date(2021, 11, 28), 14, date(2021, 12, 13), "ends on a Sunday: next Monday"),
        (date(2021, 12, 10), 14, date(2021, 12, 27), "ends on julafton (Friday): Monday 27th"),
        (date(2021, 12, 17), 14, date(2022, 1, 3), "ends on nyårsafton: Monday 3 January"),
        (date(2021, 6, 11), 14, date(2021, 6, 28), "ends on midsommarafton 25 June"),
        (date(2021, 12, 15), 21, date(2022, 1, 5), "ends on 5 January, an ordinary Wednesday"),
        (date(2021, 12, 16), 21, date(2022, 1, 7), "ends on trettondedag jul: next weekday"),
        (date(2022, 4, 29), 2, date(2022, 5, 2), "ends on Sunday 1 May: Monday"),
        (date(2021, 5, 11), 2, date(2021, 5, 14), "ends on Kristi himmelsfärd (13 May)"),
        (date(2021, 6, 4), 2, date(2021, 6, 7), "ends on Sunday 6 June (nationaldagen)"),
    ],
)
def test_a_period_ending_on_a_day_off_ends_on_the_next_weekday(start, days, expected, why):
    assert deadline(start, days) == expected, why


@pytest.mark.parametrize(
    "day, weekday, why",
    [
        (date(2021, 12, 24), False, "julafton, a Friday"),
        (date(2021, 12, 23), True, "an ordinary Thursday"),
        (date(2021, 6, 25), False, "midsommarafton 2021"),
        (date(2022, 6, 24), False, "midsommarafton 2022"),
        (date(2022, 6, 23), True, "the Thursday before midsommarafton"),
        (date(2021, 4, 2), False, "långfredagen"),
        (date(2021, 4, 5), False, "annandag påsk"),
        (date(2021, 11, 6), False, "alla helgons dag, a Saturday"),
        (date(2021, 11, 8), True, "an ordinary Monday"),
        (date(2021, 12, 31), False, "nyårsafton, a Friday"),
        (date(2022, 1, 6), False, "trettondedag jul, a Thursday"),
    ],
)
def test_days_off(day, weekday, why):
    assert is_weekday(day) is weekday, why


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2021, 3, 19), 6, date(2021, 9, 19)),
        (date(2021, 7, 15), 6, date(2022, 1, 15)),  # over the new year
        (date(2021, 8, 31), 6, date(2022, 2, 28)),  # no 31 February: the month's last day
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # a leap year keeps its 29th
        (date(2023, 8, 29), 6, date(2024, 2, 29)),
        (date(2021, 8, 29), 6, date(2022, 2, 28)),
        (date(2021, 9, 30), 6, date(2022, 3, 30)),  # 30 stays 30, even in a 31-day month
        (date(2021, 12, 31), 6, date(2022, 6, 30)),
        (date(2022, 2, 28), 6, date(2022, 8, 28)),  # the 28th is the 28th, not a month end
        (date(2024, 2, 29), 6, date(2024, 8, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2022, 3, 31), -1, date(2022, 2, 28)),
        (date(2022, 3, 1), -6, date(2021, 9, 1)),
    ],
)
def test_months_end_on_the_same_day_or_the_months_last(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    "opened_on, last_day, flagged_from",
    [
        (date(2021, 3, 19), date(2021, 9, 19), date(2021, 9, 20)),
        (date(2021, 8, 31), date(2022, 2, 28), date(2022, 3, 1)),
        (date(2021, 8, 29), date(2022, 2, 28), date(2022, 3, 1)),
        (date(2023, 8, 31), date(2024, 2, 29), date(2024, 3, 1)),
        (date(2021, 12, 31), date(2022, 6, 30), date(2022, 7, 1)),
        (date(2024, 2, 29), date(2024, 8, 29), date(2024, 8, 30)),
    ],
)
def test_a_case_is_too_long_undecided_the_day_after_its_six_months(
    opened_on, last_day, flagged_from
):
    # FL 12 §: not decided *within* six months; a decision on the last day is in time.
    assert six_months_after(opened_on) == last_day
    assert not undecided_too_long(opened_on, last_day)
    assert undecided_too_long(opened_on, flagged_from)


@pytest.mark.parametrize(
    "today, latest",
    [
        (date(2021, 9, 20), date(2021, 3, 19)),
        (date(2022, 3, 1), date(2021, 8, 31)),  # 29, 30 and 31 August all end 28 February
        (date(2022, 2, 28), date(2021, 8, 27)),
        (date(2024, 3, 1), date(2023, 8, 31)),
        (date(2024, 2, 29), date(2023, 8, 28)),
        (date(2022, 10, 1), date(2022, 3, 31)),  # 30 and 31 March both end 30 September
        (date(2022, 8, 31), date(2022, 2, 28)),
    ],
)
def test_the_last_opening_day_a_query_flags(today, latest):
    assert latest_opening_too_long(today) == latest


def test_the_query_day_and_the_rule_agree_on_every_day_of_two_years():
    first = date(2021, 1, 1)
    openings = [first + timedelta(days=n) for n in range(2 * 366)]
    for today in (
        date(2022, 2, 27),
        date(2022, 2, 28),
        date(2022, 3, 1),
        date(2022, 3, 31),
        date(2022, 9, 30),
        date(2022, 12, 31),
        date(2024, 2, 29),
    ):
        latest = latest_opening_too_long(today)
        for opened_on in openings:
            assert (opened_on <= latest) == undecided_too_long(opened_on, today), (
                opened_on,
                today,
            )

"""A meeting's deadlines: 14 days to attest, 2 days to post the notice, 3 weeks to appeal.

The day counts themselves (days off, months) are tested in tests/common/test_calendar.py.
"""

from datetime import date

from caseflow.meetings.deadlines import meeting_deadlines


def test_an_ordinary_meeting():
    # Wednesday 24 November 2021: attest by Wednesday 8 December.
    d = meeting_deadlines(date(2021, 11, 24), date(2021, 11, 30), date(2021, 12, 1))
    assert d.attestation_due == date(2021, 12, 8)
    assert d.notice_due == date(2021, 12, 2)  # two days after Tuesday's justering
    assert d.appeal_ends == date(2021, 12, 22)  # three weeks after Wednesday's notice


def test_nothing_after_attestation_is_due_before_it_happens():
    d = meeting_deadlines(date(2021, 11, 24), None, None)
    assert d.notice_due is None and d.appeal_ends is None


def test_a_meeting_before_christmas_attests_after_the_holidays():
    # Friday 10 December 2021 + 14 days is julafton; the next weekday is Monday 27th.
    # Attested Thursday 30 December: + 2 days is Saturday 1 January (nyårsdagen), so Monday 3rd.
    d = meeting_deadlines(date(2021, 12, 10), date(2021, 12, 30), date(2022, 1, 3))
    assert d.attestation_due == date(2021, 12, 27)
    assert d.notice_due == date(2022, 1, 3)
    assert d.appeal_ends == date(2022, 1, 24)  # Monday 3 January + 3 weeks, a Monday

"""When a decision gains legal force: the days worked out by hand from the law.

KL 13 kap. 5 §: three weeks from the day the notice of the attested protocol was posted.
FL 44 §: three weeks from the day the party was notified. A period ending on a Saturday,
Sunday, public holiday, midsommarafton, julafton or nyårsafton ends on the next weekday
(lag 1930:173). The decision gains legal force the day after the last period ended.
"""

from datetime import date

from caseflow.meetings.appeal_models import Appeal
from caseflow.meetings.legal_force import Awaiting, State, assess, period

KL, FL = "legality", "administrative"


def _appeal(received_on, *, ended_on=None, how=None):
    return Appeal(
        case_id=1,
        agenda_item_id=1,
        kind=KL,
        appellant="Gunnel Kommunmedlem",
        received_on=received_on,
        ended_on=ended_on,
        ended_how=how,
    )


def test_three_weeks_from_a_wednesday_notice_and_legal_force_the_day_after():
    # Notice posted Wednesday 1 December 2021; three weeks later is Wednesday 22 December.
    periods = [period(KL, date(2021, 12, 1), Awaiting.NOTICE)]
    assert periods[0].ends_on == date(2021, 12, 22)
    running = assess(periods, [], date(2021, 12, 22))
    assert (running.state, running.on) == (State.RUNNING, date(2021, 12, 23))
    final = assess(periods, [], date(2021, 12, 23))
    assert (final.state, final.on) == (State.FINAL, date(2021, 12, 23))


def test_a_party_notified_on_a_saturday_has_until_the_monday_after_three_weeks():
    # The decision mailed to the party on Saturday 10 January 2026: three weeks end on
    # Saturday 31 January, so the period ends on Monday 2 February; legal force Tuesday 3rd.
    notice = period(KL, date(2026, 1, 7), Awaiting.NOTICE)  # Wednesday: ends Wed 28 January
    party = period(FL, date(2026, 1, 10), Awaiting.SERVICE, "Vinnova")
    assert party.ends_on == date(2026, 2, 2)
    found = assess([notice, party], [], date(2026, 1, 30))
    assert (found.state, found.on) == (State.RUNNING, date(2026, 2, 3))


def test_a_period_ending_on_midsummer_eve_runs_to_the_monday():
    # Notice Friday 29 May 2026: + 3 weeks is Friday 19 June, midsommarafton; Saturday 20th
    # is midsommardagen, then Sunday: the period ends Monday 22 June, legal force Tuesday 23rd.
    p = period(KL, date(2026, 5, 29), Awaiting.NOTICE)
    assert p.ends_on == date(2026, 6, 22)
    assert assess([p], [], date(2026, 6, 1)).on == date(2026, 6, 23)


def test_a_period_ending_on_christmas_eve_runs_past_the_holidays():
    # Notice Thursday 3 December 2026: + 3 weeks is Thursday 24 December (julafton); 25th
    # juldagen, 26th annandag jul (a Saturday), 27th a Sunday: ends Monday 28 December.
    p = period(KL, date(2026, 12, 3), Awaiting.NOTICE)
    assert p.ends_on == date(2026, 12, 28)
    assert assess([p], [], date(2026, 12, 3)).on == date(2026, 12, 29)


def test_the_later_period_decides_and_an_unknown_one_keeps_the_day_unknown():
    # Notice Wednesday 1 December 2021 (ends 22nd); the party mailed Friday 3 December:
    # three weeks end on Friday 24th, julafton, so Monday 27th; legal force Tuesday 28th.
    notice = period(KL, date(2021, 12, 1), Awaiting.NOTICE)
    party = period(FL, date(2021, 12, 3), Awaiting.SERVICE, "Vinnova")
    assert assess([notice, party], [], date(2021, 12, 1)).on == date(2021, 12, 28)
    unknown = period(FL, None, Awaiting.SERVICE, "Sökanden")
    pending = assess([notice, party, unknown], [], date(2022, 6, 1))
    assert (pending.state, pending.on) == (State.PENDING, None)
    assert pending.awaiting == [Awaiting.SERVICE]
    no_notice = assess([period(KL, None, Awaiting.NOTICE)], [], date(2022, 6, 1))
    assert (no_notice.state, no_notice.awaiting) == (State.PENDING, [Awaiting.NOTICE])


def test_an_appeal_stops_the_clock_and_a_withdrawal_lets_it_run_again():
    periods = [period(KL, date(2021, 12, 1), Awaiting.NOTICE)]  # ends 22 December
    appealed = assess(periods, [_appeal(date(2021, 12, 10))], date(2022, 2, 1))
    assert (appealed.state, appealed.on) == (State.APPEALED, None)
    ruled = _appeal(date(2021, 12, 10), ended_on=date(2022, 3, 1), how="decided")
    assert assess(periods, [ruled], date(2022, 4, 1)).state == State.APPEALED
    # Withdrawn on 10 January 2022, after the period ended: not final before that day.
    withdrawn = _appeal(date(2021, 12, 10), ended_on=date(2022, 1, 10), how="withdrawn")
    found = assess(periods, [withdrawn], date(2022, 2, 1))
    assert (found.state, found.on) == (State.FINAL, date(2022, 1, 10))
    # Withdrawn within the period: the period's own day stands.
    early = _appeal(date(2021, 12, 10), ended_on=date(2021, 12, 15), how="withdrawn")
    assert assess(periods, [early], date(2022, 2, 1)).on == date(2021, 12, 23)

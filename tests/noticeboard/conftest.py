"""Builders for the notice board's tests: a Regionstyrelsen meeting with cases (one of
them with a secret title) and a § behind closed doors, held and decided, ready for
justering."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from caseflow.common.timeutil import LOCAL_TZ
from caseflow.meetings import agenda_items, decisions, services
from tests.markers import MARKERS, PUBLIC_TITLE
from tests.meetings.conftest import approved  # noqa: F401 - a fixture the builders use

#: The heading a § behind closed doors is published under.
CLOSED_PUBLIC_TITLE = "Personalärende"
OPEN_TITLE = "Projekt Test av coworking och hybridarbete inom Samverket i Östersund"


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)


@pytest.fixture
def agenda(make, app, approved):  # noqa: F811 - the fixture imported above
    """Builder: a meeting on ``day`` with RS/720/2021-like case, a case whose title is
    secret (its public title published), and a closed § whose real heading carries a
    marker."""

    def build(day: date) -> object:
        meeting = make.session.merge(make.meeting_with(starts_at=at(day)))
        open_case = approved(OPEN_TITLE)
        secret = approved(f"Utredning om {MARKERS['title']}")
        secret.title_is_secret = True
        secret.public_title = PUBLIC_TITLE
        secret.secrecy_provision = "OSL 26 kap. 1 §"
        make.session.commit()
        with app.app_context():
            for case in (open_case, secret):
                agenda_items.add_case(
                    make.session, meeting, make.session.merge(case), user=approved.hans
                )
            agenda_items.add_item(
                make.session,
                meeting,
                kind="other",
                title=f"Personalärende {MARKERS['closed']}",
                is_closed=True,
                public_title=CLOSED_PUBLIC_TITLE,
                user=approved.hans,
            )
        make.session.commit()
        return meeting

    build.hans = approved.hans
    return build


@pytest.fixture
def held(make, app, agenda):
    """Builder: the meeting of ``day`` held, every case decided, not yet attested."""

    def build(day: date = date(2021, 11, 24)):
        meeting = agenda(day)
        with app.app_context():
            services.open_meeting(make.session, meeting, user=agenda.hans)
            for item in meeting.items:
                if item.has_case:
                    decisions.record_decision(make.session, item, kind="adopted", user=agenda.hans)
        make.session.commit()
        return meeting

    build.hans = agenda.hans
    return build

"""The demo's held meeting: Regionstyrelsen three weeks ago, decided, attested, one excerpt
dispatched (to the outbox: the demo never mails anyone)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from caseflow.cases.services import PartyCreate, open_case
from caseflow.cases.workflow import apply_transition
from caseflow.common.timeutil import LOCAL_TZ, today
from caseflow.documents.storage import FileStore
from caseflow.meetings import services as meetings
from caseflow.meetings.dispatch import prepare_dispatch
from caseflow.meetings.organs import organ_by_name
from caseflow.memos.services import MemoData, save_memo

MEETING_CASES = [
    (
        "Regional handlingsplan för elektrifiering av transporter",
        "Trafikverket",
        "Region Jämtland Härjedalen antar den regionala handlingsplanen för elektrifiering.",
    ),
    (
        "Medfinansiering av förstudie om nattåg Östersund–Trondheim",
        "Trøndelag fylkeskommune",
        "Region Jämtland Härjedalen medfinansierar förstudien med 250 000 kronor.",
    ),
    (
        "Yttrande över Länsstyrelsens förslag till vattenförvaltningsplan",
        "Länsstyrelsen Jämtlands län",
        "Regionstyrelsen lämnar yttrande i enlighet med förvaltningens förslag.",
    ),
]


def held_meeting(session: Session, store: FileStore, official, manager) -> None:
    """A Regionstyrelsen meeting three weeks ago: decided, attested, one excerpt dispatched."""
    held_on = today() - timedelta(days=21)
    cases = []
    for title, organisation, point in MEETING_CASES:
        case = open_case(
            session,
            series_code="RS",
            title=title,
            officer=official,
            opened_on=held_on - timedelta(days=40),
            parties=[PartyCreate(organisation=organisation)],
        )
        memo = MemoData(
            memo_date=held_on - timedelta(days=20),
            title=title,
            unit=official.unit.name if official.unit else None,
            officer_name=official.name,
            officer_email=official.email,
            decision_body="Regionstyrelsen",
            proposer="Regiondirektören",
            description=f"Ärendet gäller {title.lower()}.",
            points=[point],
            signatories=[(manager.name, "Regiondirektör")],
            recipients=[
                (None, organisation, None),
                (official.name, official.unit.name if official.unit else None, official.email),
            ],
        )
        save_memo(session, case, memo, expected_version=case.version, user=official)
        apply_transition(session, case, "submit", user=official)
        apply_transition(session, case, "approve", user=manager)
        cases.append(case)
    meeting = meetings.create_meeting(
        session,
        organ=organ_by_name(session, "Regionstyrelsen"),
        starts_at=datetime(held_on.year, held_on.month, held_on.day, 9, 0, tzinfo=LOCAL_TZ),
        place="Regionens hus, Östersund",
        chair="Marie Hallberg",
        secretary="Cecilia Strand",
        attesters="Jonas Wiklund\nMikael Persson",
        user=manager,
    )
    for case in cases:
        meetings.add_case(session, meeting, case, user=manager)
    meetings.open_meeting(session, meeting, user=manager)
    for item in meeting.items:
        meetings.record_decision(
            session,
            item,
            kind="adopted",
            user=manager,
        )
    meetings.attest(
        session,
        meeting,
        attested_on=held_on + timedelta(days=6),
        attested_by="Marie Hallberg\nJonas Wiklund\nMikael Persson",
        notice_posted_on=held_on + timedelta(days=7),
        user=manager,
    )
    prepare_dispatch(session, store, meeting.items[0], user=manager, prefer_pdf=False)


#: The §§ a Regionstyrelsen protocol opens with, before the cases.
OPENING_ITEMS = [
    ("opening", "Sammanträdets öppnande", "Ordföranden förklarar sammanträdet öppnat."),
    ("attesters", "Val av justerare", None),
    ("agenda", "Godkännande av dagordningen", "Dagordningen godkänns."),
]


def upcoming_meeting(session: Session, manager, cases) -> None:
    """Regionstyrelsen's next meeting, a week ahead: planned, with ``cases`` on its agenda
    after the opening §§ (its §§ are numbered when it is opened)."""
    day = today() + timedelta(days=7)
    meeting = meetings.create_meeting(
        session,
        organ=organ_by_name(session, "Regionstyrelsen"),
        starts_at=datetime(day.year, day.month, day.day, 9, 0, tzinfo=LOCAL_TZ),
        place="Regionens hus, sal Storsjön",
        chair="Marie Hallberg",
        secretary="Cecilia Strand",
        attesters="Ingrid Sundqvist\nLena Åström",
        user=manager,
    )
    for kind, title, body in OPENING_ITEMS:
        if kind == "attesters":
            body = (
                "Ingrid Sundqvist och Lena Åström utses att jämte ordföranden justera protokollet."
            )
        meetings.add_item(session, meeting, kind=kind, title=title, body=body, user=manager)
    for case in cases:
        meetings.add_case(session, meeting, case, user=manager)

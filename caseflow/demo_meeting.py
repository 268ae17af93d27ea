"""The demo's meetings and delegation: Regionstyrelsen's delegationsordning and decisions
taken under it, its meeting three weeks ago with every part of a protocol, its meeting of
two days ago whose protocol awaits digital justering, and its next meeting a week ahead."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import current_app
from sqlmodel import Session

from caseflow.auth.passwords import set_password
from caseflow.cases.services import PartyCreate, open_case
from caseflow.cases.workflow import apply_transition
from caseflow.common.timeutil import LOCAL_TZ, today
from caseflow.documents.storage import FileStore
from caseflow.meetings import agenda_items, attestation, decisions
from caseflow.meetings import services as meetings
from caseflow.meetings.attendance import add_attendee, call_roll, set_item_presence, set_presence
from caseflow.meetings.delegated_decisions import decide_under_delegation
from caseflow.meetings.delegation import (
    add_delegation,
    delegations_of,
    report_delegated_decisions,
)
from caseflow.meetings.dispatch import prepare_dispatch
from caseflow.meetings.justering import send_for_justering
from caseflow.meetings.member_accounts import create_member_account
from caseflow.meetings.organs import organ_by_name, organ_members
from caseflow.meetings.statements import add_statement
from caseflow.meetings.voting import add_motion, add_proposal_motion, record_vote
from caseflow.memos.services import MemoData, save_memo
from caseflow.noticeboard.services import announce_meeting

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


#: Regionstyrelsen's delegationsordning (a part of it).
DEMO_DELEGATIONS = [
    (
        "3.2",
        "Beslut om medfinansiering av projekt upp till 500 000 kronor",
        "Regiondirektör",
        "högst 500 000 kronor per projekt och år",
    ),
    ("5.1", "Yttranden över remisser av mindre vikt", "Regiondirektör", None),
    (
        "7.4",
        "Beslut att inte lämna ut allmän handling eller att lämna ut den med förbehåll",
        "Handläggare",
        "efter samråd med registrator",
    ),
]


def delegation_register(session: Session, manager) -> None:
    """Regionstyrelsen's delegations, resting on its decision of January last year."""
    board = organ_by_name(session, "Regionstyrelsen")
    valid_from = date(today().year - 1, 1, 1)
    for code, matter, delegate, limits in DEMO_DELEGATIONS:
        add_delegation(
            session,
            board,
            code=code,
            matter=matter,
            delegate=delegate,
            limits=limits,
            resting_on=f"RS {valid_from.year - 1}-12-14 § 212",
            valid_from=valid_from,
            user=manager,
        )


def decide_delegated(session: Session, store: FileStore, case, official, code: str) -> None:
    """``case`` decided by its official under the delegation ``code``, with its document."""
    board = organ_by_name(session, "Regionstyrelsen")
    delegation = next(d for d in delegations_of(session, board) if d.code == code)
    decide_under_delegation(
        session,
        store,
        case,
        delegation=delegation,
        points=[f"{case.public_title or case.title} beviljas i enlighet med ansökan."],
        decided_on=min(case.opened_on + timedelta(days=20), today()),
        decided_by_name=f"{official.name}, handläggare",
        user=official,
        with_pdf=False,  # the demo needs no LibreOffice; the .docx is the decision document
    )


def _meeting_case(session: Session, official, manager, title, organisation, point, held_on):
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
    return case


def _attendee(meeting, name: str):
    return next(a for a in meeting.attendees if a.name == name)


def held_meeting(session: Session, store: FileStore, official, manager, more=()) -> None:
    """Regionstyrelsen three weeks ago, showing every part of a protocol: the opening §§,
    a substitute serving for an absent member, a member recused in one §, a vote that
    tied and was settled by the chair's casting vote, reservations and a protocol note, the
    report of delegated decisions, a § behind closed doors; attested, noticed, and one
    excerpt dispatched (to the outbox: the demo never mails anyone)."""
    held_on = today() - timedelta(days=21)
    cases = [
        _meeting_case(session, official, manager, *values, held_on) for values in MEETING_CASES
    ]
    meeting = _board_meeting(
        session, manager, held_on, "Regionens hus, Östersund", ("Jonas Wiklund", "Mikael Persson")
    )
    for case in [*cases, *more]:
        agenda_items.add_case(session, meeting, case, user=manager)
    report_delegated_decisions(session, meeting, user=manager)
    agenda_items.add_item(
        session,
        meeting,
        kind="information",
        title="Information om regionens ekonomiska läge",
        body="Ekonomidirektören informerar om utfallet efter oktober. Informationen noteras.",
        user=manager,
    )
    agenda_items.add_item(
        session,
        meeting,
        kind="other",
        title="Förhandling om hyresavtal för Regionens hus",
        body="Regionstyrelsen uppdrar åt regiondirektören att slutföra förhandlingen.",
        is_closed=True,
        public_title="Förhandlingsärende (behandlat inom stängda dörrar)",
        user=manager,
    )
    meetings.open_meeting(session, meeting, user=manager)

    call_roll(session, meeting, user=manager)
    absent, substitute = _attendee(meeting, "Tomas Berglund"), _attendee(meeting, "Helena Nordin")
    set_presence(session, absent, is_present=False, user=manager)
    set_presence(session, substitute, is_present=True, serving_for=absent, user=manager)
    add_attendee(
        session, meeting, name="Hans Svensson", role="official", note="regiondirektör", user=manager
    )

    night_train = next(item for item in meeting.items if item.case_id == cases[1].id)
    # Per-Olof Lundgren sits on the board of the partner: jäv, he takes no part.
    recused = _attendee(meeting, "Per-Olof Lundgren")
    set_item_presence(session, night_train, recused, "recused", user=manager)
    proposal = add_proposal_motion(session, night_train, user=manager)
    jonas = _attendee(meeting, "Jonas Wiklund")
    rejection = add_motion(
        session, night_train, text="Avslag på förslaget.", attendee=jonas, user=manager
    )
    ballots = {
        "Marie Hallberg": "ja",
        "Ingrid Sundqvist": "ja",
        "Helena Nordin": "ja",
        "Jonas Wiklund": "nej",
        "Lena Åström": "nej",
        "Mikael Persson": "nej",
    }
    record_vote(
        session,
        night_train,
        yes_motion=proposal,
        no_motion=rejection,
        ballots={_attendee(meeting, name).id: vote for name, vote in ballots.items()},
        user=manager,
    )
    for item in meeting.items:
        if item.has_case:
            decisions.record_decision(session, item, kind="adopted", user=manager)
    for name, text in (
        ("Jonas Wiklund", "Till förmån för eget yrkande om avslag."),
        ("Lena Åström", None),
    ):
        add_statement(
            session,
            night_train,
            kind="reservation",
            attendee=_attendee(meeting, name),
            text=text,
            user=manager,
        )
    add_statement(
        session,
        night_train,
        kind="note",
        attendee=_attendee(meeting, "Mikael Persson"),
        text="Vänsterpartiet vill att förstudien också omfattar godstrafik.",
        user=manager,
    )
    meeting.ended_at = meeting.starts_at + timedelta(hours=2, minutes=30)
    attestation.attest(
        session,
        meeting,
        attested_on=held_on + timedelta(days=6),
        attested_by="Marie Hallberg\nJonas Wiklund\nMikael Persson",
        notice_posted_on=held_on + timedelta(days=7),
        user=manager,
    )
    first_case = next(item for item in meeting.items if item.has_case)
    for item in meeting.items:
        if item is first_case or item.case_id in {case.id for case in more}:
            prepare_dispatch(session, store, item, user=manager, prefer_pdf=False)


#: The §§ a Regionstyrelsen protocol opens with, before the cases.
OPENING_ITEMS = [
    ("opening", "Sammanträdets öppnande", "Ordföranden förklarar sammanträdet öppnat."),
    ("attesters", "Val av justerare", None),
    ("agenda", "Godkännande av dagordningen", "Dagordningen godkänns."),
]


def _board_meeting(session: Session, manager, day, place: str, attesters: tuple[str, str]):
    """A Regionstyrelsen meeting on ``day`` at 09.00, opening with the usual §§."""
    meeting = meetings.create_meeting(
        session,
        organ=organ_by_name(session, "Regionstyrelsen"),
        starts_at=datetime(day.year, day.month, day.day, 9, 0, tzinfo=LOCAL_TZ),
        place=place,
        chair=CHAIR,
        secretary="Cecilia Strand",
        attesters="\n".join(attesters),
        user=manager,
    )
    elected = f"{attesters[0]} och {attesters[1]} utses att jämte ordföranden justera protokollet."
    for kind, title, body in OPENING_ITEMS:
        body = elected if kind == "attesters" else body
        agenda_items.add_item(session, meeting, kind=kind, title=title, body=body, user=manager)
    return meeting


def upcoming_meeting(session: Session, store: FileStore, manager, cases) -> None:
    """Regionstyrelsen's next meeting, a week ahead: planned, with ``cases`` on its agenda
    after the opening §§ (its §§ are numbered when it is opened), and announced on the
    notice board with its public agenda."""
    day = today() + timedelta(days=7)
    meeting = _board_meeting(
        session, manager, day, "Regionens hus, sal Storsjön", ("Ingrid Sundqvist", "Lena Åström")
    )
    for case in cases:
        agenda_items.add_case(session, meeting, case, user=manager)
    announce_meeting(session, store, meeting, user=manager)


#: Regionstyrelsen's chair, and the attesters of its meeting two days ago: they attest its
#: protocol digitally.
CHAIR = "Marie Hallberg"
RECENT_ATTESTERS = ("Per-Olof Lundgren", "Ingrid Sundqvist")


def member_accounts(session: Session, password: str) -> list:
    """Accounts (role member) for the chair and the attesters of the meeting awaiting
    digital justering, with the demo's password instead of a one-time link."""
    board = organ_by_name(session, "Regionstyrelsen")
    accounts = []
    for name in (CHAIR, *RECENT_ATTESTERS):
        row = next(m for m in organ_members(session, board) if m.name == name)
        account, _token = create_member_account(
            session, row, email=None, link_hours=current_app.config["PASSWORD_LINK_HOURS"]
        )
        set_password(session, account, password)
        accounts.append(account)
    return accounts


def recent_meeting(session: Session, manager) -> None:
    """Regionstyrelsen two days ago: held, its protocol sent for digital justering to the
    chair Marie Hallberg and the attesters, who have accounts (role member) in the demo."""
    day = today() - timedelta(days=2)
    meeting = _board_meeting(session, manager, day, "Regionens hus, Östersund", RECENT_ATTESTERS)
    agenda_items.add_item(
        session,
        meeting,
        kind="information",
        title="Information om arbetet med regional utvecklingsstrategi",
        body="Regionala utvecklingsdirektören informerar om remissvaren. Informationen noteras.",
        user=manager,
    )
    meetings.open_meeting(session, meeting, user=manager)
    call_roll(session, meeting, user=manager)
    meeting.ended_at = meeting.starts_at + timedelta(hours=1, minutes=15)
    send_for_justering(session, meeting, user=manager)

"""The secretary's protocol and its excerpts carry the whole meeting: who took part, each §
with its motions, the vote and its ballots, the decision, reservations and notes, and the
justering and anslag, in the order a Swedish protocol uses."""

import io
from datetime import date, datetime

import pytest
from docx import Document as Docx

from caseflow.common.timeutil import LOCAL_TZ
from caseflow.meetings import attestation, decisions, services
from caseflow.meetings.documents import agenda_docx, protocol_docx
from caseflow.meetings.excerpts import render_excerpt
from caseflow.meetings.models import (
    AgendaItem,
    ItemAttendance,
    MeetingAttendee,
    Motion,
    Statement,
    Vote,
    VoteBallot,
)
from caseflow.memos.models import MemoSupport
from caseflow.memos.services import get_memo
from tests.markers import MARKERS, docx_text
from tests.meetings.test_meetings import _hans, _meeting

SECRET_TITLE = f"Utredning om {MARKERS['title']}"
CLOSED_TITLE = "Lönesättning för regiondirektören Kalle Hemlig"
RESERVATION = "Vi anser att regionen inte ska medfinansiera projektet."
NOTE = "Vi vill att projektet följs upp varje kvartal."


def _attendee(make, meeting, position, name, role, affiliation=None, **extra):
    attendee = MeetingAttendee(
        meeting_id=meeting.id,
        name=name,
        role=role,
        affiliation=affiliation,
        position=position,
        **extra,
    )
    make.session.add(attendee)
    make.session.flush()
    return attendee


@pytest.fixture
def held(make, app, approved):
    """A Regionstyrelsen meeting held and attested: a § without a case, a § decided by the
    chair's casting vote, a secret case's § declared immediately attested, and a § behind
    closed doors."""
    voted_case = approved()
    secret_case = approved(SECRET_TITLE)
    secret_case.title_is_secret = True
    secret_case.public_title = "Utredning om en enskild person"
    secret_case.secrecy_provision = "OSL 26 kap. 1 §"
    application = make.document(voted_case, title="Ansökan om medfinansiering")
    session = make.session
    memo = get_memo(session, session.merge(voted_case))
    session.add(MemoSupport(memo_id=memo.id, document_id=application.id, position=1))
    meeting = _meeting(make, app, voted_case, secret_case)
    hans = _hans(make)
    voted, secret = meeting.items
    voted.position, secret.position = 2, 3
    session.add(
        AgendaItem(
            meeting_id=meeting.id,
            kind="attesters",
            title="Val av justerare",
            body="Bertil Justerare (M) utses att jämte ordföranden justera protokollet.",
            position=1,
        )
    )
    session.add(
        AgendaItem(
            meeting_id=meeting.id,
            kind="other",
            title=CLOSED_TITLE,
            public_title="Personalärende",
            is_closed=True,
            position=4,
        )
    )
    session.commit()
    session.refresh(meeting)
    with app.app_context():
        services.open_meeting(session, meeting, user=hans)

    anna = _attendee(make, meeting, 1, "Anna Ordförande", "chair", "S")
    bertil = _attendee(make, meeting, 2, "Bertil Justerare", "member", "M")
    olle = _attendee(make, meeting, 3, "Olle Ledamot", "member", "C", is_present=False)
    lisa = _attendee(make, meeting, 4, "Lisa Ledamot", "member", "V")
    sara = _attendee(make, meeting, 5, "Sara Ersättare", "substitute", "C", serving_for_id=olle.id)
    karin = _attendee(make, meeting, 6, "Karin Ersättare", "substitute", "(S)")
    _attendee(make, meeting, 7, "Dag Direktör", "official", note="regiondirektör, föredragande")
    meeting.ended_at = datetime(2021, 11, 24, 11, 30, tzinfo=LOCAL_TZ)

    session.add(ItemAttendance(item_id=voted.id, attendee_id=lisa.id, status="recused"))
    session.add(
        ItemAttendance(
            item_id=voted.id, attendee_id=karin.id, status="serving", serving_for_id=lisa.id
        )
    )
    proposal = Motion(item_id=voted.id, position=1, text="Bifall till regiondirektörens förslag.")
    rejection = Motion(
        item_id=voted.id,
        position=2,
        mover="Bertil Justerare (M)",
        attendee_id=bertil.id,
        text="Avslag på förslaget.",
    )
    session.add_all([proposal, rejection])
    session.flush()
    vote = Vote(
        item_id=voted.id,
        round=1,
        yes_motion_id=proposal.id,
        no_motion_id=rejection.id,
        casting_vote="ja",
        result="ja",
        yes_count=2,
        no_count=2,
    )
    session.add(vote)
    session.flush()
    for who, choice in ((anna, "ja"), (bertil, "nej"), (sara, "nej"), (karin, "ja")):
        session.add(VoteBallot(vote_id=vote.id, attendee_id=who.id, choice=choice))
    session.add(
        Statement(
            item_id=voted.id,
            kind="reservation",
            attendee_id=bertil.id,
            name="Bertil Justerare (M)",
            text=RESERVATION,
        )
    )
    session.add(Statement(item_id=voted.id, kind="note", name="Sara Ersättare (C)", text=NOTE))
    voted.decided_by = "vote"
    with app.app_context():
        decisions.record_decision(session, voted, kind="adopted", user=hans)
        decisions.record_decision(
            session, secret, kind="adopted", user=hans, immediately_attested=True
        )
        attestation.attest(
            session,
            meeting,
            attested_on=date(2021, 11, 30),
            attested_by="Anna Ordförande\nBertil Justerare",
            notice_posted_on=date(2021, 12, 1),
            user=hans,
        )
    session.commit()
    return {"meeting": meeting, "voted": voted, "secret": secret, "case": voted_case}


def _paragraphs(content: bytes) -> list[str]:
    return [p.text for p in Docx(io.BytesIO(content)).paragraphs]


def _assert_in_order(paragraphs: list[str], expected: list[str]) -> None:
    """Each expected text is found (as a paragraph, or within one) after the one before."""
    at = -1
    for text in expected:
        following = [i for i in range(at + 1, len(paragraphs)) if paragraphs[i] == text] or [
            i for i in range(at + 1, len(paragraphs)) if text in paragraphs[i]
        ]
        assert following, f"{text!r} not found after {paragraphs[at]!r}"
        at = following[0]


def test_the_protocol_tells_the_meeting_in_order(make, app, held):
    with app.app_context():
        content = protocol_docx(make.session, held["meeting"], None)
    paragraphs = _paragraphs(content)
    case = held["case"]
    _assert_in_order(
        paragraphs,
        [
            "PROTOKOLL",
            "Tid och plats",
            "2021-11-24 kl. 09.00–11.30, Regionens hus, Östersund",
            "Beslutande",
            "Anna Ordförande (S), ordförande",
            "Bertil Justerare (M), ledamot",
            "Lisa Ledamot (V), ledamot",
            "Sara Ersättare (C), tjänstgörande ersättare för Olle Ledamot (C)",
            "Ersättare",
            "Karin Ersättare (S)",
            "Övriga närvarande",
            "Dag Direktör, regiondirektör, föredragande",
            "Frånvarande",
            "Olle Ledamot (C)",
            "Sekreterare",
            "Cecilia Sekreterare",
            "Justerare",
            "Bertil Justerare",
            "Justeringens tid och plats",
            "2021-11-30",
            "Paragrafer",
            "§§ 1–4",
            "§ 1 Val av justerare",
            "Bertil Justerare (M) utses att jämte ordföranden justera protokollet.",
            f"§ 2 {case.title}",
            f"Dnr {case.number}",
            "Ärendebeskrivning",
            "Beslutsunderlag",
            "Ansökan om medfinansiering, 2021-11-01",
            "Lisa Ledamot (V) deltar inte i handläggningen på grund av jäv.",
            "Karin Ersättare (S) tjänstgör för Lisa Ledamot (V).",
            "Yrkanden",
            "Förslag till beslut: Bifall till regiondirektörens förslag.",
            "Bertil Justerare (M): Avslag på förslaget.",
            "Propositionsordning",
            "Ordföranden ställer proposition på förslaget till beslut och Bertil Justerares (M) "
            "yrkande och finner att Regionstyrelsen beslutar enligt förslaget till beslut.",
            "Omröstning",
            "Omröstning begärs och verkställs. Ja-röst för förslaget till beslut, nej-röst för "
            "Bertil Justerares (M) yrkande.",
            "Med 2 ja-röster mot 2 nej-röster och ordförandens utslagsröst beslutar "
            "Regionstyrelsen enligt förslaget till beslut.",
            "Beslut",
            "Regionstyrelsen beslutar",
            "1. Region Jämtland Härjedalen avsätter arbetstid",
            "Reservationer",
            "Bertil Justerare (M) reserverar sig mot beslutet.",
            RESERVATION,
            "Protokollsanteckningar",
            "Sara Ersättare (C) lämnar följande protokollsanteckning:",
            NOTE,
            "§ 3 Utredning om en enskild person",
            "Paragrafen förklaras omedelbart justerad.",
            "§ 4 Personalärende",
            "Ärendet behandlades inom stängda dörrar.",
            "Underskrifter",
            "Sekreterare",
            "Cecilia Sekreterare",
            "Ordförande",
            "Anna Ordförande",
            "Justerare",
            "Bertil Justerare",
            "Justering",
            "Justerat 2021-11-30 av Anna Ordförande och Bertil Justerare",
            "Anslag",
            "Justeringen har tillkännagivits genom anslag på anslagstavlan 2021-12-01.",
            # Three weeks from the day the notice was posted (KL 13 kap. 5 §).
            "Sista dag för överklagande (laglighetsprövning): 2021-12-22.",
        ],
    )
    assert "Olle Ledamot (C), ledamot" not in paragraphs  # absent: not among those deciding
    (ballots,) = Docx(io.BytesIO(content)).tables
    assert [[cell.text for cell in row.cells] for row in ballots.rows] == [
        ["Ledamot", "Ja", "Nej", "Avstår"],
        ["Anna Ordförande (S)", "X", "", ""],
        ["Bertil Justerare (M)", "", "X", ""],
        ["Sara Ersättare (C)", "", "X", ""],
        ["Karin Ersättare (S)", "X", "", ""],
        ["Summa", "2", "2", "0"],
    ]


def test_the_published_protocol_and_agenda_hold_no_secret_and_no_closed_title(make, app, held):
    with app.app_context():
        protocol = docx_text(protocol_docx(make.session, held["meeting"], None))
        agenda = docx_text(agenda_docx(make.session, held["meeting"], None))
    for text in (protocol, agenda):
        assert MARKERS["title"] not in text
        assert "Kalle Hemlig" not in text
        assert "Personalärende" in text and "Utredning om en enskild person" in text


def test_the_excerpt_of_the_voted_paragraph_carries_the_vote_and_the_statements(make, app, held):
    with app.app_context():
        content, _template = render_excerpt(make.session, make.store, held["voted"])
    paragraphs = _paragraphs(content)
    _assert_in_order(
        paragraphs,
        [
            "Regionstyrelsen",
            "§ 2",
            f"Dnr {held['case'].number}",
            held["case"].title,
            "Beslutsunderlag",
            "Lisa Ledamot (V) deltar inte i handläggningen på grund av jäv.",
            "Yrkanden",
            "Bertil Justerare (M): Avslag på förslaget.",
            "Omröstning",
            "Ordföranden ställer proposition på förslaget till beslut",
            "Omröstning begärs och verkställs.",
            "Med 2 ja-röster mot 2 nej-röster och ordförandens utslagsröst beslutar "
            "Regionstyrelsen enligt förslaget till beslut.",
            "Beslut",
            "Reservationer",
            "Bertil Justerare (M) reserverar sig mot beslutet.",
            RESERVATION,
            "Protokollsanteckningar",
            "Sara Ersättare (C) lämnar följande protokollsanteckning:",
            NOTE,
            "Justering",
            "Justerat 2021-11-30 av Anna Ordförande och Bertil Justerare",
            "Rätt utdraget intygar",
            "Utdrag till",
        ],
    )
    (ballots,) = Docx(io.BytesIO(content)).tables
    rows = [[cell.text for cell in row.cells] for row in ballots.rows]
    assert rows[1:] == [
        ["Anna Ordförande (S)", "X", "", ""],
        ["Bertil Justerare (M)", "", "X", ""],
        ["Sara Ersättare (C)", "", "X", ""],
        ["Karin Ersättare (S)", "X", "", ""],
        ["Summa", "2", "2", "0"],
    ]


def test_the_excerpt_of_the_secret_paragraph_names_it_by_its_public_title(make, app, held):
    with app.app_context():
        content, _template = render_excerpt(make.session, make.store, held["secret"])
    text = docx_text(content)
    assert MARKERS["title"] not in text
    paragraphs = _paragraphs(content)
    _assert_in_order(
        paragraphs,
        ["§ 3", "Utredning om en enskild person", "Beslut", "Paragrafen förklaras omedelbart"],
    )


def test_a_closed_paragraph_without_a_public_title_gets_a_neutral_heading(make, app, held):
    closed = held["meeting"].items[-1]
    closed.public_title = None
    make.session.commit()
    with app.app_context():
        paragraphs = _paragraphs(protocol_docx(make.session, held["meeting"], None))
    _assert_in_order(
        paragraphs,
        [
            "§ 4 Ärende som behandlas inom stängda dörrar",
            "Ärendet behandlades inom stängda dörrar.",
        ],
    )
    assert not any("Kalle Hemlig" in p for p in paragraphs)

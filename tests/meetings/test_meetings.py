"""A manager takes approved cases through a Regionstyrelsen meeting."""

import io
import json
from datetime import date, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from docx import Document as Docx
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.documents.models import Document
from caseflow.meetings import (
    agenda_items,
    attestation,
    decisions,
    excerpts,
    jobs,
    services,
    serving,
    state,
)
from caseflow.meetings import dispatch as dispatching
from caseflow.meetings.dispatch_models import Dispatch
from caseflow.meetings.models import Meeting, Motion, Statement
from tests.meetings.conftest import MEETING_DAY


def _meeting(make, app, *cases, day=MEETING_DAY):
    meeting = make.meeting_with(
        starts_at=datetime(day.year, day.month, day.day, 9, tzinfo=LOCAL_TZ)
    )
    meeting = make.session.merge(meeting)
    with app.app_context():
        for case in cases:
            agenda_items.add_case(make.session, meeting, make.session.merge(case), user=_hans(make))
    make.session.commit()
    return meeting


def _hans(make):
    from caseflow.auth.services import get_user_by_email

    return get_user_by_email(make.session, "hans.svensson@regionjh.se")


def _decide_and_attest(make, app, meeting, **decision):
    hans = _hans(make)
    with app.app_context():
        services.open_meeting(make.session, meeting, user=hans)
        for item in meeting.items:
            decisions.record_decision(
                make.session,
                item,
                kind=decision.get("kind", "adopted"),
                user=hans,
                points=decision.get("points"),
            )
        attestation.attest(
            make.session,
            meeting,
            attested_on=date(2021, 11, 30),
            attested_by="Anna Ordförande\nBertil Justerare",
            user=hans,
        )
    make.session.commit()


def test_paragraphs_run_per_organ_and_year_without_gaps(make, app, approved):
    first = _meeting(make, app, approved("Ärende A"), approved("Ärende B"))
    second = _meeting(make, app, approved("Ärende C"), day=date(2021, 12, 15))
    next_year = _meeting(make, app, approved("Ärende D"), day=date(2022, 1, 19))
    hans = _hans(make)
    with app.app_context():
        for meeting in (first, second, next_year):
            services.open_meeting(make.session, meeting, user=hans)
    make.session.commit()
    assert [i.paragraph for i in first.items] == [1, 2]
    assert [i.paragraph for i in second.items] == [3]
    assert [i.paragraph for i in next_year.items] == [1]


def test_the_agenda_order_decides_the_paragraphs(make, app, approved):
    a, b, c = approved("Första"), approved("Andra"), approved("Tredje")
    meeting = _meeting(make, app, a, b, c)
    with app.app_context():
        agenda_items.move_item(make.session, meeting, meeting.items[1], -1, user=_hans(make))
        services.open_meeting(make.session, meeting, user=_hans(make))
        assert [(i.case_id, i.paragraph) for i in meeting.items] == [
            (b.id, 1),
            (a.id, 2),
            (c.id, 3),
        ]
        # At the meeting the order may still change; the §§ follow it.
        agenda_items.move_item(make.session, meeting, meeting.items[2], -1, user=_hans(make))
        assert [(i.case_id, i.paragraph) for i in meeting.items] == [
            (b.id, 1),
            (c.id, 2),
            (a.id, 3),
        ]
        decisions.record_decision(make.session, meeting.items[0], kind="adopted", user=_hans(make))
        with pytest.raises(ValidationError, match="beslut behåller sin §"):
            agenda_items.move_item(make.session, meeting, meeting.items[1], -1, user=_hans(make))


def test_only_approved_cases_go_on_the_agenda(make, app, approved):
    case = make.case("Inte godkänt", officer=approved.erik)
    meeting = make.meeting_with()
    with app.app_context(), pytest.raises(ValidationError, match="går inte nu"):
        agenda_items.add_case(
            make.session, make.session.merge(meeting), make.session.merge(case), user=_hans(make)
        )


@pytest.mark.parametrize(
    "kind, status",
    [
        ("adopted", "decided"),
        ("amended", "decided"),
        ("returned", "in_preparation"),
        ("tabled", "approved"),
    ],
)
def test_each_kind_of_decision_moves_the_case(make, app, approved, kind, status):
    case = approved()
    meeting = _meeting(make, app, case)
    with app.app_context():
        services.open_meeting(make.session, meeting, user=_hans(make))
        decisions.record_decision(
            make.session,
            meeting.items[0],
            kind=kind,
            user=_hans(make),
            points=["Ändrad punkt."] if kind == "amended" else None,
        )
    assert make.session.get(Case, case.id).status == status
    points = state.decision_points(meeting.items[0])
    if kind == "adopted":
        assert points[0].startswith("Region Jämtland Härjedalen avsätter arbetstid")
    if kind == "amended":
        assert points == ["Ändrad punkt."]


def test_justering_locks_the_protocol_and_corrections_are_audited(make, app, approved):
    case = approved()
    meeting = _meeting(make, app, case)
    with app.app_context():
        services.open_meeting(make.session, meeting, user=_hans(make))
        with pytest.raises(ValidationError, match="Beslut saknas för § 1"):
            attestation.attest(
                make.session,
                meeting,
                attested_on=date(2021, 11, 30),
                attested_by="Anna",
                user=_hans(make),
            )
        item = meeting.items[0]
        decisions.record_decision(make.session, item, kind="adopted", user=_hans(make))
        with pytest.raises(ValidationError, match="före sammanträdet"):
            attestation.attest(
                make.session,
                meeting,
                attested_on=date(2021, 11, 1),
                attested_by="Anna",
                user=_hans(make),
            )
        attestation.attest(
            make.session,
            meeting,
            attested_on=date(2021, 11, 30),
            attested_by="Anna Ordförande\nBertil Justerare",
            user=_hans(make),
        )
        with pytest.raises(ValidationError, match="rättelse och kräver skäl"):
            decisions.record_decision(
                make.session, item, kind="amended", user=_hans(make), points=["Rättad punkt"]
            )
        decisions.record_decision(
            make.session,
            item,
            kind="amended",
            user=_hans(make),
            points=["Rättad punkt"],
            correction_reason="Skrivfel i punkt 1",
        )
        make.session.commit()
    from caseflow.common.audit import events_for_case

    correction = [
        e for e in events_for_case(make.session, case.id) if e.action == "meeting.correct_decision"
    ]
    assert json.loads(correction[0].after)["reason"] == "Skrivfel i punkt 1"
    assert json.loads(correction[0].before)["points"][0].startswith("Region Jämtland")


def _docx_text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    return "\n".join(
        [p.text for p in doc.paragraphs] + [p.text for p in doc.sections[0].header.paragraphs]
    )


def test_no_excerpt_before_justering_unless_immediately_attested(make, app, approved, tmp_path):
    plain, urgent = approved("Vanligt ärende"), approved("Brådskande ärende")
    meeting = _meeting(make, app, plain, urgent)
    with app.app_context():
        services.open_meeting(make.session, meeting, user=_hans(make))
        decisions.record_decision(make.session, meeting.items[0], kind="adopted", user=_hans(make))
        decisions.record_decision(
            make.session,
            meeting.items[1],
            kind="adopted",
            user=_hans(make),
            immediately_attested=True,
        )
        with pytest.raises(ValidationError, match="justerat protokoll"):
            excerpts.render_excerpt(make.session, make.store, meeting.items[0])
        content, _template = excerpts.render_excerpt(make.session, make.store, meeting.items[1])
    text = _docx_text(content)
    assert "Paragrafen förklaras omedelbart justerad." in text
    assert "Paragrafen justerades omedelbart vid sammanträdet 2021-11-24" in text


def test_the_excerpt_has_everything_the_design_lists(make, app, approved):
    case = approved()
    meeting = _meeting(make, app, case)
    with app.app_context():
        services.open_meeting(make.session, meeting, user=_hans(make))
        decisions.record_decision(
            make.session,
            meeting.items[0],
            kind="adopted",
            user=_hans(make),
        )
        item = meeting.items[0]
        make.session.add(Motion(item_id=item.id, position=1, text="Ordföranden yrkar bifall."))
        make.session.add(
            Statement(
                item_id=item.id,
                kind="reservation",
                name="S-gruppen",
                text="S-gruppen reserverar sig till förmån för eget förslag.",
            )
        )
        make.session.add(
            Statement(
                item_id=item.id, kind="note", name="V", text="V lämnar en protokollsanteckning."
            )
        )
        make.session.flush()
        make.session.refresh(item)
        attestation.attest(
            make.session,
            meeting,
            attested_on=date(2021, 11, 30),
            attested_by="Anna Ordförande\nBertil Justerare",
            user=_hans(make),
        )
        content, _template = excerpts.render_excerpt(make.session, make.store, meeting.items[0])
    text = _docx_text(content)
    for expected in (
        "Region Jämtland Härjedalen",
        "PROTOKOLLSUTDRAG",
        "Regionstyrelsen",
        "Sammanträdesdatum: 2021-11-24, Regionens hus, Östersund",
        "§ 1",
        f"Dnr {case.number}",
        "Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
        "Ärendebeskrivning",
        "Ordföranden yrkar bifall.",
        "Regionstyrelsen beslutar",
        "1. Region Jämtland Härjedalen avsätter arbetstid",
        "2. Regiondirektören får i uppdrag",
        "Reservationer",
        "S-gruppen reserverar sig",
        "Protokollsanteckningar",
        "Justerat 2021-11-30 av Anna Ordförande och Bertil Justerare",
        "Rätt utdraget intygar",
        "Cecilia Sekreterare",
        "Utdrag till",
        "Vinnova",
    ):
        assert expected in text, expected
    assert "omedelbart justerad" not in text


def test_dispatch_sends_the_excerpt_and_registers_it_as_outgoing(make, app, approved, smtp):
    case = approved()
    meeting = _meeting(make, app, case)
    _decide_and_attest(make, app, meeting)
    with app.app_context():
        dispatch = dispatching.prepare_dispatch(
            make.session, make.store, meeting.items[0], user=_hans(make), prefer_pdf=False
        )
        make.session.flush()
        assert smtp.messages == []  # nothing leaves before the commit
        make.session.commit()  # … and it leaves once the commit is done
        assert len(smtp.messages) == 1
        # Sending again does nothing: the dispatch is no longer pending or failed.
        assert jobs.send_dispatch(dispatch.id, make.store) == "sent"
    assert len(smtp.messages) == 1
    recipients, message = smtp.messages[0]
    assert sorted(recipients) == ["erik.noaksson@regionjh.se", "registrator@vinnova.se"]
    assert message["Message-ID"] == dispatch.message_id
    assert dispatch.message_id.endswith("@caseflow.regionjh.se>")
    assert case.number in message["Subject"] and "§ 1" in message["Subject"]
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename().endswith(".docx")
    assert "Regionstyrelsen beslutar" in _docx_text(attachment.get_content())
    make.fresh()
    assert make.session.get(Case, case.id).status == "dispatched"
    outgoing = make.session.exec(select(Document).where(Document.direction == "outgoing")).one()
    assert outgoing.case_id == case.id and outgoing.message_id == dispatch.message_id
    assert "Vinnova" in outgoing.counterpart


def test_a_failed_send_is_recorded_and_retried_never_dropped(make, app, approved, smtp):
    case = approved()
    meeting = _meeting(make, app, case)
    _decide_and_attest(make, app, meeting)
    smtp.refuse = True
    with app.app_context():
        dispatch = dispatching.prepare_dispatch(
            make.session, make.store, meeting.items[0], user=_hans(make), prefer_pdf=False
        )
        make.session.commit()  # the send after the commit fails
        make.fresh()
        failed = make.session.get(Dispatch, dispatch.id)
        assert failed.status == "failed" and failed.attempts == 1
        rows = serving.recipients_of(make.session, failed)
        assert {r.status for r in rows} == {"failed"}
        assert "451" in rows[0].error_detail
        sentence = serving.describe(rows[0])
        assert "451" not in sentence
        assert "Nästa automatiska försök" in sentence  # tells the registrar what happens next
        assert make.session.get(Case, case.id).status == "decided"
        smtp.refuse = False
        assert jobs.retry_dispatches(make.store) == {}  # not before its retry time
        for row in rows:
            row.next_retry_at = row.last_attempt_at
        make.session.commit()
        assert jobs.retry_dispatches(make.store) == {dispatch.id: "sent"}
    assert len(smtp.messages) == 1
    make.fresh()
    assert make.session.get(Dispatch, dispatch.id).attempts == 2
    assert make.session.get(Case, case.id).status == "dispatched"


def test_a_rolled_back_dispatch_sends_nothing(make, app, approved, smtp):
    case = approved()
    meeting = _meeting(make, app, case)
    _decide_and_attest(make, app, meeting)
    with app.app_context():
        dispatching.prepare_dispatch(
            make.session, make.store, meeting.items[0], user=_hans(make), prefer_pdf=False
        )
        make.session.rollback()
        make.session.commit()
    assert smtp.messages == []
    assert make.session.exec(select(Dispatch)).all() == []


def test_without_a_mail_server_the_excerpt_is_written_to_the_outbox(make, app, approved):
    case = approved()
    meeting = _meeting(make, app, case)
    _decide_and_attest(make, app, meeting)
    assert not app.config.get("MAIL_SERVER")
    with app.app_context():
        dispatch = dispatching.prepare_dispatch(
            make.session, make.store, meeting.items[0], user=_hans(make), prefer_pdf=False
        )
        make.session.commit()
    (written,) = (Path(app.instance_path) / "outbox").glob("*.eml")
    message = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert message["Message-ID"] == dispatch.message_id
    assert case.number in message["Subject"]
    make.fresh()
    recorded = make.session.get(Dispatch, dispatch.id)
    assert (recorded.status, recorded.sent_via) == ("sent", "outbox")


def test_an_outbox_that_cannot_be_written_is_a_failed_dispatch_in_words(
    make, app, approved, tmp_path
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the outbox folder should be")
    app.config["MAIL_OUTBOX_DIR"] = str(blocked)
    meeting = _meeting(make, app, approved())
    _decide_and_attest(make, app, meeting)
    with app.app_context():
        dispatch = dispatching.prepare_dispatch(
            make.session, make.store, meeting.items[0], user=_hans(make), prefer_pdf=False
        )
        make.session.commit()
        make.fresh()
        failed = make.session.get(Dispatch, dispatch.id)
        assert failed.status == "failed"
        row = serving.recipients_of(make.session, failed)[0]
        sentence, detail = serving.describe(row), row.error_detail
    assert "utkorgsmappen" in sentence and "Errno" not in sentence and detail


def test_only_the_decision_of_the_case_is_dispatched_never_a_tabled_paragraph(
    make, app, approved, smtp
):
    """Tabled at one meeting, adopted at the next: the earlier § has nothing to send."""
    case = approved()
    first = _meeting(make, app, case)
    _decide_and_attest(make, app, first, kind="tabled")
    second = _meeting(make, app, make.session.merge(case), day=date(2021, 11, 26))
    _decide_and_attest(make, app, second)
    make.fresh()
    tabled, adopted = first.items[0], second.items[0]
    with app.app_context():
        with pytest.raises(ValidationError):
            dispatching.prepare_dispatch(
                make.session,
                make.store,
                make.session.merge(tabled),
                user=_hans(make),
                prefer_pdf=False,
            )
        make.session.rollback()
        dispatching.prepare_dispatch(
            make.session,
            make.store,
            make.session.merge(adopted),
            user=_hans(make),
            prefer_pdf=False,
        )
        make.session.commit()
    ((_recipients, message),) = smtp.messages
    assert "bordlägga" not in _docx_text(next(message.iter_attachments()).get_content())


def test_no_dispatch_before_justering(make, app, approved):
    case = approved()
    meeting = _meeting(make, app, case)
    with app.app_context():
        services.open_meeting(make.session, meeting, user=_hans(make))
        decisions.record_decision(make.session, meeting.items[0], kind="adopted", user=_hans(make))
        with pytest.raises(ValidationError, match="justerat"):
            dispatching.prepare_dispatch(
                make.session, make.store, meeting.items[0], user=_hans(make), prefer_pdf=False
            )


def test_deadlines_follow_the_meeting(make, app, approved):
    # The notice board is kept elsewhere: the secretary records the notice by hand.
    app.config["NOTICEBOARD_AUTO_POST"] = False
    meeting = _meeting(make, app, approved())
    _decide_and_attest(make, app, meeting)
    meeting = make.session.get(Meeting, meeting.id)
    deadlines = attestation.deadlines_of(meeting)
    assert deadlines.attestation_due == date(2021, 12, 8)
    assert deadlines.notice_due == date(2021, 12, 2)
    assert deadlines.appeal_ends is None
    with app.app_context():
        attestation.post_notice(
            make.session, meeting, posted_on=date(2021, 12, 1), user=_hans(make)
        )
    assert attestation.deadlines_of(meeting).appeal_ends == date(2021, 12, 22)


def test_the_agenda_and_the_protocol_print_as_docx(make, app, approved, client, login):
    first, second = approved("Första ärendet"), approved("Andra ärendet")
    meeting = _meeting(make, app, first, second)
    _decide_and_attest(make, app, meeting)
    login(_hans(make))
    with client.get(f"/meetings/{meeting.id}/agenda.docx") as response:
        agenda = _docx_text(response.data)
    assert "FÖREDRAGNINGSLISTA" in agenda
    assert agenda.index("§ 1  Första ärendet") < agenda.index("§ 2  Andra ärendet")
    with client.get(f"/meetings/{meeting.id}/protocol.docx") as response:
        protocol = _docx_text(response.data)
    for expected in (
        "PROTOKOLL",
        "Anna Ordförande, ordförande",
        "§ 1 Första ärendet",
        "Regionstyrelsen beslutar",
        "1. Region Jämtland Härjedalen avsätter",
        "Justerat 2021-11-30 av Anna Ordförande och Bertil Justerare",
    ):
        assert expected in protocol, expected

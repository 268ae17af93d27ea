"""Regionstyrelsen's delegationsordning; an official decides under delegation 3.2; the
decision is sent like an excerpt and reported to the board as a §."""

import io
import json
from datetime import date, datetime

import pytest
from docx import Document as Docx
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.cases.workflow import apply_transition
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.documents.models import Document, DocumentFile
from caseflow.meetings import agenda_items
from caseflow.meetings import delegation as register
from caseflow.meetings import dispatch as dispatching
from caseflow.meetings.delegated_decisions import decide_under_delegation
from caseflow.meetings.delegation_models import DelegatedDecision
from caseflow.meetings.dispatch_models import Dispatch
from caseflow.meetings.models import AgendaItem
from tests.meetings.conftest import RESTING_ON

DECIDED_ON = date(2021, 11, 10)


def _decide(make, app, case, delegation, *, user, on=DECIDED_ON, points=None, with_pdf=False):
    with app.app_context():
        decision = decide_under_delegation(
            make.session,
            make.store,
            case,
            delegation=make.session.merge(delegation),
            points=points
            if points is not None
            else [
                "Region Jämtland Härjedalen avsätter arbetstid motsvarande 134 100 kronor.",
                "Regiondirektören får i uppdrag att ansöka om finansiering från Vinnova.",
            ],
            decided_on=on,
            decided_by_name="Hans Svensson, Regiondirektör",
            user=user,
            with_pdf=with_pdf,
        )
    make.session.commit()
    return decision


def _docx_of(make, decision) -> str:
    file = make.session.exec(
        select(DocumentFile).where(
            DocumentFile.document_id == decision.document_id,
            DocumentFile.filename.endswith(".docx"),
        )
    ).one()
    with make.store.open(file.sha256) as handle:
        doc = Docx(io.BytesIO(handle.read()))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    parts += [p.text for s in doc.sections for p in s.header.paragraphs]
    return "\n".join(parts)


# --- the register -----------------------------------------------------------------------


def test_the_register_keeps_numbers_unique_dates_in_order_and_the_decision_it_rests_on(
    make, app, board
):
    organ, delegation = board
    values = {
        "code": "3.2",
        "matter": "Något annat",
        "delegate": "Ekonomidirektör",
        "resting_on": RESTING_ON,
        "valid_from": date(2022, 1, 1),
    }
    with app.app_context():
        with pytest.raises(ValidationError, match="redan"):
            register.add_delegation(make.session, organ, **values)
        with pytest.raises(ValidationError, match="slutar|början|börjar"):
            register.add_delegation(
                make.session, organ, **{**values, "code": "3.3", "valid_to": date(2021, 12, 31)}
            )
        with pytest.raises(ValidationError):
            register.add_delegation(make.session, organ, **{**values, "resting_on": " "})
        # Once 3.2 is out of use, its number may be given to a new line.
        register.deactivate_delegation(make.session, make.session.merge(delegation))
        new = register.add_delegation(make.session, organ, **values)
        make.session.commit()
        assert register.delegations_for(make.session, organ, date(2022, 6, 1)) == [new]
        assert register.delegations_for(make.session, organ, date(2021, 6, 1)) == []
    assert [d.code for d in register.delegations_of(make.session, organ)] == ["3.2", "3.2"]


def test_a_delegation_is_valid_only_between_its_dates(make, app, board):
    organ, _delegation = board
    with app.app_context():
        ending = register.add_delegation(
            make.session,
            organ,
            code="4.1",
            matter="Yttranden på remisser",
            delegate="Regiondirektör",
            resting_on=RESTING_ON,
            valid_from=date(2021, 1, 1),
            valid_to=date(2021, 6, 30),
        )
        make.session.commit()
        assert ending in register.delegations_for(make.session, organ, date(2021, 6, 30))
        assert ending not in register.delegations_for(make.session, organ, date(2021, 7, 1))


# --- the decision -----------------------------------------------------------------------


def test_an_official_decides_under_delegation_3_2_and_the_decision_document_says_so(
    make, app, board, preparing
):
    _organ, delegation = board
    case = preparing()
    decision = _decide(make, app, case, delegation, user=preparing.erik)

    make.fresh()
    assert make.session.get(Case, case.id).status == "decided"
    stored = make.session.get(DelegatedDecision, decision.id)
    assert stored.delegation.code == "3.2" and stored.decided_on == DECIDED_ON
    assert stored.decided_by_id == preparing.erik.id and stored.reported_item_id is None
    document = make.session.get(Document, stored.document_id)
    assert (document.case_id, document.direction) == (case.id, "internal")
    assert document.kind == "Delegationsbeslut"

    text = _docx_of(make, stored)
    assert "BESLUT" in text and f"Dnr {case.number}" in text and "2021-11-10" in text
    assert "1. Region Jämtland Härjedalen avsätter arbetstid motsvarande 134 100 kronor." in text
    assert "2. Regiondirektören får i uppdrag att ansöka om finansiering från Vinnova." in text
    assert (
        "Beslutet är fattat med stöd av delegation enligt punkt 3.2 i Regionstyrelsens "
        f"delegationsordning (beslut {RESTING_ON})." in text
    )
    assert "Hans Svensson, Regiondirektör" in text
    # How to appeal: laglighetsprövning, three weeks from the notice of the protocol.
    assert "laglighetsprövning" in text and "13 kap. kommunallagen" in text
    assert "inom tre veckor" in text and "anslagstavla" in text
    assert "förvaltningsrätten" in text
    # The court may only annul the decision, and the letter goes to it directly.
    assert "kan upphäva beslutet men inte ändra det" in text
    assert "direkt till förvaltningsrätten" in text


def test_the_decision_document_never_carries_a_secret_case_title(make, app, board, preparing):
    _organ, delegation = board
    case = preparing(
        "Stöd till företaget HEMLIGT AB i kris",
        title_is_secret=True,
        public_title="Stöd till ett företag",
        secrecy_provision="OSL 31 kap. 16 §",
    )
    decision = _decide(make, app, case, delegation, user=preparing.erik)
    make.fresh()
    text = _docx_of(make, make.session.get(DelegatedDecision, decision.id))
    assert "HEMLIGT" not in text and "Stöd till ett företag" in text
    document = make.session.get(Document, decision.document_id)
    assert "HEMLIGT" not in document.title


def test_the_delegation_must_be_valid_on_the_day_of_the_decision(make, app, board, preparing):
    _organ, delegation = board
    case = preparing()
    with pytest.raises(ValidationError, match="3.2"):
        _decide(make, app, case, delegation, user=preparing.erik, on=date(2021, 2, 1))
    make.session.rollback()
    assert make.session.merge(case).status == "in_preparation"
    assert make.session.exec(select(DelegatedDecision)).all() == []


def test_only_the_cases_officer_decides_under_delegation(make, app, board, preparing):
    from caseflow.common.errors import PermissionDenied

    _organ, delegation = board
    case = preparing()
    with pytest.raises(PermissionDenied):
        _decide(make, app, case, delegation, user=preparing.hans)


def test_the_bare_transition_is_refused_on_the_case_page_and_the_command_line(
    make, app, board, preparing, client, login, runner
):
    from caseflow.cli import cli

    case = preparing()
    with app.app_context(), pytest.raises(ValidationError, match="egen sida"):
        apply_transition(make.session, case, "decide_delegated", user=preparing.erik)
    make.session.rollback()
    login(preparing.erik)
    client.post(f"/cases/{case.number}/transition", data={"action": "decide_delegated"})
    args = ["case", "transition", case.number, "decide_delegated", "--as", preparing.erik.email]
    refused = runner.invoke(cli, args)
    assert refused.exit_code == 2, refused.output
    make.fresh()
    assert make.session.get(Case, case.id).status == "in_preparation"
    # The case page offers the decision's own page instead of a button.
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert 'value="decide_delegated"' not in page
    assert f'href="/cases/{case.number}/delegated-decision"' in page


def test_the_officer_decides_on_the_decision_page(make, app, board, preparing, client, login):
    _organ, delegation = board
    case = preparing()
    login(preparing.erik)
    form = client.get(f"/cases/{case.number}/delegated-decision").get_data(as_text=True)
    assert "Regionstyrelsen 3.2" in form
    assert "Regiondirektören får i uppdrag att ansöka om finansiering från Vinnova." in form
    response = client.post(
        f"/cases/{case.number}/delegated-decision",
        data={
            "delegation_id": delegation.id,
            "points-0": "Regionen medfinansierar projektet med 134 100 kronor.",
            "points-1": "",
            "decided_on": "2021-11-10",
            "decided_by_name": "Hans Svensson, Regiondirektör",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    make.fresh()
    decision = make.session.exec(select(DelegatedDecision)).one()
    assert json.loads(decision.points) == ["Regionen medfinansierar projektet med 134 100 kronor."]
    assert make.session.get(Case, case.id).status == "decided"


def test_with_libreoffice_the_decision_is_registered_as_pdf_a_too(make, app, board, preparing):
    from caseflow.pdf import converter

    if not converter.is_available():
        pytest.skip("LibreOffice is not installed")
    _organ, delegation = board
    decision = _decide(make, app, preparing(), delegation, user=preparing.erik, with_pdf=True)
    make.fresh()
    files = make.session.exec(
        select(DocumentFile).where(DocumentFile.document_id == decision.document_id)
    ).all()
    assert sorted(f.filename.rsplit(".", 1)[1] for f in files) == ["docx", "pdf"]


# --- dispatch ---------------------------------------------------------------------------


def test_the_decision_is_sent_to_the_recipients_like_an_excerpt(make, app, board, preparing, smtp):
    _organ, delegation = board
    case = preparing()
    decision = _decide(make, app, case, delegation, user=preparing.erik)
    with app.app_context():
        dispatch = dispatching.prepare_decision_dispatch(
            make.session, make.store, make.session.merge(decision), user=preparing.hans
        )
        assert smtp.messages == []  # nothing leaves before the commit
        make.session.commit()
    ((recipients, message),) = smtp.messages
    assert sorted(recipients) == ["erik.noaksson@regionjh.se", "registrator@vinnova.se"]
    assert case.number in message["Subject"] and "Delegationsbeslut" in message["Subject"]
    (attachment,) = list(message.iter_attachments())
    assert "punkt 3.2" in "\n".join(
        p.text for p in Docx(io.BytesIO(attachment.get_content())).paragraphs
    )
    make.fresh()
    sent = make.session.get(Dispatch, dispatch.id)
    assert sent.status == "sent" and sent.agenda_item_id is None
    assert make.session.get(Case, case.id).status == "dispatched"
    outgoing = make.session.exec(select(Document).where(Document.direction == "outgoing")).one()
    assert outgoing.message_id == dispatch.message_id and outgoing.kind == "Delegationsbeslut"


# --- the report to the board ------------------------------------------------------------


def _meeting(make, app, day):
    meeting = make.meeting_with(
        starts_at=datetime(day.year, day.month, day.day, 9, tzinfo=LOCAL_TZ)
    )
    return make.session.merge(meeting)


def test_the_report_lists_exactly_the_unreported_decisions_up_to_the_meeting(
    make, app, board, preparing, client, login
):
    _organ, delegation = board
    first = preparing("Medfinansiering av projekt A")
    second = preparing("Medfinansiering av projekt B")
    later = preparing("Medfinansiering av projekt C")
    secret = preparing(
        "Stöd till HEMLIGT AB",
        title_is_secret=True,
        public_title="Stöd till ett företag",
        secrecy_provision="OSL 31 kap. 16 §",
    )
    _decide(make, app, first, delegation, user=preparing.erik, on=date(2021, 11, 1))
    _decide(make, app, second, delegation, user=preparing.erik, on=date(2021, 11, 15))
    _decide(make, app, secret, delegation, user=preparing.erik, on=date(2021, 11, 16))
    _decide(make, app, later, delegation, user=preparing.erik, on=date(2021, 12, 1))
    meeting = _meeting(make, app, date(2021, 11, 24))
    with app.app_context():
        item = register.report_delegated_decisions(make.session, meeting, user=preparing.hans)
        make.session.commit()
    assert (item.kind, item.title) == ("delegation_report", "Anmälan av delegationsbeslut")
    lines = item.body.split("\n")
    assert len(lines) == 3
    assert lines[0].startswith(f"{first.number} Medfinansiering av projekt A. Beslut 2021-11-01")
    assert "punkt 3.2" in lines[0] and "Hans Svensson, Regiondirektör" in lines[0]
    assert lines[1].startswith(f"{second.number} Medfinansiering av projekt B")
    assert (
        lines[2].startswith(f"{secret.number} Stöd till ett företag") and "HEMLIGT" not in item.body
    )
    assert later.number not in item.body
    reported = make.session.exec(
        select(DelegatedDecision).where(DelegatedDecision.reported_item_id == item.id)
    ).all()
    assert {d.case_id for d in reported} == {first.id, second.id, secret.id}
    # A second report finds none, and says so.
    with app.app_context(), pytest.raises(ValidationError, match="inga delegationsbeslut"):
        register.report_delegated_decisions(make.session, meeting, user=preparing.hans)
    make.session.rollback()
    assert (
        len(
            make.session.exec(
                select(AgendaItem).where(AgendaItem.kind == "delegation_report")
            ).all()
        )
        == 1
    )


def test_the_report_button_on_the_meeting_page(make, app, board, preparing, client, login):
    _organ, delegation = board
    case = preparing()
    _decide(make, app, case, delegation, user=preparing.erik)
    meeting = _meeting(make, app, date(2021, 11, 24))
    login(preparing.hans)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert case.number in page and f"/meetings/{meeting.id}/delegation-report" in page
    response = client.post(f"/meetings/{meeting.id}/delegation-report", follow_redirects=True)
    assert response.status_code == 200
    assert "Anmälan av delegationsbeslut" in response.get_data(as_text=True)
    make.fresh()
    assert make.session.exec(select(DelegatedDecision)).one().reported_item_id is not None
    again = client.post(f"/meetings/{meeting.id}/delegation-report", follow_redirects=True)
    assert "inga delegationsbeslut" in again.get_data(as_text=True)
    make.fresh()
    assert len(make.session.exec(select(AgendaItem)).all()) == 1


def test_a_report_taken_off_the_agenda_leaves_its_decisions_to_report_again(
    make, app, board, preparing
):
    _organ, delegation = board
    _decide(make, app, preparing(), delegation, user=preparing.erik)
    meeting = _meeting(make, app, date(2021, 11, 24))
    with app.app_context():
        item = register.report_delegated_decisions(make.session, meeting, user=preparing.hans)
        make.session.commit()
        agenda_items.remove_item(make.session, item, reason="Fel sammanträde", user=preparing.hans)
        make.session.commit()
    make.fresh()
    assert make.session.exec(select(DelegatedDecision)).one().reported_item_id is None
    assert len(register.unreported_decisions(make.session, make.session.merge(meeting))) == 1

"""The registrar sees when a decision gains legal force, records an appeal that came in on
the case page, and the meeting page says "Överklagat" under the §."""

import json
from datetime import date
from html import unescape

from tests.factories import PASSWORD
from tests.meetings.conftest import delegated_decision


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_the_registrar_records_an_appeal_and_the_clock_stops(make, app, client, login, decided):
    case, item = decided()
    official = make.user("official")
    registrar = make.user("registrar")
    login(registrar)
    page = _text(client.get(f"/cases/{case.number}"))
    assert "Vann laga kraft 2021-12-23." in page
    assert "Laglighetsprövning (KL 13 kap. 5 §): från 2021-12-01, löper ut 2021-12-22" in page
    assert "Registrera ett inkommet överklagande" in page

    response = client.post(
        f"/cases/{case.number}/appeals",
        data={
            "appeal-kind": "legality",
            "appeal-case_party_id": "0",
            "appeal-appellant": "Gunnel Kommunmedlem",
            "appeal-received_on": "2021-12-20",
            "appeal-document_id": "0",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{case.number}#legal-force"
    page = _text(client.get(f"/cases/{case.number}"))
    assert "Överklagat: beslutet vinner inte laga kraft medan överklagandet prövas." in page
    assert "Laglighetsprövning (KL 13 kap. 5 §) av Gunnel Kommunmedlem, inkom 2021-12-20" in page
    meeting_page = _text(client.get(f"/meetings/{item.meeting_id}"))
    assert '<p class="legal-force-line"><small>Överklagat</small>' in meeting_page

    (appeal_id,) = [a.id for a in make.session.exec(_appeals(case)).all()]
    response = client.post(
        f"/cases/{case.number}/appeals/{appeal_id}/end",
        data={
            f"end{appeal_id}-how": "decided",
            f"end{appeal_id}-ended_on": "2022-03-01",
            f"end{appeal_id}-outcome": "Förvaltningsrätten avslår överklagandet.",
        },
    )
    assert response.status_code == 302
    page = _text(client.get(f"/cases/{case.number}"))
    assert "Avgjort av domstolen 2022-03-01: Förvaltningsrätten avslår överklagandet." in page

    reader = app.test_client()
    reader.post("/login", data={"email": official.email, "password": PASSWORD})
    page = _text(reader.get(f"/cases/{case.number}"))
    assert "Laga kraft" in page and "Registrera ett inkommet överklagande" not in page


def _appeals(case):
    from sqlmodel import select

    from caseflow.meetings.appeal_models import Appeal

    return select(Appeal).where(Appeal.case_id == case.id)


def test_an_empty_appeal_form_is_sent_back_with_what_is_missing(make, client, login, decided):
    case, _item = decided()
    login(make.user("manager"))
    response = client.post(f"/cases/{case.number}/appeals", data={}, follow_redirects=True)
    assert response.status_code == 200
    assert make.session.exec(_appeals(case)).first() is None
    assert 'class="flash flash-error"' in response.get_data(as_text=True)


def test_the_meeting_page_says_when_each_decision_gains_legal_force(make, client, login, decided):
    _case, item = decided()
    login(make.user("manager"))
    page = _text(client.get(f"/meetings/{item.meeting_id}"))
    assert "Vann laga kraft 2021-12-23" in page


def test_the_secretary_records_the_notice_of_a_delegated_decision(make, app, client, login):
    case = make.case("Medfinansiering under delegation")
    decision = delegated_decision(make, case)
    login(make.user("manager"))
    page = _text(client.get(f"/cases/{case.number}/delegated-decision"))
    assert "när beslutet har anmälts till nämnden och protokollets justering har anslagits" in page
    response = client.post(
        f"/cases/{case.number}/delegated-decision/notice", data={"posted_on": "2021-11-15"}
    )
    assert response.status_code == 302
    page = _text(client.get(f"/cases/{case.number}/delegated-decision"))
    # Monday 15 November 2021 + 3 weeks: Monday 6 December; legal force Tuesday 7th.
    assert "Vann laga kraft 2021-12-07." in page
    make.session.refresh(make.session.merge(decision))
    assert json.loads(decision.points) == ["Beviljar medfinansiering."]
    assert make.session.merge(decision).notice_posted_on == date(2021, 11, 15)


def test_a_dispatched_case_waits_for_its_decision_to_gain_legal_force(
    make, app, client, login, decided
):
    from tests.meetings.test_next_step import next_step_box

    case, _item = decided(notice=None)
    make.session.merge(case).status = "dispatched"
    make.session.commit()
    login(make.user("registrar"))
    assert next_step_box(client, case) == (
        "Ärendet avslutas när beslutet har vunnit laga kraft, vilket blir känt när "
        "protokollets justering har anslagits."
    )

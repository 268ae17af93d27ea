"""One error path: a broken rule rolls back what was flushed, says why and goes back."""

from urllib.parse import urljoin

import pytest

from caseflow.cases import services
from caseflow.cases.models import Case
from caseflow.common.errors import ValidationError

MESSAGE = "Makuleringen stoppades av en regel."


@pytest.fixture
def failing_void(monkeypatch):
    """A void service that changes the case, flushes, and only then finds a broken rule."""

    def void_case(session, case, *, reason):
        case.title = "Ändrad av en tjänst som sedan misslyckades"
        session.flush()
        raise ValidationError(MESSAGE)

    monkeypatch.setattr(services, "void_case", void_case)


def test_a_failed_post_leaves_nothing_in_the_database(make, client, login, failing_void):
    case = make.case("Inbjudan att ingå i Myndighetsnätverket")
    login(make.user("registrar"))
    page_url = f"http://localhost/cases/{case.number}"
    response = client.post(
        f"/cases/{case.number}/void",
        data={"reason": "Fel ärende"},
        headers={"Referer": page_url},
    )
    assert response.status_code == 303
    assert urljoin(page_url, response.headers["Location"]) == page_url  # back where it was
    assert make.fresh().get(Case, case.id).title == "Inbjudan att ingå i Myndighetsnätverket"
    assert MESSAGE in client.get(f"/cases/{case.number}").get_data(as_text=True)


def test_a_referrer_on_another_host_is_not_followed(make, client, login, failing_void):
    case = make.case()
    login(make.user("registrar"))
    response = client.post(
        f"/cases/{case.number}/void",
        data={"reason": "Fel ärende"},
        headers={"Referer": "https://elak.example/cases/RS/1/2021"},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/cases/{case.number}"


def test_a_json_request_gets_the_message_as_json(make, client, login, failing_void):
    case = make.case()
    login(make.user("registrar"))
    response = client.post(
        f"/cases/{case.number}/void",
        data={"reason": "Fel ärende"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.get_json() == {"error": MESSAGE}
    assert make.fresh().get(Case, case.id).title == "Projekt Test av coworking och hybridarbete"


def test_a_form_shown_again_keeps_what_was_typed_and_nothing_is_saved(make, client, login):
    case = make.case()
    login(make.user("registrar"))
    response = client.post(
        f"/cases/{case.number}/edit",
        data={
            "title": "Ny ärendemening som inte sparas",
            "version": "99",
            "officer_id": "0",
            "reason": "Stavfel",
        },
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "har ändrats av någon annan" in page
    assert 'value="Ny ärendemening som inte sparas"' in page
    assert make.fresh().get(Case, case.id).title == "Projekt Test av coworking och hybridarbete"

"""An overdue request: marked on the registrar's list and dashboard, and in the officer's
daily digest."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from caseflow.disclosure.models import DocumentRequest
from caseflow.reminders.digest import digest_lines
from tests.disclosure.conftest import ask


def _overdue(make, client, rs720):
    ask(client, case="RS/720/2021", document=str(rs720.application.id), delivery="pickup")
    session = make.fresh()
    found = session.exec(select(DocumentRequest)).one()
    # Received on Friday 5 December 2025: due Monday the 8th, and now late.
    found.received_on, found.due_on = date(2025, 12, 5), date(2025, 12, 8)
    session.commit()
    return found


def test_the_registrar_sees_it_overdue(client, make, login, rs720):
    found = _overdue(make, client, rs720)
    login(rs720.registrar)
    listing = client.get("/begaran/").get_data(as_text=True)
    assert f"{found.number}</a>" in listing and "2025-12-08 (försenad)" in listing
    dashboard = client.get("/").get_data(as_text=True)
    assert "Begäran om allmän handling" in dashboard
    assert "försenad 2025-12-08" in dashboard


def test_the_officer_digest_names_it(app, client, make, rs720):
    found = _overdue(make, client, rs720)
    erik = make.fresh().merge(rs720.erik)
    with app.test_request_context():
        before = digest_lines(make.fresh(), erik, date(2025, 12, 8))
        after = digest_lines(make.fresh(), erik, date(2025, 12, 9))
    assert not any(found.number in line for line in before)  # due that day: not yet late
    assert any(found.number in line and "2025-12-08" in line for line in after)

"""An overdue request: marked on the registrar's list and dashboard, and in the officer's
daily digest; the registrars' digest names every request due today or late, their own
(without a case or officer) and the officers' alike."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from caseflow.disclosure.models import DocumentRequest
from caseflow.reminders.digest import digest_lines
from caseflow.reminders.jobs import send_daily_digests
from tests.disclosure.conftest import ask, decide


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
    # Due that day: not yet late, but its last day.
    assert before == [f"Begäran om allmän handling ska vara klar i dag: {found.number}"]
    assert any(found.number in line and "2025-12-08" in line for line in after)


def _dated(make, number, received_on, due_on):
    session = make.fresh()
    found = session.exec(select(DocumentRequest).where(DocumentRequest.number == number)).one()
    found.received_on, found.due_on = received_on, due_on
    session.commit()
    return found


def _two_requests(make, client, rs720):
    """On Tuesday 9 December 2025: a request without a case, the registrars' own, was due
    the day before; one for the application, Erik's, is due today."""
    ask(client, wanted="Alla beslut om coworking 2025", delivery="pickup")
    ask(client, case="RS/720/2021", document=str(rs720.application.id), delivery="pickup")
    own, eriks = make.fresh().exec(select(DocumentRequest).order_by(DocumentRequest.id)).all()
    assert own.assigned_to_id is None and eriks.assigned_to_id == rs720.erik.id
    own = _dated(make, own.number, date(2025, 12, 5), date(2025, 12, 8))
    eriks = _dated(make, eriks.number, date(2025, 12, 8), date(2025, 12, 9))
    return own, eriks


def test_the_registrars_digest_names_every_request_due_today_or_late(app, client, make, rs720):
    own, eriks = _two_requests(make, client, rs720)
    session = make.fresh()
    with app.test_request_context():
        rita = digest_lines(session, session.merge(rs720.registrar), date(2025, 12, 9))
        erik = digest_lines(session, session.merge(rs720.erik), date(2025, 12, 9))
    assert rita == [
        f"Begäran om allmän handling försenad: {own.number} (skulle vara klar 2025-12-08), "
        "prövas av registratorerna",
        f"Begäran om allmän handling ska vara klar i dag: {eriks.number}, prövas av Erik Noaksson",
    ]
    # The officer is told of his own only, on its last day.
    assert erik == [f"Begäran om allmän handling ska vara klar i dag: {eriks.number}"]


def test_the_registrar_receives_the_digest_by_mail(app, client, make, rs720, smtp):
    own, eriks = _two_requests(make, client, rs720)
    make.user("registrar", name="Slutat", email="slutat@regionjh.se", enabled=False)
    with app.app_context():
        counts = send_daily_digests(date(2025, 12, 9))
        again = send_daily_digests(date(2025, 12, 9))
    assert counts["sent"] == 2 and again["sent"] == 0  # Rita and Erik, once each
    mailed = {tuple(rcpt): message.get_content() for rcpt, message in smtp.messages}
    assert set(mailed) == {("rita@regionjh.se",), ("erik.noaksson@regionjh.se",)}
    assert own.number in mailed[("rita@regionjh.se",)]
    assert eriks.number in mailed[("rita@regionjh.se",)]
    assert own.number not in mailed[("erik.noaksson@regionjh.se",)]


def test_a_decided_request_leaves_the_digest(app, client, make, login, rs720):
    _own, eriks = _two_requests(make, client, rs720)
    login(rs720.erik)
    session = make.fresh()
    item = session.get(DocumentRequest, eriks.id).items[0]
    decide(client, eriks, item, outcome="released")
    session = make.fresh()
    with app.test_request_context():
        rita = digest_lines(session, session.merge(rs720.registrar), date(2025, 12, 9))
    assert not any(eriks.number in line for line in rita)

"""The demo a newcomer sees after `make run`."""

from datetime import date

from sqlmodel import func, select

from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cli import cli
from caseflow.common.audit_verify import verify as verify_chain


def test_the_demo_is_a_living_diarium(runner, make, client):
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    make.session.rollback()
    roles = set(make.session.exec(select(User.role)).all())
    assert roles == {"registrar", "official", "manager", "admin", "member"}
    coworking = make.session.exec(select(Case).where(Case.number == "RS/720/2021")).one()
    assert coworking.title.startswith("Projekt Test av coworking och hybridarbete")
    assert coworking.unit.name == "Näringsliv"
    invitation = make.session.exec(select(Case).where(Case.number == "RS/412/2021")).one()
    assert invitation.parties[0].organisation == "Länsstyrelsen Jämtlands län"
    total = make.session.exec(select(func.count()).select_from(Case)).one()
    assert total >= 20
    statuses = set(make.session.exec(select(Case.status)).all())
    assert len(statuses) >= 6
    assert verify_chain(make.session).ok
    from caseflow.meetings.dispatch_models import Dispatch
    from caseflow.meetings.models import Meeting

    held, recent, coming = make.session.exec(select(Meeting).order_by(Meeting.starts_at)).all()
    assert held.is_attested
    # The meeting two days ago awaits digital justering by its chair and two attesters, each
    # with a member's login printed by the demo.
    from caseflow.meetings.justering import awaiting
    from caseflow.meetings.signatures import signatures_of

    assert recent.status == "opened" and recent.sent_for_justering_at is not None
    asked = signatures_of(make.session, recent)
    assert [s.name for s in asked] == [recent.chair, *recent.attesters.split("\n")]
    members = make.session.exec(select(User).where(User.role == "member")).all()
    assert len(members) == 3 and all(awaiting(make.session, m) for m in members)
    assert all(m.email in result.output for m in members)
    decided = {make.session.get(Case, i.case_id).status for i in held.items if i.has_case}
    assert decided == {"decided", "dispatched"}
    assert coming.status == "planned" and coming.items[0].kind == "opening"
    # Every case on an agenda has its meeting, every approved case its proposal points.
    from caseflow.memos.services import get_memo

    on_agenda = make.session.exec(select(Case).where(Case.status == "on_agenda")).all()
    assert on_agenda and {c.id for c in on_agenda} <= {i.case_id for i in coming.items}
    for case in make.session.exec(select(Case).where(Case.status == "approved")).all():
        assert get_memo(make.session, case).points
    assert len(make.session.exec(select(Dispatch)).all()) == 2
    # The held meeting shows every part of a protocol.
    kinds = {item.kind for item in held.items}
    assert {"opening", "attesters", "agenda", "case", "delegation_report", "information"} <= kinds
    assert any(item.is_closed and item.public_title for item in held.items)
    assert any(a.serving_for_id for a in held.attendees)
    voted = [item for item in held.items if item.votes]
    assert len(voted) == 1 and voted[0].votes[0].yes_count == voted[0].votes[0].no_count
    assert {s.kind for s in voted[0].statements} == {"reservation", "note"}
    from caseflow.meetings.delegation_models import DelegatedDecision

    decisions = make.session.exec(select(DelegatedDecision)).all()
    assert decisions and all(d.document_id for d in decisions)
    assert any(d.reported_item_id for d in decisions)
    # The shared mailbox brought mail: some filed by intake, some waiting for the registrar.
    from caseflow.mail.models import MailMessage

    mail = {m.subject: m for m in make.session.exec(select(MailMessage)).all()}
    reply = mail["SV: RS/720/2021 Frågor om hyresavtalet"]
    assert reply.status == "filed" and reply.case_id == coworking.id
    vinnova = mail["Beslut om finansiering – Test av coworking och hybridarbete"]
    assert vinnova.status == "queued" and "RS/720/2021" in vinnova.suggested_cases
    forward = mail["VB: Inbjudan till dialogmöte om Myndighetsnätverket"]
    assert (
        forward.status == "queued" and forward.original_from == "susanna.lofgren@lansstyrelsen.se"
    )
    assert "RS/412/2021" in forward.suggested_cases  # a known counterpart's case
    assert mail["Frånvaro: Kallelse till Regionstyrelsen"].status == "autoreply"
    # The notice board shows the held meeting's protocol (posted at justering, its appeal
    # period still running) and announces the coming meeting, to anyone.
    board = client.get("/anslagstavla/").get_data(as_text=True)
    assert "Protokoll från Regionstyrelsen" in board
    assert "Regionstyrelsen sammanträder" in board
    # A demo login works and shows the memo's case with its documents.
    response = client.post(
        "/login", data={"email": "erik.noaksson@regionjh.se", "password": "demo-caseflow"}
    )
    assert response.status_code == 302
    page = client.get("/cases/RS/720/2021").get_data(as_text=True)
    assert "RS/720/2021-2" in page and "Tjänsteskrivelse RS-720-2021.docx" in page
    _the_requests_for_documents(make, client, coworking)


def _the_requests_for_documents(make, client, coworking):
    """An anonymous visitor's request waits for Erik's review, the registrars' own is
    overdue, and one was released, paid and posted: the lists and dashboards show them."""
    from caseflow.common.timeutil import today
    from caseflow.disclosure.models import DocumentRequest

    requests = make.session.exec(select(DocumentRequest).order_by(DocumentRequest.id)).all()
    overdue, delivered, waiting = requests
    erik = make.session.exec(select(User).where(User.email == "erik.noaksson@regionjh.se")).one()
    assert waiting.status == "received" and waiting.requester_name is None
    assert waiting.assigned_to_id == erik.id and waiting.case_id == coworking.id
    assert waiting.items[0].document_id is not None
    assert overdue.assigned_to_id is None and overdue.is_overdue(today())
    assert delivered.status == "delivered" and (delivered.fee, delivered.fee_paid_on) == (
        54,
        today(),
    )
    dashboard = client.get("/").get_data(as_text=True)  # Erik's: his own request
    assert waiting.number in dashboard and overdue.number not in dashboard
    client.post("/logout")
    client.post("/login", data={"email": "karin.ek@regionjh.se", "password": "demo-caseflow"})
    listing = client.get("/begaran/").get_data(as_text=True)
    assert all(r.number in listing for r in requests)
    assert "(försenad)" in listing and "Nyligen handlagda" in listing
    assert overdue.number in client.get("/").get_data(as_text=True)
    page = client.get(f"/begaran/{delivered.number}").get_data(as_text=True)
    assert f"Betald {today().isoformat()}" in page and "Erik Noaksson" in page
    _the_registrar_can_publish_files_at_once(make, client, coworking)


def _the_registrar_can_publish_files_at_once(make, client, coworking):
    """Both series publish files from 2021 on, set on the series (no configuration), so
    the logged-in registrar is offered to publish the Vinnova application's file."""
    from caseflow.cases.models import Series
    from caseflow.documents.models import Document

    dates = {s.code: s.publish_files_from for s in make.session.exec(select(Series)).all()}
    assert dates == {"RS": date(2021, 1, 1), "HSN": date(2021, 1, 1)}
    application = make.session.exec(
        select(Document).where(Document.case_id == coworking.id, Document.seq == 1)
    ).one()
    make.session.rollback()
    page = client.get(f"/documents/{application.id}").get_data(as_text=True)
    assert "Publicera filerna" in page


def test_the_demo_goes_only_into_an_empty_database(runner, make):
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    assert runner.invoke(cli, ["demo"]).exit_code == 2
    assert runner.invoke(cli, ["demo", "--if-empty"]).exit_code == 0

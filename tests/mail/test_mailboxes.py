"""The admin's functional mailboxes: validated, and the password never shown or logged."""

from __future__ import annotations

import json

from sqlmodel import select

from caseflow.cli import cli
from caseflow.common.audit import AuditEvent
from caseflow.mail.models import Mailbox

FORM = {
    "name": "Platina RS",
    "address": "platina@regionjh.se",
    "host": "imap.regionjh.se",
    "port": "993",
    "security": "ssl",
    "username": "platina",
    "password": "Sup3r-hemligt",
    "folder": "INBOX",
    "processed_folder": "Diarieförda",
    "failed_folder": "Ej lästa",
    "is_active": "y",
}


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_admin_adds_a_mailbox_and_mistakes_are_explained(make, client, login):
    login(make.user("admin"))
    same = client.post("/admin/mailboxes/new", data={**FORM, "failed_folder": "INBOX"})
    assert same.status_code == 422 and "måste skilja sig" in same.get_data(as_text=True)
    no_password = client.post("/admin/mailboxes/new", data={**FORM, "password": ""})
    assert no_password.status_code == 422 and "lösenordet" in no_password.get_data(as_text=True)
    assert make.fresh().exec(select(Mailbox)).all() == []

    assert client.post("/admin/mailboxes/new", data=FORM).status_code == 302
    listing = page(client, "/admin/mailboxes/")
    assert "Platina RS" in listing and "Diarieförda" in listing
    again = client.post("/admin/mailboxes/new", data=FORM)
    assert again.status_code == 422 and "finns redan" in again.get_data(as_text=True)


def test_the_connection_test_says_what_went_wrong(make, client, login):
    login(make.user("admin"))
    box = make.mailbox(port=1)  # nothing listens there
    client.post(f"/admin/mailboxes/{box.id}/test")
    listing = page(client, "/admin/mailboxes/")
    assert "Kunde inte nå Platina RS" in listing and "porten" in listing
    assert "Errno" not in listing and "refused" not in listing  # words, not the system's


def test_mailbox_add_on_the_command_line(make, runner):
    args = ["mail", "mailbox", "add", "--name", "Platina", "--host", "imap.regionjh.se"]
    args += ["--user", "platina", "--password-stdin", "--json"]
    result = runner.invoke(cli, args, input="hemligt\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["name"] == "Platina"
    assert "hemligt" not in result.output
    twice = runner.invoke(cli, args, input="hemligt\n")
    assert twice.exit_code == 2 and "finns redan" in twice.output
    assert len(make.fresh().exec(select(Mailbox)).all()) == 1


def test_mailbox_passwords_never_leak(make, client, login, runner):

    admin = make.user("admin")
    box = make.mailbox(password="Sup3r-hemligt")
    login(admin)
    for url in ("/admin/mailboxes/", f"/admin/mailboxes/{box.id}/edit"):
        assert "Sup3r-hemligt" not in page(client, url)
    listed = runner.invoke(cli, ["mail", "mailbox", "list", "--json"])
    assert "Sup3r-hemligt" not in listed.output and box.name in listed.output
    assert "password" not in listed.output
    client.post(
        f"/admin/mailboxes/{box.id}/edit",
        data={
            "name": box.name, "host": "imap.regionjh.se", "port": "993", "security": "ssl",
            "username": box.username, "password": "Nytt-hemligt", "folder": "INBOX",
            "processed_folder": "Diarieförda", "failed_folder": "Ej lästa", "is_active": "y",
        },
    )  # fmt: skip
    session = make.fresh()
    saved = session.get(type(box), box.id)
    assert saved.host == "imap.regionjh.se" and "Nytt-hemligt" not in saved.password_encrypted
    events = session.exec(select(AuditEvent)).all()
    assert events and not any("hemligt" in (e.before or "") + (e.after or "") for e in events)
    with make.app.app_context():
        from caseflow.common.crypto import unseal

        assert unseal(saved.password_encrypted) == "Nytt-hemligt"


def test_plain_imap_is_refused_beyond_this_machine(make, client, login):
    login(make.user("admin"))
    plain = {**FORM, "security": "none", "port": "143"}
    refused = client.post("/admin/mailboxes/new", data=plain)
    assert refused.status_code == 422 and "klartext" in refused.get_data(as_text=True)
    local = client.post("/admin/mailboxes/new", data={**plain, "host": "127.0.0.1"})
    assert local.status_code == 302

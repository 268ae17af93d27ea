"""An administrator's mailbox tools cannot send the stored password elsewhere or probe
other machines: a moved mailbox needs its password again, only allowed servers are
contacted, and the connection test answers in our words, never the server's."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest
from sqlmodel import select

from caseflow.mail.models import Mailbox
from tests.mail.test_mailboxes import FORM

BANNER = "Dovecot-ish ready, internal build 7.3.1-secret"
REFUSAL = "AUTHENTICATIONFAILED backend ldap-07.internal said no"


class TalkativeImapServer:
    """A TCP server on 127.0.0.1 that greets with a revealing banner and refuses logins."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            # OSError: the client gave up (a TLS handshake on plain text).
            with conn, contextlib.suppress(OSError):
                self._talk(conn)

    def _talk(self, conn):
        conn.sendall(f"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] {BANNER}\r\n".encode())
        stream = conn.makefile("rb")
        for line in stream:
            tag, _, command = line.decode("latin-1").strip().partition(" ")
            verb = command.split(" ")[0].upper()
            if verb == "CAPABILITY":
                reply = f"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} OK {BANNER}\r\n"
            elif verb in ("LOGIN", "AUTHENTICATE"):
                reply = f"{tag} NO [{REFUSAL}]\r\n"
            elif verb == "LOGOUT":
                reply = f"* BYE {BANNER}\r\n{tag} OK\r\n"
            else:
                reply = f"{tag} BAD {BANNER}\r\n"
            try:
                conn.sendall(reply.encode())
            except OSError:
                return
            if verb == "LOGOUT":
                return

    def close(self):
        self.sock.close()


@pytest.fixture
def talkative():
    server = TalkativeImapServer()
    yield server
    server.close()


def _edit(client, box, **changes):
    data = {**FORM, "name": box.name, "host": box.host, "port": str(box.port)}
    data.update(security=box.security, username=box.username, password="")
    data.update(changes)
    return client.post(f"/admin/mailboxes/{box.id}/edit", data=data)


def _listing(client) -> str:
    return client.get("/admin/mailboxes/").get_data(as_text=True)


@pytest.mark.parametrize(
    "change",
    [{"host": "localhost"}, {"port": "994"}, {"username": "annan"}, {"security": "ssl"}],
)
def test_moving_a_mailbox_needs_its_password_again(make, client, login, change):
    login(make.user("admin"))
    box = make.mailbox(password="gammalt")
    refused = _edit(client, box, **change)
    assert refused.status_code == 422
    assert "Ange brevlådans lösenord igen" in refused.get_data(as_text=True)
    assert make.fresh().get(Mailbox, box.id).host == "127.0.0.1"
    assert _edit(client, box, password="gammalt", **change).status_code == 302


def test_renaming_a_mailbox_or_its_folders_keeps_the_stored_password(make, client, login):
    login(make.user("admin"))
    box = make.mailbox()
    saved = _edit(client, box, name="Platina KS", processed_folder="Klart")
    assert saved.status_code == 302
    assert make.fresh().get(Mailbox, box.id).name == "Platina KS"


def test_only_the_authoritys_own_mail_servers_are_allowed_by_default(make, client, login):
    login(make.user("admin"))
    for host in ("imap.evil.example", "10.0.0.5", "regionjh.se.evil.example", "127.1"):
        refused = client.post("/admin/mailboxes/new", data={**FORM, "host": host})
        assert refused.status_code == 422, host
        assert "MAILBOX_ALLOWED_HOSTS" in refused.get_data(as_text=True)
    assert make.fresh().exec(select(Mailbox)).all() == []
    assert client.post("/admin/mailboxes/new", data=FORM).status_code == 302  # imap.regionjh.se


def test_the_configured_list_of_servers_decides(make, client, login, app):
    app.config["MAILBOX_ALLOWED_HOSTS"] = ["imap.example.se", "*.mail.example.se"]
    login(make.user("admin"))
    assert client.post("/admin/mailboxes/new", data=FORM).status_code == 422  # regionjh.se
    for n, host in enumerate(("imap.example.se", "imap1.mail.example.se", "IMAP.Example.SE.")):
        data = {**FORM, "name": f"Låda {n}", "host": host}
        assert client.post("/admin/mailboxes/new", data=data).status_code == 302, host


def test_the_connection_test_contacts_no_server_the_configuration_does_not_allow(
    make, client, login, app, talkative
):
    login(make.user("admin"))
    box = make.mailbox(port=talkative.port)
    app.config["MAILBOX_ALLOWED_HOSTS"] = ["imap.regionjh.se"]  # 127.0.0.1 no longer
    client.post(f"/admin/mailboxes/{box.id}/test")
    assert "inte bland de e-postservrar" in _listing(client)
    assert talkative.connections == 0


def test_the_connection_test_shows_no_banner_and_no_server_text(make, client, login, talkative):
    login(make.user("admin"))
    box = make.mailbox(port=talkative.port)
    client.post(f"/admin/mailboxes/{box.id}/test")
    listing = _listing(client)
    assert talkative.connections == 1
    assert "godtog inte inloggningen" in listing
    for leak in ("secret", "ldap-07", "AUTHENTICATIONFAILED", "Dovecot", "7.3.1"):
        assert leak not in listing


def test_a_failed_tls_handshake_is_told_as_such(make, client, login, talkative):
    login(make.user("admin"))
    box = make.mailbox(port=talkative.port, security="ssl", host="localhost")
    client.post(f"/admin/mailboxes/{box.id}/test")
    listing = _listing(client)
    assert "TLS" in listing and "misslyckades" in listing
    assert "WRONG_VERSION" not in listing and "SSL" not in listing.split("TLS")[0][-200:]

"""Polling a functional mailbox on a real Dovecot: stored, routed, then moved; never twice.

The story: the registrar's shared mailbox (FBL Platina RS) holds a reply for RS/720/2021,
the Länsstyrelsen's invitation forwarded by a colleague, and an out-of-office reply.
``caseflow mail poll`` files the reply, queues the forward, keeps the auto-reply, and
only after each commit moves the message to the processed folder on the server.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from caseflow.cli import cli
from caseflow.common.timeutil import now
from caseflow.documents.models import Document
from caseflow.mail import imap
from caseflow.mail.models import Mailbox, MailMessage

PROCESSED, FAILED = "caseflow-processed", "caseflow-failed"


def message(subject: str, n: int, *, body: str = "Hej!", headers: str = "") -> bytes:
    return (
        f"From: Susanna Löfgren <susanna.lofgren@lansstyrelsen.se>\r\n"
        f"To: FBL Platina RS <platina@regionjh.se>\r\n"
        f"Subject: {subject}\r\nDate: Wed, 17 Mar 2021 18:20:00 +0100\r\n"
        f"Message-ID: <imap-{n}@lansstyrelsen.se>\r\n{headers}MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"{body}\r\n"
    ).encode()


FORWARD = (
    "From: Emma Borg <emma.borg@regionjh.se>\r\nTo: FBL Platina RS <platina@regionjh.se>\r\n"
    "Subject: VB: myndighetsnätverket\r\nDate: Fri, 19 Mar 2021 09:16:07 +0100\r\n"
    "Message-ID: <vb-imap@regionjh.se>\r\nMIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
    "Från: Löfgren Susanna <susanna.lofgren@lansstyrelsen.se>\r\n"
    "Skickat: den 17 mars 2021 18:20\r\nTill: Anders Byström <anders.bystrom@regionjh.se>\r\n"
    "Ämne: myndighetsnätverket\r\n\r\nHär kommer en inbjudan att ingå i Myndighetsnätverket.\r\n"
).encode()


@pytest.fixture
def mailbox(make, imap_server):
    return make.mailbox(
        host=imap_server.host,
        port=imap_server.port,
        username=imap_server.user,
        password=imap_server.password,
    )


@pytest.fixture
def coworking(make):
    return make.case("Projekt Test av coworking och hybridarbete inom Samverket i Östersund")


def poll(runner, *args, code=0):
    result = runner.invoke(cli, ["mail", "poll", "--json", *args])
    assert result.exit_code == code, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def documents(make):
    return make.fresh().exec(select(Document)).all()


def test_the_mailbox_is_filed_queued_and_moved_only_after_the_commit(
    make, runner, imap_server, mailbox, coworking
):
    reply = message(f"SV: {coworking.number} komplettering", 1)
    ooo = message("Frånvaro: myndighetsnätverket", 2, headers="Auto-Submitted: auto-replied\r\n")
    for raw in (reply, FORWARD, ooo):
        imap_server.append(raw)

    reports = poll(runner)

    assert [r["status"] for r in reports] == ["filed", "queued", "autoreply"]
    assert reports[0]["case"] == coworking.number
    assert reports[1]["original_from"] == "susanna.lofgren@lansstyrelsen.se"
    assert imap_server.folder_messages("INBOX") == []
    assert sorted(imap_server.folder_messages(PROCESSED)) == sorted([reply, FORWARD, ooo])
    rows = make.fresh().exec(select(MailMessage).order_by(MailMessage.id)).all()
    assert {r.moved_to for r in rows} == {PROCESSED}
    assert [r.imap_uid for r in rows] == [1, 2, 3]
    assert len({r.imap_uidvalidity for r in rows}) == 1
    (doc,) = documents(make)
    assert doc.case_id == coworking.id and doc.counterpart.startswith("Susanna Löfgren")

    log = imap_server.protocol_log()
    assert any(c.startswith("UID FETCH 1 (BODY.PEEK[] INTERNALDATE)") for c in log)
    assert [c for c in log if c.startswith("UID MOVE")] == [
        f'UID MOVE {uid} "{PROCESSED}"' for uid in (1, 2, 3)
    ]
    # Never a delete on the server, never a folder-wide expunge.
    assert not any(c.split()[0] in ("EXPUNGE", "DELETE", "STORE") for c in log)
    assert not any("\\Deleted" in c for c in log)


def test_polling_again_takes_only_what_is_new(make, runner, imap_server, mailbox, coworking):
    imap_server.append(message(f"{coworking.number} del 1", 1))
    assert [r["status"] for r in poll(runner)] == ["filed"]
    assert poll(runner) == []
    imap_server.append(message(f"{coworking.number} del 2", 2))
    assert [r["message_id"] for r in poll(runner)] == ["<imap-2@lansstyrelsen.se>"]
    assert len(documents(make)) == 2


def test_a_crash_between_commit_and_move_files_nothing_twice(
    make, runner, imap_server, mailbox, coworking, monkeypatch
):
    for n in (1, 2):
        imap_server.append(message(f"{coworking.number} del {n}", n))
    real_move = imap.move_message
    calls = []

    def move_then_lose_the_connection(client, uid, target):
        calls.append(uid)
        if len(calls) == 2:
            raise ConnectionResetError("connection lost")
        real_move(client, uid, target)

    monkeypatch.setattr(imap, "move_message", move_then_lose_the_connection)
    first = poll(runner, code=1)
    assert [r["status"] for r in first] == ["filed", "filed"]
    assert len(imap_server.folder_messages("INBOX")) == 1  # stored and filed, not moved
    stopped = make.fresh().exec(select(Mailbox)).one()
    assert "connection lost" in stopped.last_error and stopped.lease_holder is None

    monkeypatch.setattr(imap, "move_message", real_move)
    second = poll(runner)
    assert [r["status"] for r in second] == ["duplicate"]  # taken before: only moved now
    assert imap_server.folder_messages("INBOX") == []
    assert len(imap_server.folder_messages(PROCESSED)) == 2
    assert len(documents(make)) == 2


def test_a_crash_then_a_new_uidvalidity_files_nothing_twice(
    make, runner, imap_server, mailbox, coworking, monkeypatch
):
    for n in (1, 2, 3):
        imap_server.append(message(f"{coworking.number} del {n}", n))

    def crash_before_the_move(client, uid, target):
        raise ConnectionResetError("server went away")

    monkeypatch.setattr(imap, "move_message", crash_before_the_move)
    assert [r["status"] for r in poll(runner, code=1)] == ["filed"]
    old = imap_server.uidvalidity()
    assert imap_server.change_uidvalidity() != old  # every message gets a new UID
    monkeypatch.undo()

    reports = poll(runner)

    # The first is known by its Message-ID and bytes under its new UID; the others are new.
    assert [r["status"] for r in reports] == ["duplicate", "filed", "filed"]
    assert imap_server.folder_messages("INBOX") == []
    assert len(imap_server.folder_messages(PROCESSED)) == 3
    assert len(documents(make)) == 3
    rows = make.fresh().exec(select(MailMessage).order_by(MailMessage.id)).all()
    assert [r.status for r in rows] == ["filed", "duplicate", "filed", "filed"]
    assert rows[0].imap_uidvalidity == old != rows[1].imap_uidvalidity


def test_mail_that_cannot_be_read_goes_to_the_failed_folder(
    make, runner, imap_server, mailbox, monkeypatch
):
    from caseflow.mail import intake

    imap_server.append(message("Trasig", 1))

    def broken(session, parsed):
        raise RuntimeError("trasigt")

    monkeypatch.setattr(intake, "route", broken)
    (report,) = poll(runner)
    assert report["status"] == "failed" and "trasigt" in report["reason"]
    assert imap_server.folder_messages(FAILED) == [message("Trasig", 1)]
    assert imap_server.folder_messages("INBOX") == []


def test_one_fetcher_at_a_time(make, runner, imap_server, mailbox):
    imap_server.append(message("Inbjudan", 1))
    session = make.fresh()
    row = session.get(Mailbox, mailbox.id)
    row.lease_holder, row.lease_until = "other-host:1", now() + timedelta(minutes=5)
    session.commit()

    result = runner.invoke(cli, ["mail", "poll"])
    assert result.exit_code == 1 and "hämtas redan" in result.output
    assert len(imap_server.folder_messages("INBOX")) == 1
    assert imap_server.protocol_log() == []  # it did not even log in

    row = make.fresh().get(Mailbox, mailbox.id)
    row.lease_until = now() - timedelta(seconds=1)  # the other fetcher crashed long ago
    make.session.commit()
    assert [r["status"] for r in poll(runner)] == ["queued"]


def test_without_move_only_that_message_is_expunged(make, app, imap_server, mailbox):
    """The UIDPLUS fallback: COPY, flag and UID EXPUNGE of that one UID, nothing else."""
    keep = imap_server.append(message("Någon annans borttagna", 1))
    with imap_server.connect() as other:
        other.select_folder("INBOX")
        other.add_flags([keep], [b"\\Deleted"])  # someone else's, not yet expunged
    mine = imap_server.append(message("Till diariet", 2))
    with app.app_context():
        client = imap.connect(make.fresh().get(Mailbox, mailbox.id))
        try:
            client.select_folder("INBOX")
            client.create_folder(PROCESSED)
            real = client.has_capability
            client.has_capability = lambda name: False if name == "MOVE" else real(name)
            imap.move_message(client, mine, PROCESSED)
        finally:
            client.logout()
    assert imap_server.uids("INBOX") == [keep]
    assert imap_server.folder_messages(PROCESSED) == [message("Till diariet", 2)]
    assert f"UID EXPUNGE {mine}" in imap_server.protocol_log()


def test_a_wrong_password_is_reported_and_nothing_is_lost(make, runner, imap_server):
    bad = make.mailbox(
        host=imap_server.host,
        port=imap_server.port,
        username=imap_server.user,
        password="fel lösenord",
    )
    imap_server.append(message("Inbjudan", 1))
    result = runner.invoke(cli, ["mail", "poll", "--mailbox", bad.name])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    row = make.fresh().get(Mailbox, bad.id)
    assert row.last_error and "fel lösenord" not in row.last_error
    assert row.lease_holder is None
    assert len(imap_server.folder_messages("INBOX")) == 1


def test_a_password_with_swedish_letters_logs_in(make, runner, imap_server):
    from tests.mail.imapserver import DovecotServer

    with DovecotServer(users={"diarie@example.test": "Hemligt-åäö-2021"}) as server:
        server.append(message("Inbjudan", 1))
        make.mailbox(
            host=server.host,
            port=server.port,
            username=server.user,
            password=server.password,
        )
        assert [r["status"] for r in poll(runner)] == ["queued"]
        assert len(server.folder_messages(PROCESSED)) == 1


def test_a_mailbox_pointed_at_another_account_loses_nothing(make, runner, imap_server):
    from tests.mail.imapserver import DovecotServer

    users = {"platina@example.test": "ett-lösen", "diarie@example.test": "ett-annat"}
    with DovecotServer(users=users) as server:
        server.append(message("Till Platina", 1), user="platina@example.test")
        server.append(message("Till Diariet", 2), user="diarie@example.test")  # also UID 1
        box = make.mailbox(
            host=server.host, port=server.port, username="platina@example.test",
            password="ett-lösen",
        )  # fmt: skip
        assert [r["subject"] for r in poll(runner)] == ["Till Platina"]
        row = make.fresh().get(Mailbox, box.id)
        with make.app.app_context():
            from caseflow.mail.mailboxes import update_mailbox

            update_mailbox(make.session, row, username="diarie@example.test", password="ett-annat")
        make.session.commit()
        second = poll(runner)
        assert [(r["subject"], r["status"]) for r in second] == [("Till Diariet", "queued")]
        assert server.folder_messages("INBOX", user="diarie@example.test") == []
    assert len(make.fresh().exec(select(MailMessage)).all()) == 2

"""The ways a mail could be filed twice or lost, each shut: found in review, kept shut here."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from caseflow.db import new_session
from caseflow.documents.models import Document
from caseflow.documents.storage import file_store
from caseflow.mail import jobs
from caseflow.mail.models import MailMessage
from caseflow.mail.store import RawMail, store_raw
from tests.mail.test_intake_pipeline import mail, run_import, write


def documents(make):
    return make.fresh().exec(select(Document)).all()


def test_a_second_run_cannot_file_what_the_first_is_still_filing(make, app):
    case = make.case("Projekt")
    raw = mail(f"Ansökan {case.number}", message_id="<race@vinnova.se>")
    with app.app_context():
        store = file_store()
        first = new_session(app.extensions["caseflow.engine"], write=True)
        row = store_raw(first, store, RawMail(raw, "file:x", "file:x#1"))
        first.commit()  # the first import stored it and is about to process it …
        status, _report = jobs.intake(app, store, RawMail(raw, "file:x", "file:x#1"))
        assert status == "filed"  # … when a second run takes the stored row and files it
        assert jobs.process_or_fail(first, store, row.id).status == "filed"
        first.close()
    assert len(documents(make)) == 1  # the first found it processed and left it


def test_the_same_bytes_from_another_path_are_a_duplicate(make, runner, tmp_path):
    case = make.case("Projekt")
    raw = mail(f"Ansökan {case.number}", message_id="bare-id@vinnova.se")  # no brackets
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first = run_import(runner, write(tmp_path / "a", "x.eml", raw))
    second = run_import(runner, write(tmp_path / "b", "x.eml", raw))
    assert [first[0]["status"], second[0]["status"]] == ["filed", "duplicate"]
    assert len(documents(make)) == 1


def test_the_same_message_id_with_another_body_waits_for_a_person(make, runner, tmp_path):
    case = make.case("Projekt")
    raw = mail(f"Ansökan {case.number}", message_id="<twice@vinnova.se>")
    run_import(runner, write(tmp_path, "a.eml", raw))
    touched = b"X-Mozilla-Status: 0001\n" + raw  # the same mail, a client's header added
    (again,) = run_import(runner, write(tmp_path, "b.eml", touched))
    assert again["status"] == "duplicate" and "message_id_collision" not in again["flags"]
    changed = raw.replace(b"Hej.", b"Hej, med en annan text.")
    (report,) = run_import(runner, write(tmp_path, "c.eml", changed))
    assert report["status"] == "queued" and "message_id_collision" in report["flags"]
    assert case.number in report["reason"] and report["suggested_cases"] == [case.number]
    assert len(documents(make)) == 1


def test_our_own_excerpt_reaching_the_shared_mailbox_is_not_filed_again(
    make, app, runner, tmp_path
):
    case = make.case("Projekt")
    domain = app.config["MAIL_MESSAGE_ID_DOMAIN"]
    sent = f"<utdrag.1@{domain}>"
    make.document(case, direction="outgoing", counterpart="Vinnova", message_id=sent)
    raw = mail(f"Protokollsutdrag {case.number}", message_id=sent)
    (report,) = run_import(runner, write(tmp_path, "own.eml", raw))
    assert (report["status"], report["case"]) == ("duplicate", case.number)
    assert "eget utskick" in report["reason"]
    assert len(documents(make)) == 1  # only the outgoing document


def test_a_message_that_keeps_killing_the_process_is_given_up(make, app):
    raw = mail("Elak bilaga", message_id="<killer@x.se>")
    with app.app_context():
        store = file_store()
        session = new_session(app.extensions["caseflow.engine"], write=True)
        stored = store_raw(session, store, RawMail(raw, "file:k", "file:k#1"))
        session.get(MailMessage, stored.id).attempts = 3  # three runs began, and died
        session.commit()
        session.close()
        status, report = jobs.intake(app, store, RawMail(raw, "file:k", "file:k#1"))
    # The registrar's sentence, then what happened (the run counts three deaths).
    assert status == "failed" and report["reason"].startswith("Behandlingen avbröts flera gånger")
    assert "(3 attempts ended with the process dying)" in report["reason"]
    assert make.fresh().exec(select(MailMessage)).one().attempts == 4  # this, the fourth


def test_the_date_received_is_when_our_mail_server_got_it(make, runner, tmp_path):
    case = make.case("Projekt")
    received = (
        "Received: from mx.vinnova.se by mx.regionjh.se with ESMTPS id 4711;\n"
        "\tMon, 22 Nov 2021 10:03:12 +0100\n"
    )
    raw = received.encode() + mail(f"Ansökan {case.number}", message_id="<late@vinnova.se>")
    run_import(runner, write(tmp_path, "late.eml", raw))  # imported long afterwards
    (doc,) = documents(make)
    assert doc.received_on == date(2021, 11, 22)


def test_a_forward_suggests_the_original_senders_cases_not_the_colleagues(make, runner, tmp_path):
    from tests.mail.test_intake_pipeline import FORWARD

    colleague = make.case("Emmas ärende", parties=[{"email": "emma.borg@regionjh.se"}])
    sender = make.case(
        "Länsstyrelsens ärende", parties=[{"email": "susanna.lofgren@lansstyrelsen.se"}]
    )
    (report,) = run_import(runner, write(tmp_path, "vb.eml", FORWARD.encode()))
    assert report["suggested_cases"] == [sender.number]
    assert colleague.number not in report["suggested_cases"]


def test_an_unreadable_path_does_not_stop_the_others(make, runner, tmp_path):
    import socket

    from caseflow.cli import cli

    unreadable = tmp_path / "trasig.eml"
    with socket.socket(socket.AF_UNIX) as sock:  # a socket cannot be opened, even by root
        sock.bind(str(unreadable))
        readable = write(tmp_path, "ok.eml", mail("Läsbar", message_id="<ok@x.se>"))
        result = runner.invoke(cli, ["mail", "import", str(unreadable), str(readable)])
    assert result.exit_code == 1 and "kan inte läsa" in result.output
    assert [m.subject for m in make.fresh().exec(select(MailMessage)).all()] == ["Läsbar"]


def test_a_very_deep_path_still_gets_a_unique_source_key():
    a = RawMail(b"x", "file:a", "file:/" + "d/" * 600 + "a.eml#1")
    b = RawMail(b"x", "file:b", "file:/" + "d/" * 600 + "b.eml#1")
    assert len(a.source_key) <= 1000 and a.source_key != b.source_key

"""Mail intake end to end: stored first, routed by DESIGN.md's order, nothing twice."""

import json
import mailbox
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from caseflow.cli import cli
from caseflow.common.timeutil import today
from caseflow.documents.models import Document
from caseflow.mail import intake
from caseflow.mail.canonical import canonical_sha256
from caseflow.mail.models import MailMessage
from tests.support import require_or_skip

FORWARD = """\
From: Emma Borg <emma.borg@regionjh.se>
To: FBL Platina RS <platina@regionjh.se>
Subject: VB: myndighetsnätverket
Date: Fri, 19 Mar 2021 09:16:07 +0100
Message-ID: <vb-1@regionjh.se>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hej, detta borde diarieföras.

Från: Löfgren Susanna <susanna.lofgren@lansstyrelsen.se>
Skickat: den 17 mars 2021 18:20
Till: Anders Byström <anders.bystrom@regionjh.se>
Ämne: myndighetsnätverket

Hej Anders! Här kommer en inbjudan att ingå i Myndighetsnätverket.
"""


def mail(subject, *, message_id, body="Hej.", headers="", sender="vinnova@vinnova.se"):
    return (
        f"From: Vinnova <{sender}>\nTo: platina@regionjh.se\nSubject: {subject}\n"
        f"Date: Mon, 22 Nov 2021 10:00:00 +0100\nMessage-ID: {message_id}\n{headers}"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: 8bit\n\n{body}\n"
    ).encode()


def run_import(runner, *paths):
    result = runner.invoke(cli, ["mail", "import", *map(str, paths), "--json"])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def write(tmp_path, name, raw: bytes):
    path = tmp_path / name
    path.write_bytes(raw)
    return path


def test_the_forwarded_invitation_is_queued_with_the_original_sender(make, runner, tmp_path):
    invitation = make.case(
        "Inbjudan att ingå i Myndighetsnätverket",
        parties=[
            {
                "organisation": "Länsstyrelsen Jämtlands län",
                "email": "susanna.lofgren@lansstyrelsen.se",
            }
        ],
    )
    (report,) = run_import(runner, write(tmp_path, "vb.eml", FORWARD.encode()))
    assert report["status"] == "queued"
    assert report["case"] is None
    assert report["from"] == "emma.borg@regionjh.se"
    assert report["original_from"] == "susanna.lofgren@lansstyrelsen.se"
    assert report["suggested_cases"] == [invitation.number]  # a known counterpart
    assert make.fresh().exec(select(Document)).all() == []  # nothing filed by guess


def test_one_case_number_in_the_subject_files_the_mail(make, runner, tmp_path):
    case = make.case("Projekt Test av coworking")
    raw = mail(f"SV: Ansökan [{case.number.lower()}]", message_id="<a1@vinnova.se>")
    day_before = today()
    (report,) = run_import(runner, write(tmp_path, "a.eml", raw))
    assert (report["status"], report["case"]) == ("filed", case.number)
    (doc,) = make.fresh().exec(select(Document)).all()
    assert (doc.direction, doc.case_id, doc.message_id) == ("incoming", case.id, "<a1@vinnova.se>")
    assert doc.title == f"Ansökan [{case.number.lower()}]"
    # The sender as a registrar writes it, the address in its own field.
    assert (doc.counterpart, doc.counterpart_email) == ("Vinnova", "vinnova@vinnova.se")
    # Received today in Stockholm (a file has no delivery date), whatever the host's zone.
    assert doc.received_on in (day_before, today())
    assert doc.document_date == date(2021, 11, 22)
    assert [f.filename for f in doc.files][0].endswith(".eml")


def test_a_number_is_matched_whole_and_must_exist(make, runner, tmp_path):
    # RS/720/2021 exists, RS/72/2021 does not.
    from caseflow.cases.numbering import raise_counter_to

    series = make.series("RS")
    raise_counter_to(make.session, series, 2021, 719)
    make.session.commit()
    make.case("Coworking")
    (report,) = run_import(
        runner, write(tmp_path, "b.eml", mail("Fråga om RS/72/2021", message_id="<b@x.se>"))
    )
    assert report["status"] == "queued" and "RS/72/2021 finns inte" in report["reason"]


def test_two_numbers_or_a_closed_case_go_to_the_queue(make, runner, tmp_path):
    a, b = make.case("A"), make.case("B")
    closed = make.session.merge(make.case("C"))
    closed.status = "closed"
    make.session.commit()
    reports = run_import(
        runner,
        write(tmp_path, "1.eml", mail(f"{a.number} och {b.number}", message_id="<m1@x.se>")),
        write(tmp_path, "2.eml", mail(f"Ang. {closed.number}", message_id="<m2@x.se>")),
    )
    assert [r["status"] for r in reports] == ["queued", "queued"]
    assert "Flera diarienummer" in reports[0]["reason"] and "inte öppet" in reports[1]["reason"]


def test_a_reply_to_our_dispatch_is_filed_and_conflicts_are_queued(make, runner, tmp_path):
    ours, other = make.case("Vårt utskick"), make.case("Annat ärende")
    make.document(
        ours,
        direction="outgoing",
        counterpart="Vinnova",
        message_id="<caseflow.abc@caseflow.regionjh.se>",
    )
    reply = mail(
        "Re: Protokollsutdrag",
        message_id="<r1@vinnova.se>",
        headers="In-Reply-To: <caseflow.abc@caseflow.regionjh.se>\n",
    )
    conflict = mail(
        f"Re: {other.number}",
        message_id="<r2@vinnova.se>",
        headers="In-Reply-To: <caseflow.abc@caseflow.regionjh.se>\n",
    )
    reports = run_import(
        runner, write(tmp_path, "r1.eml", reply), write(tmp_path, "r2.eml", conflict)
    )
    assert (reports[0]["status"], reports[0]["case"]) == ("filed", ours.number)
    assert reports[1]["status"] == "queued" and "Motstridiga" in reports[1]["reason"]


def test_auto_replies_trigger_nothing(make, runner, tmp_path):
    case = make.case("Ärende")
    raw = mail(
        f"Frånvaro: {case.number}",
        message_id="<oof@x.se>",
        headers="Auto-Submitted: auto-replied\n",
    )
    (report,) = run_import(runner, write(tmp_path, "oof.eml", raw))
    assert report["status"] == "autoreply"
    assert make.fresh().exec(select(Document)).all() == []


def test_nothing_is_imported_twice(make, runner, tmp_path):
    case = make.case("Ärende")
    path = write(tmp_path, "a.eml", mail(case.number, message_id="<once@x.se>"))
    first = run_import(runner, path)
    again = run_import(runner, path)
    copy = run_import(runner, write(tmp_path, "copy.eml", path.read_bytes()))
    assert [first[0]["status"], again[0]["status"], copy[0]["status"]] == [
        "filed",
        "duplicate",
        "duplicate",
    ]
    assert len(make.fresh().exec(select(Document)).all()) == 1
    changed = run_import(
        runner,
        write(tmp_path, "changed.eml", mail(case.number, message_id="<once@x.se>", body="Ny")),
    )
    assert "message_id_collision" in changed[0]["flags"]


def test_an_mbox_is_read_in_order_and_a_failure_does_not_stop_the_rest(
    make, runner, tmp_path, monkeypatch
):
    case = make.case("Ärende")
    box = mailbox.mbox(tmp_path / "in.mbox")
    for n in range(3):
        box.add(mail(f"{case.number} del {n}", message_id=f"<p{n}@x.se>"))
    box.close()
    real_route = intake.route

    def route_failing_on_the_second(session, parsed):
        if parsed.message_id == "<p1@x.se>":
            raise RuntimeError("trasigt meddelande")
        return real_route(session, parsed)

    monkeypatch.setattr(intake, "route", route_failing_on_the_second)
    reports = run_import(runner, tmp_path / "in.mbox")
    assert [r["message_id"] for r in reports] == ["<p0@x.se>", "<p1@x.se>", "<p2@x.se>"]
    assert [r["status"] for r in reports] == ["filed", "failed", "filed"]
    assert "trasigt meddelande" in reports[1]["reason"]
    failed = make.fresh().exec(select(MailMessage).where(MailMessage.status == "failed")).one()
    assert failed.sha256 and failed.size > 0  # stored before it failed


@pytest.mark.parametrize("raw", [b"", b"\x00\xff garbage", b"Subject: =?bogus?Q?x?=\n\nhej"])
def test_broken_mail_is_stored_and_never_crashes_the_import(make, runner, tmp_path, raw):
    (report,) = run_import(runner, write(tmp_path, "x.eml", raw))
    # Read as well as it can be, it names no case: the registrar decides.
    assert report["status"] == "queued"
    # No Message-ID: one derived from the hash of the canonical form.
    assert report["message_id"] == f"<{canonical_sha256(raw)}@caseflow.invalid>"
    (stored,) = make.fresh().exec(select(MailMessage)).all()
    assert (stored.status, stored.size) == ("queued", len(raw))


def test_an_outlook_msg_saved_by_a_colleague_is_read_like_the_mail_it_was(make, runner, tmp_path):
    try:
        import extract_msg  # noqa: F401
    except ImportError:
        require_or_skip("extract-msg is not installed (the optional extra caseflow[msg])")
    from datetime import UTC, datetime

    from tests.mail.msgbuilder import build_msg

    case = make.case("Projekt Test av coworking")
    data = build_msg(
        subject=f"SV: {case.number} budget",
        sender_name="Erik Noaksson",
        sender_email="erik.noaksson@regionjh.se",
        to=[("FBL Platina RS", "platina@regionjh.se")],
        date=datetime(2021, 11, 22, 9, 0, tzinfo=UTC),
        body="Här är budgeten.",
        message_id="<msg-1@regionjh.se>",
        attachments=[("Budget åäö.xlsx", b"PK\x03\x04budget", "application/vnd.ms-excel")],
    )
    (report,) = run_import(runner, write(tmp_path, "budget.msg", data))
    assert (report["status"], report["case"]) == ("filed", case.number)
    assert report["message_id"] == "<msg-1@regionjh.se>"
    (doc,) = make.fresh().exec(select(Document)).all()
    names = sorted(f.filename for f in doc.files)
    assert names == ["Budget åäö.xlsx", f"{case.number.replace('/', '_')} budget.msg"]
    assert doc.counterpart == "Erik Noaksson"  # as a registrar writes it; the address apart
    stored = make.fresh().exec(select(MailMessage)).one()
    assert stored.raw_format == "outlook-msg" and stored.size == len(data)


def test_oversized_mail_is_stored_and_queued_never_filed(make, app, runner, tmp_path):
    case = make.case("Projekt Test av coworking")
    app.config["MAIL_MAX_MESSAGE_BYTES"] = 2000
    big = mail(f"SV: {case.number}", message_id="<big@x.se>", body="x" * 5000)
    (report,) = run_import(runner, write(tmp_path, "big.eml", big))
    assert report["status"] == "queued" and "oversized" in report["flags"]
    assert "större än gränsen" in report["reason"]
    assert make.fresh().exec(select(Document)).all() == []
    assert make.fresh().exec(select(MailMessage)).one().size == len(big)


def test_a_reused_file_name_with_new_content_is_a_new_message(make, runner, tmp_path):
    path = write(tmp_path, "inkommande.eml", mail("Första", message_id="<f1@x.se>"))
    assert run_import(runner, path)[0]["status"] == "queued"
    path.write_bytes(mail("Andra", message_id="<f2@x.se>"))
    assert run_import(runner, path)[0]["status"] == "queued"  # not "already taken"
    assert run_import(runner, path)[0]["status"] == "duplicate"
    assert len(make.fresh().exec(select(MailMessage)).all()) == 2


def test_a_bounce_is_matched_to_what_we_sent_and_shows_in_the_case(make, runner, tmp_path):
    from caseflow.common.audit import events_for_case

    case = make.case("Kallelse till samråd")
    make.document(
        case,
        direction="outgoing",
        counterpart="fel@example.com",
        message_id="<kallelse-9@caseflow.regionjh.se>",
    )
    corpus = Path(__file__).parent / "corpus" / "bounce_dsn_message.eml"
    (report,) = run_import(runner, corpus)
    assert (report["status"], report["case"]) == ("bounce", case.number)
    assert case.number in report["reason"]
    session = make.fresh()
    assert len(session.exec(select(Document)).all()) == 1  # nothing filed, nothing sent
    assert "mail.bounced" in [e.action for e in events_for_case(session, case.id)]
    (unknown,) = run_import(
        runner, write(tmp_path, "b.eml", corpus.read_bytes().replace(b"kallelse-9@", b"okand@"))
    )
    assert (unknown["status"], unknown["case"]) == ("bounce", None)

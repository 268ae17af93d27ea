"""Mail told apart by the standards, not by guesses (issue 12 §6).

The story: RS/720/2021 is open. To the shared mailbox come a colleague's reply through
the näringsliv mailing list, an out-of-office reply, a newsletter, a notice that the
excerpt sent to Karin is delayed, her read receipt, and mail from colleagues whose
Message-IDs end in the authority's own domain. Each is told apart by what RFC 3834,
RFC 3464, RFC 8098 and RFC 2369/2919 say, and "our own mail" is what caseflow recorded
as sent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from caseflow.cases.numbering import raise_counter_to
from caseflow.cases.queries import CaseFilter, filtered_cases
from caseflow.cli import cli
from caseflow.common.audit import events_for_case
from caseflow.documents.models import Document
from tests.mail.test_intake_pipeline import mail, run_import, write

CORPUS = Path(__file__).parent / "corpus"
SENT_EXCERPT = "<beslut-720-2021.4@caseflow.regionjh.se>"


@pytest.fixture
def coworking(make):
    """RS/720/2021, open."""
    series = make.series("RS")
    raise_counter_to(make.session, series, 2021, 719)
    make.session.commit()
    case = make.case("Projekt Test av coworking och hybridarbete inom Samverket i Östersund")
    assert case.number == "RS/720/2021"
    return case


def documents(make):
    return make.fresh().exec(select(Document)).all()


def take(runner, path: Path) -> dict:
    (report,) = run_import(runner, path)
    return report


# -- auto-replies and lists ----------------------------------------------------------------


def test_a_colleagues_reply_through_a_mailing_list_is_filed(make, runner, coworking):
    report = take(runner, CORPUS / "list_reply_with_number.eml")  # Precedence: list, List-Id
    assert (report["status"], report["case"]) == ("filed", "RS/720/2021")
    assert "mailing_list" in report["flags"]


def test_a_newsletter_is_routed_not_hidden(make, runner, coworking):
    report = take(runner, CORPUS / "auto_precedence_bulk.eml")
    assert report["status"] == "queued"  # for the registrar to see; no number, so no case


def test_outlooks_suppress_header_alone_is_ordinary_mail(make, runner, tmp_path, coworking):
    raw = mail(
        "Komplettering RS/720/2021",
        message_id="<outlook-1@vinnova.se>",
        headers="X-Auto-Response-Suppress: All\n",  # Outlook puts it on ordinary mail
    )
    report = take(runner, write(tmp_path, "a.eml", raw))
    assert (report["status"], report["case"]) == ("filed", "RS/720/2021")


@pytest.mark.parametrize(
    "name",
    [
        "auto_outlook_suppress_subject.eml",  # X-Auto-Response-Suppress + "Automatiskt svar:"
        "auto_submitted.eml",  # Auto-Submitted: auto-replied
        "auto_precedence_auto_reply.eml",
        "auto_x_autoreply.eml",
    ],
)
def test_an_automatic_reply_is_kept_and_triggers_nothing(make, runner, coworking, name):
    report = take(runner, CORPUS / name)
    assert report["status"] == "autoreply"
    assert documents(make) == []


def test_a_subject_alone_does_not_make_an_automatic_reply(make, runner, coworking):
    # "Frånvaro: Komplettering RS/720/2021" with no header saying it is automatic.
    report = take(runner, CORPUS / "auto_franvaro_sv.eml")
    assert report["status"] == "queued"  # seen by the registrar, not filed by a guess
    assert report["suggested_cases"] == ["RS/720/2021"]
    assert documents(make) == []


# -- delivery notices and receipts -------------------------------------------------------


def test_a_delayed_delivery_is_a_delay_not_a_bounce(make, runner, coworking):
    make.document(coworking, direction="outgoing", counterpart="Karin", message_id=SENT_EXCERPT)
    report = take(runner, CORPUS / "dsn_delayed.eml")
    assert (report["status"], report["case"]) == ("delayed", "RS/720/2021")
    assert "fortfarande" in report["reason"]  # the mail server is still trying
    actions = [e.action for e in events_for_case(make.fresh(), coworking.id)]
    assert "mail.delayed" in actions and "mail.bounced" not in actions


def test_a_read_receipt_is_its_own_kind(make, runner, coworking):
    make.document(coworking, direction="outgoing", counterpart="Karin", message_id=SENT_EXCERPT)
    report = take(runner, CORPUS / "mdn_read_receipt.eml")
    assert (report["status"], report["case"]) == ("receipt", "RS/720/2021")
    assert len(documents(make)) == 1  # only the excerpt that was sent


# -- our own mail ------------------------------------------------------------------------


def test_the_authoritys_own_domain_as_message_id_domain_hides_no_colleague(
    make, app, runner, tmp_path, coworking
):
    app.config["MAIL_MESSAGE_ID_DOMAIN"] = "regionjh.se"  # the authority's own mail domain
    raw = mail(
        "SV: Komplettering RS/720/2021",
        message_id="<AM0PR07MB1234.5678@regionjh.se>",  # a colleague's Outlook
        sender="erik.noaksson@regionjh.se",
    )
    report = take(runner, write(tmp_path, "colleague.eml", raw))
    assert (report["status"], report["case"]) == ("filed", "RS/720/2021")


def test_mail_caseflow_recorded_as_sent_is_our_own(make, app, runner, tmp_path, coworking):
    app.config["MAIL_MESSAGE_ID_DOMAIN"] = "regionjh.se"
    sent = "<caseflow.0a1b2c@regionjh.se>"
    make.document(coworking, direction="outgoing", counterpart="Vinnova", message_id=sent)
    raw = mail("Protokollsutdrag RS/720/2021", message_id=sent)
    report = take(runner, write(tmp_path, "own.eml", raw))
    assert (report["status"], report["case"]) == ("duplicate", "RS/720/2021")
    assert len(documents(make)) == 1


def test_a_kallelse_caseflow_sent_is_our_own(make, runner, tmp_path, coworking):
    from caseflow.meetings.models import MeetingSummons

    meeting = make.meeting_with(coworking)
    sent = "<caseflow.kallelse-1@kommun.example>"  # on no configured domain at all
    make.session.add(
        MeetingSummons(
            meeting_id=meeting.id, version=1, recipients="[]", status="sent", message_id=sent
        )
    )
    make.session.commit()
    report = take(runner, write(tmp_path, "kallelse.eml", mail("Kallelse", message_id=sent)))
    assert report["status"] == "duplicate" and "eget utskick" in report["reason"]


# -- numbers in other spellings ----------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    ["Komplettering RS-720-2021", "Komplettering RS 2021/720", "Komplettering 2021/720"],
)
def test_a_number_in_another_spelling_is_suggested_never_filed(
    make, runner, tmp_path, coworking, subject
):
    report = take(runner, write(tmp_path, "a.eml", mail(subject, message_id="<sp@x.se>")))
    assert report["status"] == "queued"
    assert report["suggested_cases"] == ["RS/720/2021"]
    assert "RS/720/2021" in report["reason"]
    assert documents(make) == []


def test_a_number_in_another_spelling_in_the_body_is_suggested(make, runner, tmp_path, coworking):
    raw = mail("Fråga om lokalerna", message_id="<body@x.se>", body="Gäller dnr RS-720-2021.")
    report = take(runner, write(tmp_path, "a.eml", raw))
    assert (report["status"], report["suggested_cases"]) == ("queued", ["RS/720/2021"])


@pytest.mark.parametrize("q", ["RS-720-2021", "rs 2021/720", "2021/720", "Dnr RS/720/2021"])
def test_search_reads_the_same_spellings(make, app, coworking, q):
    make.case("Ärende 721")  # RS/721/2021: a near number that must not be found
    with app.app_context():
        found = make.fresh().exec(filtered_cases(make.session, None, CaseFilter(q=q))).all()
    assert [case.number for case in found] == ["RS/720/2021"]


def test_the_cli_reads_the_same_spellings(make, runner, coworking):
    result = runner.invoke(cli, ["case", "show", "rs-720-2021"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("RS/720/2021")

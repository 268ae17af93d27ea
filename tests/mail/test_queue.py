"""The registrar's mail queue: what intake could not file, shown safely and decided on.

A registrar opens the queue, finds the Länsstyrelsen's invitation forwarded by a
colleague, and files it: into an existing case, into a new case, or without a case; or
marks a mail as not to be registered; and can take each decision back.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlmodel import select

from caseflow.cases.models import Case, Series
from caseflow.common.audit import events_for_case
from caseflow.common.timeutil import today
from caseflow.documents.models import Document
from caseflow.mail.models import MailMessage

FORWARD = """\
From: Emma Borg <emma.borg@regionjh.se>
To: FBL Platina RS <platina@regionjh.se>
Subject: VB: myndighetsnätverket
Date: Fri, 19 Mar 2021 09:16:07 +0100
Message-ID: <vb-queue@regionjh.se>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Från: Löfgren Susanna <susanna.lofgren@lansstyrelsen.se>
Skickat: den 17 mars 2021 18:20
Till: Anders Byström <anders.bystrom@regionjh.se>
Ämne: myndighetsnätverket

Hej Anders! Här kommer en inbjudan att ingå i Myndighetsnätverket.
--b1
Content-Type: application/pdf
Content-Disposition: attachment; filename*=utf-8''Inbjudan%20N%C3%A4tverket.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcOkw7zDtsOfCg==
--b1--
""".encode()

HOSTILE = b"""\
From: "{{ 7*7 }}" <angripare@example.com>
To: platina@regionjh.se
Subject: {{ 7*7 }} <b>fet</b>
Message-ID: <hostile@example.com>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p onclick="steal()">Hej</p><script>alert(1)</script>
<a href="javascript:alert(2)">klicka</a><img src="https://tracker.example.com/p.gif">
<img src=x onerror="alert(3)">
"""


def plain(subject: str, n: int, body: str = "Hej.") -> bytes:
    return (
        f"From: Vinnova <info@vinnova.se>\nTo: platina@regionjh.se\nSubject: {subject}\n"
        f"Date: Mon, 22 Nov 2021 10:00:00 +0100\nMessage-ID: <q{n}@vinnova.se>\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
        f"Content-Transfer-Encoding: 8bit\n\n{body}\n"
    ).encode()


@pytest.fixture
def registrar(make, login):
    user = make.user("registrar", name="Rut Registrator")
    login(user)
    return user


@pytest.fixture
def invitation(make):
    mail = make.mail(FORWARD)
    assert mail.status == "queued"
    return mail


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def register(client, mail, **fields):
    data = {
        "title": "Inbjudan att ingå i Myndighetsnätverket",
        "counterpart": "Länsstyrelsen Jämtlands län, Susanna Löfgren",
        "counterpart_email": "susanna.lofgren@lansstyrelsen.se",
        "received_on": "2021-03-19",
        "document_date": "2021-03-17",
        "series": "RS",
        "officer_id": "0",
        **fields,
    }
    return client.post(f"/mail/{mail.id}/register", data=data)


def test_the_forwarded_invitation_waits_with_its_original_sender(client, registrar, invitation):
    listing = page(client, "/mail/")
    assert "Löfgren Susanna &lt;susanna.lofgren@lansstyrelsen.se&gt;" in listing
    assert "emma.borg@regionjh.se" in listing  # the colleague who forwarded it
    assert "VB: myndighetsnätverket" in listing
    assert "2021-03-19 09:16" in listing  # sent, in the organisation's time zone
    assert "vidarebefordrat meddelande" in listing  # the reason it waits

    shown = page(client, f"/mail/{invitation.id}")
    assert 'value="myndighetsnätverket"' in shown  # the OSL title, prefix stripped
    assert 'value="2021-03-17"' in shown  # the date of the original mail
    assert "Inbjudan Nätverket.pdf" in shown
    assert "Hej Anders!" in shown


def test_mail_content_is_shown_as_data_and_sanitised(make, client, registrar):
    mail = make.mail(HOSTILE)
    shown = page(client, f"/mail/{mail.id}")
    main = shown.split('<main id="main"', 1)[1]
    assert "{{ 7*7 }} &lt;b&gt;fet&lt;/b&gt;" in main and "49 &lt;b&gt;" not in main
    assert "<script>alert(1)" not in main and "onclick" not in main and "onerror" not in main
    assert "javascript:" not in main
    assert "tracker.example.com/p.gif" not in main.replace("&#34;", '"').split("mail-html")[-1]


def test_a_registrar_files_the_invitation_into_an_existing_case(
    make, client, registrar, invitation
):
    case = make.case("Inbjudan att ingå i Myndighetsnätverket")
    response = register(client, invitation, action="file", number=case.number.lower())
    assert response.status_code == 302
    session = make.fresh()
    (doc,) = session.exec(select(Document).where(Document.case_id == case.id)).all()
    assert doc.direction == "incoming" and doc.kind == "E-post"
    assert doc.counterpart == "Länsstyrelsen Jämtlands län, Susanna Löfgren"  # as edited
    assert doc.received_on == date(2021, 3, 19) and doc.document_date == date(2021, 3, 17)
    assert doc.message_id == "<vb-queue@regionjh.se>"
    assert sorted(f.filename for f in doc.files) == [
        "Inbjudan Nätverket.pdf",
        "myndighetsnätverket.eml",
    ]
    mail = session.get(MailMessage, invitation.id)
    assert (mail.status, mail.case_id, mail.document_id) == ("filed", case.id, doc.id)
    assert mail.handled_by_id == registrar.id
    actions = [e.action for e in events_for_case(session, case.id)]
    assert "document.register" in actions and "mail.filed" in actions
    assert f"{case.number}-1" in page(client, f"/cases/{case.number}")


def test_a_registrar_opens_a_new_case_from_the_mail(make, client, registrar, invitation):
    make.series()
    response = register(
        client,
        invitation,
        action="new_case",
        case_title="Inbjudan att ingå i Myndighetsnätverket",
        counterpart_name="Susanna Löfgren",
        counterpart_organisation="Länsstyrelsen Jämtlands län",
    )
    assert response.status_code == 302
    session = make.fresh()
    case = session.exec(select(Case)).one()
    assert case.title == "Inbjudan att ingå i Myndighetsnätverket"
    assert case.number == f"RS/1/{today().year}"
    (party,) = case.parties
    assert party.email == "susanna.lofgren@lansstyrelsen.se"
    assert party.organisation == "Länsstyrelsen Jämtlands län"
    (doc,) = session.exec(select(Document)).all()
    assert doc.case_id == case.id and doc.seq == 1


def test_the_new_case_from_a_mail_gets_its_process_and_only_open_series(
    make, client, registrar, invitation
):
    make.series()
    make.series("HSN", name="Hälso- och sjukvårdsnämnden")
    make.session.exec(select(Series).where(Series.code == "HSN")).one().is_active = False
    make.session.commit()
    classes = make.classification()
    form = page(client, f"/mail/{invitation.id}")
    assert "HSN" not in form  # a closed series takes no new case
    assert "2.3.1 Handlägga projektmedel" in form
    response = register(
        client,
        invitation,
        action="new_case",
        case_title="Inbjudan att ingå i Myndighetsnätverket",
        class_id=str(classes["2.3.1"].id),
    )
    assert response.status_code == 302
    case = make.fresh().exec(select(Case)).one()
    assert case.class_id == classes["2.3.1"].id


def test_register_without_a_case_then_connect_later(make, client, registrar, invitation):
    assert register(client, invitation, action="loose").status_code == 302
    doc = make.fresh().exec(select(Document)).one()
    assert doc.case_id is None
    assert "Inbjudan att ingå i Myndighetsnätverket" in page(client, "/documents/loose")


def test_after_a_decision_the_next_mail_in_the_queue_opens(make, client, registrar):
    first, second = make.mail(plain("Utlysning", 1)), make.mail(plain("Fråga", 2))
    response = client.post(f"/mail/{first.id}/reject", data={"reason": "Reklam"})
    assert response.headers["Location"] == f"/mail/{second.id}"
    rejected = make.fresh().get(MailMessage, first.id)
    assert (rejected.status, rejected.reason) == ("rejected", "Reklam")
    assert "Utlysning" not in page(client, "/mail/")  # no longer waiting
    assert "Utlysning" in page(client, "/mail/?show=rejected")


def test_a_rejection_needs_a_reason(make, client, registrar, invitation):
    refused = client.post(
        f"/mail/{invitation.id}/reject", data={"reason": ""}, follow_redirects=True
    )
    assert refused.request.path == f"/mail/{invitation.id}"
    assert "Ange varför e-posten inte ska diarieföras." in refused.get_data(as_text=True)
    assert make.fresh().get(MailMessage, invitation.id).status == "queued"


def test_undoing_a_filing_voids_the_document_and_queues_the_mail_again(
    make, client, registrar, invitation
):
    wrong, right = make.case("Fel ärende"), make.case("Rätt ärende")
    register(client, invitation, action="file", number=wrong.number)
    response = client.post(f"/mail/{invitation.id}/undo", data={"reason": "Fel ärende valt"})
    assert response.status_code == 302
    session = make.fresh()
    doc = session.exec(select(Document).where(Document.case_id == wrong.id)).one()
    assert doc.is_voided and "Fel ärende valt" in doc.void_reason
    mail = session.get(MailMessage, invitation.id)
    assert (mail.status, mail.case_id, mail.document_id) == ("queued", None, None)
    assert "mail.undone" in [e.action for e in events_for_case(session, wrong.id)]

    register(client, invitation, action="file", number=right.number)
    assert make.fresh().get(MailMessage, invitation.id).case_id == right.id


def test_refusals_write_nothing_and_say_why(make, client, registrar, invitation):
    closed = make.case("Avslutat")
    make.session.get(Case, closed.id).status = "closed"
    make.session.commit()
    cases = {
        "file": ({"number": closed.number}, "inte öppet"),
        "new_case": ({"series": "XX", "case_title": "Nytt"}, "XX"),
    }
    for action, (fields, words) in cases.items():
        response = register(client, invitation, action=action, **fields)
        assert response.status_code == 422 and words in response.get_data(as_text=True)
    secret = register(client, invitation, action="file", number=closed.number, is_secret="y")
    assert secret.status_code == 422
    missing = register(client, invitation, action="file", number="")
    assert missing.status_code == 422 and "Ange numret" in missing.get_data(as_text=True)
    session = make.fresh()
    assert session.exec(select(Document)).all() == []
    assert session.get(MailMessage, invitation.id).status == "queued"
    assert len(session.exec(select(Case)).all()) == 1


def test_a_mail_is_decided_once(make, client, registrar, invitation):
    case = make.case("Ärende")
    register(client, invitation, action="file", number=case.number)
    again = register(client, invitation, action="loose")
    assert again.status_code == 422 and "redan hanterat" in again.get_data(as_text=True)
    assert len(make.fresh().exec(select(Document)).all()) == 1


def test_the_original_and_each_part_download_as_files(client, registrar, invitation):
    with client.get(f"/mail/{invitation.id}/raw") as raw:
        assert raw.data == FORWARD and "attachment" in raw.headers["Content-Disposition"]
    part = client.get(f"/mail/{invitation.id}/parts/0")
    assert part.data.startswith(b"%PDF-1.4")
    assert part.headers["Content-Type"] == "application/octet-stream"
    assert "attachment" in part.headers["Content-Disposition"]
    assert client.get(f"/mail/{invitation.id}/parts/7").status_code == 404


def test_a_failed_mail_is_read_again_on_request(make, client, registrar, monkeypatch):
    from caseflow.mail import intake

    real = intake.route

    def broken(session, parsed):
        raise RuntimeError("tillfälligt fel")

    monkeypatch.setattr(intake, "route", broken)
    mail = make.mail(plain("Fråga", 3))
    assert (mail.status, mail.error_code) == ("failed", "processing_failed")
    assert mail.error_detail == "RuntimeError: tillfälligt fel"
    # The list says in words what happened; the mail's page adds the detail behind it.
    assert "Meddelandet kunde inte läsas eller sorteras" in page(client, "/mail/")
    shown = page(client, f"/mail/{mail.id}")
    assert "Meddelandet kunde inte läsas eller sorteras" in shown
    assert "<summary>Teknisk detalj</summary><pre>RuntimeError: tillfälligt fel</pre>" in shown
    monkeypatch.setattr(intake, "route", real)
    client.post(f"/mail/{mail.id}/retry")
    assert make.fresh().get(MailMessage, mail.id).status == "queued"


def test_a_thousand_waiting_mails_page_oldest_first(make, client, registrar):
    from caseflow.common.timeutil import now
    from caseflow.documents.services import store_blob

    session = make.session
    raw = plain("Massutskick", 0)
    sha, size = store_blob(session, make.store, raw)
    start = now()
    from datetime import timedelta

    session.add_all(
        MailMessage(
            sha256=sha,
            size=size,
            message_id=f"<bulk{n}@x.se>",
            source=f"test:{n}",
            source_key=f"bulk:{n}",
            status="queued",
            subject=f"Meddelande {n:04d}",
            received_at=start + timedelta(seconds=n),
            suggested_cases=json.dumps([]),
        )
        for n in range(1000)
    )
    session.commit()
    first = page(client, "/mail/")
    assert "1000 meddelanden" in first
    assert "Meddelande 0000" in first and "Meddelande 0049" in first
    assert "Meddelande 0050" not in first and 'rel="next"' in first
    last = page(client, "/mail/?page=20")
    assert "Meddelande 0999" in last and 'rel="next"' not in last
    assert page(client, "/mail/?page=999").count("Meddelande 09") == 50  # clamped to the last


def test_a_mail_set_aside_as_automatic_can_be_put_in_the_queue(make, client, registrar):
    bulk = plain("Inbjudan till samråd", 7).replace(
        b"MIME-Version", b"Precedence: bulk\nMIME-Version"
    )
    assert make.mail(bulk).status == "queued"  # a list or newsletter is routed (RFC 3834)
    generated = plain("Inbjudan till samråd", 9).replace(
        b"MIME-Version", b"Auto-Submitted: auto-generated\nMIME-Version"
    )
    mail = make.mail(generated)  # sent by a mailing system: automatic, set aside
    assert mail.status == "autoreply"
    client.post(f"/mail/{mail.id}/requeue", data={"reason": "En riktig inbjudan"})
    requeued = make.fresh().get(MailMessage, mail.id)
    assert requeued.status == "queued" and "En riktig inbjudan" in requeued.reason
    assert "Inbjudan till samråd" in page(client, "/mail/")


def test_a_duplicate_links_to_the_first_copy(make, client, registrar, invitation):
    again = make.mail(FORWARD)
    assert again.status == "duplicate"
    shown = page(client, f"/mail/{again.id}")
    assert f'href="/mail/{invitation.id}"' in shown


def test_similar_titles_are_suggested_but_never_filed_by(make, client, registrar):
    make.case("Regional handlingsplan för elektrifiering av transporter")
    make.case("Budget för kollektivtrafiken")
    mail = make.mail(plain("Synpunkter på handlingsplan för elektrifiering", 8))
    assert mail.status == "queued"  # a similar title is no reason to file
    shown = page(client, f"/mail/{mail.id}")
    assert "RS/1/2021" in shown and "liknande ärendemening" in shown
    assert "RS/2/2021" not in shown.split("Registrera e-posten")[1].split("</p>")[0]


def test_reading_a_mail_filed_as_secret_is_logged(make, client, registrar, invitation):
    case = make.case("Hälsoärende")
    register(
        client, invitation, action="file", number=case.number,
        is_secret="y", secrecy_provision="OSL 25 kap. 1 §",
    )  # fmt: skip
    page(client, f"/mail/{invitation.id}")
    with client.get(f"/mail/{invitation.id}/raw"):
        pass
    actions = [e.action for e in events_for_case(make.fresh(), case.id)]
    assert actions.count("document.read_secret") == 2


def test_undoing_a_case_opened_from_the_mail_says_what_is_left(make, client, registrar, invitation):
    make.series()
    register(client, invitation, action="new_case", case_title="Felöppnat ärende")
    response = client.post(
        f"/mail/{invitation.id}/undo", data={"reason": "Fel"}, follow_redirects=True
    )
    assert f"RS/1/{today().year}" in response.get_data(as_text=True)
    assert "avskriv" in response.get_data(as_text=True).lower()


def test_links_in_mail_never_point_into_caseflow(make, client, registrar):
    raw = (
        b"From: x@example.com\nTo: platina@regionjh.se\nSubject: Links\n"
        b"Message-ID: <links@example.com>\nMIME-Version: 1.0\n"
        b"Content-Type: text/html; charset=utf-8\n\n"
        b'<a href="/mail/1/raw">inre</a> <a href="//evil.example/x">schemeless</a> '
        b'<a href="https://www.vinnova.se/">Vinnova</a>'
    )
    mail = make.mail(raw)
    html = page(client, f"/mail/{mail.id}").split('class="mail-html"')[1]
    assert 'href="https://www.vinnova.se/"' in html
    assert 'href="/mail/1/raw"' not in html and "evil.example" not in html


def test_the_filter_offers_waiting_and_exactly_the_mail_statuses(client, registrar):
    listing = page(client, "/mail/")
    choices = listing.split('<select id="show"', 1)[1].split("</select>", 1)[0]
    values = re.findall(r'<option value="([^"]*)"', choices)
    assert values == [
        "waiting",
        "received",
        "filed",
        "queued",
        "duplicate",
        "autoreply",
        "bounce",
        "delayed",
        "receipt",
        "rejected",
        "failed",
    ]
    labels = [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", choices)]
    assert "" not in labels and len(set(labels)) == len(values)
    # Anything else shows the waiting mail rather than an empty or broken list.
    fallback = page(client, "/mail/?show=caseflow.mail.models")
    assert '<option value="waiting" selected>' in fallback

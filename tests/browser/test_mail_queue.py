"""A registrar in Chromium files the Länsstyrelsen's forwarded invitation into a new case.

The story of DESIGN.md's first step: a colleague forwarded the invitation to the shared
mailbox; intake stored it and queued it, recognising the Länsstyrelsen as its original
sender. The registrar finds it in the queue, reads it, opens a new case from it (Enter in
a field registers the way chosen), and sees the mail and its attachment as the case's
first document.
"""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.db import new_session
from caseflow.documents.models import Document
from caseflow.mail.models import MailMessage
from tests.browser.test_registrar_flow import expect, log_in

pytestmark = pytest.mark.browser

INVITATION = """\
From: Emma Borg <emma.borg@regionjh.se>
To: FBL Platina RS <platina@regionjh.se>
Subject: VB: myndighetsnätverket
Date: Fri, 19 Mar 2021 09:16:07 +0100
Message-ID: <vb-browser@regionjh.se>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: 8bit

<div><p>Se nedan.</p><img src="https://tracker.example.com/pixel.gif" alt="">
<p><b>Från:</b> Löfgren Susanna &lt;susanna.lofgren@lansstyrelsen.se&gt;<br>
<b>Skickat:</b> den 17 mars 2021 18:20<br>
<b>Till:</b> Anders Byström &lt;anders.bystrom@regionjh.se&gt;<br>
<b>Ämne:</b> myndighetsnätverket</p>
<p>Hej Anders! Här kommer en Inbjudan att ingå i Myndighetsnätverket.</p></div>
--b1
Content-Type: application/pdf
Content-Disposition: attachment; filename*=utf-8''Inbjudan%20Myndighetsn%C3%A4tverket.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQKJcOkw7zDtsOfCg==
--b1--
""".encode()


def test_registrar_files_the_forwarded_invitation_into_a_new_case(make, page, app):
    make.series("RS")
    registrar = make.user("registrar", name="Rut Registrator")
    make.user("official", name="Anders Byström", unit="Ledningsstab")
    queued = make.mail(INVITATION)
    assert queued.status == "queued"
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    log_in(page, registrar)
    page.locator('nav a[href="/mail/"]').click()
    row = page.locator("table.mail-queue tbody tr").first
    expect(row).to_contain_text("susanna.lofgren@lansstyrelsen.se")
    expect(row).to_contain_text("emma.borg@regionjh.se")
    row.locator("a").click()
    page.wait_for_url(re.compile(rf"/mail/{queued.id}$"))

    # The preview: the original sender, and the HTML cleaned of remote images.
    expect(page.locator("dl.facts")).to_contain_text("Löfgren Susanna")
    page.locator("details summary", has_text=re.compile("HTML")).click()
    expect(page.locator(".mail-html")).to_contain_text("Inbjudan att ingå i Myndighetsnätverket")
    assert not any("tracker.example.com" in url for url in requests)

    # No existing case fits: the registrar fills in the new-case fields.
    expect(page.locator("#title")).to_have_value("myndighetsnätverket")
    page.locator("#title").fill("Inbjudan att ingå i Myndighetsnätverket")
    # The sender as a registrar writes it ("Löfgren Susanna <…>" in the mail's header).
    expect(page.locator("#counterpart")).to_have_value("Susanna Löfgren")
    page.locator("#series").select_option("RS")
    page.locator("#case_title").fill("Inbjudan att ingå i Myndighetsnätverket")
    page.locator("#officer_id").select_option(label="Anders Byström")
    # With no case suggested, the form is set to open a new case; Enter registers.
    expect(page.locator('input[name="action"][value="new_case"]')).to_be_checked()
    page.locator("#counterpart_organisation").fill("Länsstyrelsen Jämtlands län")
    page.locator("#counterpart_organisation").press("Enter")

    # No mail waits any more: the queue says so, and the new case holds the mail.
    page.wait_for_url(re.compile(r"/mail/$"))
    expect(page.locator(".flash-success")).to_contain_text(re.compile(r"RS/\d+/\d{4}-1"))
    with new_session(app.extensions["caseflow.engine"]) as session:
        case = session.exec(select(Case)).one()
        doc = session.exec(select(Document)).one()
        mail = session.get(MailMessage, queued.id)
        number = case.number
        assert (mail.status, mail.case_id, doc.case_id) == ("filed", case.id, case.id)
        assert case.parties[0].email == "susanna.lofgren@lansstyrelsen.se"
        assert case.officer_id is not None
    page.goto(f"/cases/{number}")
    documents = page.locator("table.documents")
    expect(documents).to_contain_text(f"{number}-1")
    expect(documents).to_contain_text("Inbjudan att ingå i Myndighetsnätverket")
    expect(documents).to_contain_text("Susanna")
    expect(page.locator("body")).to_contain_text("Inbjudan Myndighetsnätverket.pdf")

"""Secrets flow nowhere they may not go: markers planted in every secret-capable field and
file are searched for in every artefact caseflow makes, as each role.

The case, its description, its parties, a secret document's title, sender and file each
carry a distinctive marker. The case then travels its whole path (memo, review, meeting,
justering, excerpt, dispatch, export). Artefacts meant to travel or be published (e-mail,
excerpts, agenda, protocol, export, file names) must hold no marker whoever makes them;
pages and JSON hold them only for those who hold the case's secrets. Later features add
their artefacts here.
"""

from __future__ import annotations

import io
import json
import re
import threading
from datetime import date, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from caseflow.documents.models import Document
from caseflow.meetings.dispatch_models import DispatchRecipient
from caseflow.memos.services import get_memo
from tests.markers import (
    MARKERS,
    PUBLIC_TITLE,
    artefact_text,
    docx_text,
    eml_text,
    fetch,
    found_markers,
    pdf_text,
    signature_texts,
)
from tests.support import require_or_skip


def test_the_fixture_plants_every_marker_where_the_holder_sees_it(
    make, app, secret_case, client, login
):
    """Without this the other tests could pass on a fixture that planted nothing."""
    case = secret_case["case"]
    login(make.user("registrar"))
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert found_markers(page) == {"title", "description", "party", "document_title", "sender"}
    protected_page = client.get(f"/cases/{secret_case['protected_case'].number}")
    assert found_markers(protected_page.get_data(as_text=True)) == {"protected"}
    assert "protected" in found_markers(client.get("/parties/").get_data(as_text=True))
    doc = secret_case["document"]
    download = fetch(client, f"/documents/{doc.id}/files/{doc.files[0].id}")
    assert download.status_code == 200 and MARKERS["file"].encode() in download.data
    memo_doc = make.session.get(Document, get_memo(make.session, case).document_id)
    memo_file = fetch(client, f"/documents/{memo_doc.id}/files/{memo_doc.files[-1].id}")
    assert "title" in found_markers(docx_text(memo_file.data))


def test_what_is_sent_or_published_carries_no_secret(make, app, secret_case, client, login):
    case, meeting = secret_case["case"], secret_case["meeting"]
    item = meeting.items[0]
    leaks: dict[str, set[str]] = {}

    (eml,) = (Path(app.instance_path) / "outbox").glob("*.eml")
    leaks["dispatch e-mail"] = found_markers(eml_text(eml.read_bytes()))
    sent = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert PUBLIC_TITLE in str(sent["Subject"])
    # The secret party is served, never named to the other recipients: its address is in
    # the envelope only (the outbox keeps it as Bcc, which no server passes on).
    assert "person@example.se" not in str(sent["To"])
    assert "person@example.se" in str(sent["Bcc"])
    (letter,) = make.session.exec(
        select(DispatchRecipient).where(DispatchRecipient.channel == "letter")
    ).all()
    with make.store.open(letter.letter_sha256) as handle:
        leaks["dispatch letter"] = found_markers(docx_text(handle.read()))

    outgoing = make.session.exec(
        select(Document).where(Document.case_id == case.id, Document.direction == "outgoing")
    ).one()
    leaks["registered excerpt"] = found_markers(
        " ".join([outgoing.title, outgoing.counterpart, *(f.filename for f in outgoing.files)])
    )

    login(secret_case["manager"])  # a holder of the secrets makes every published artefact
    for url in (
        f"/meetings/items/{item.id}/excerpt.docx",
        f"/meetings/{meeting.id}/agenda.docx",
        f"/meetings/{meeting.id}/protocol.docx",
        f"/meetings/{meeting.id}/summons/preview.docx",  # the kallelse (sent: test_summons.py)
    ):
        response = fetch(client, url)
        assert response.status_code == 200, url
        name = response.headers["Content-Disposition"]
        leaks[url] = found_markers(name + artefact_text(url, response.data))

    started = client.post(f"/meetings/{meeting.id}/export", data={"fmt": "docx"})
    job_url = started.headers["Location"]
    job_id = int(re.search(r"/exports/(\d+)", job_url)[1])
    for thread in threading.enumerate():
        if thread.name == f"export-{job_id}":
            thread.join(timeout=60)
    archive = fetch(client, f"/meetings/exports/{job_id}/download")
    assert archive.status_code == 200
    leaks["export ZIP"] = found_markers(
        archive.headers["Content-Disposition"] + artefact_text("export.zip", archive.data)
    )
    assert {name: found for name, found in leaks.items() if found} == {}


def test_the_protocol_names_a_closed_paragraph_by_its_public_title_only(
    make, app, secret_case, client, login
):
    """A § behind closed doors, and a case's § with votes, motions and statements: the
    published protocol and agenda carry the public titles only."""
    from caseflow.meetings.models import AgendaItem, Motion, Statement

    meeting = secret_case["meeting"]
    closed = AgendaItem(
        meeting_id=meeting.id,
        kind="other",
        title=f"Personalärende {MARKERS['closed']}",
        public_title="Personalärende",
        is_closed=True,
        position=len(meeting.items) + 1,
        paragraph=max(i.paragraph for i in meeting.items) + 1,
    )
    item = meeting.items[0]
    make.session.add(closed)
    make.session.add(
        Motion(item_id=item.id, position=1, mover="Bertil Justerare (M)", text="Avslag.")
    )
    make.session.add(Statement(item_id=item.id, kind="reservation", name="Bertil Justerare (M)"))
    make.session.commit()
    login(secret_case["manager"])
    leaks = {}
    for url in (
        f"/meetings/{meeting.id}/protocol.docx",
        f"/meetings/{meeting.id}/agenda.docx",
        f"/meetings/items/{item.id}/excerpt.docx",
    ):
        response = fetch(client, url)
        assert response.status_code == 200, url
        text = artefact_text(url, response.data)
        assert "Personalärende" in text or "excerpt" in url
        assert "Bertil Justerare (M) reserverar sig mot beslutet." in text or "agenda" in url
        leaks[url] = found_markers(response.headers["Content-Disposition"] + text)
    assert {url: found for url, found in leaks.items() if found} == {}


def test_excerpt_and_protocol_as_sealed_pdf_carry_no_secret(
    make, app, secret_case, client, login, tmp_path
):
    from caseflow.pdf import converter
    from caseflow.seal.demo_seal import create_demo_seal

    if not converter.is_available():
        require_or_skip("LibreOffice is not installed")
    # Sealed, so that the signature's reason and location are searched too.
    create_demo_seal(tmp_path / "sigill.p12", password="lösen", organisation="Region Test")
    app.config.update(SEAL_PKCS12_PATH=str(tmp_path / "sigill.p12"), SEAL_PKCS12_PASSWORD="lösen")
    item = secret_case["meeting"].items[0]
    login(secret_case["manager"])
    for url in (
        f"/meetings/items/{item.id}/excerpt.pdf",
        f"/meetings/{secret_case['meeting'].id}/protocol.pdf",
    ):
        response = fetch(client, url)
        assert response.status_code == 200, url
        text = pdf_text(response.data)
        reader = PdfReader(io.BytesIO(response.data))
        assert len(signature_texts(reader)) == 2, url  # the seal's reason and location, read
        assert PUBLIC_TITLE in text
        assert found_markers(text) == set(), url


@pytest.mark.parametrize("role", ["official", "admin"])
def test_staff_without_the_right_see_no_secret(make, app, secret_case, client, login, runner, role):
    case, doc = secret_case["case"], secret_case["document"]
    viewer = make.user(role)
    login(viewer)
    leaks = {}
    protected_case = secret_case["protected_case"]
    for url in (
        "/",
        "/cases/",
        f"/cases/{case.number}",
        f"/cases/?q={case.number}",
        f"/cases/{protected_case.number}",
        "/cases/?q=Skyddad",  # a search by the protected name finds nothing to show
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        leaks[url] = found_markers(response.get_data(as_text=True))
    for url in ("/parties/", "/parties/?q=Skyddad"):  # officials only
        response = client.get(url)
        assert response.status_code == (200 if role == "official" else 403), url
        leaks[url] = found_markers(response.get_data(as_text=True))
    for url in ("/audit/", f"/audit/?case={case.number}", "/audit/export.csv"):  # admins only
        response = client.get(url)
        assert response.status_code == (200 if role == "admin" else 403), url
        leaks[url] = found_markers(response.get_data(as_text=True))
    assert client.get(f"/documents/{doc.id}/files/{doc.files[0].id}").status_code == 403
    open_file = next(
        d
        for d in make.session.exec(select(Document).where(Document.case_id == case.id))
        if d.title_is_secret and not d.is_secret and d.files
    )
    download = fetch(client, f"/documents/{open_file.id}/files/{open_file.files[0].id}")
    assert download.status_code == 200
    leaks["download name"] = found_markers(download.headers["Content-Disposition"])
    memo_doc = make.session.get(Document, get_memo(make.session, case).document_id)
    assert memo_doc.is_secret and memo_doc.secrecy_provision == "OSL 26 kap. 1 §"
    assert client.get(f"/documents/{memo_doc.id}/files/{memo_doc.files[-1].id}").status_code == 403
    from caseflow.cli import cli

    found = runner.invoke(
        cli, ["case", "list", "--search", MARKERS["party"], "--as", viewer.email, "--json"]
    )
    assert found.exit_code == 0 and json.loads(found.output) == []  # no search by a secret
    for args in (
        ["case", "show", case.number],
        ["case", "list"],
        ["case", "show", protected_case.number],
        ["party", "list"],
    ):
        result = runner.invoke(cli, [*args, "--as", viewer.email, "--json"])
        assert result.exit_code == 0, result.output
        leaks[" ".join(args)] = found_markers(result.output)
    assert {name: found for name, found in leaks.items() if found} == {}
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert PUBLIC_TITLE in page and "OSL 26 kap. 1 §" in page


def test_the_digest_names_the_case_by_its_public_title(make, app, secret_case):
    """The officer's own digest still travels by e-mail: public variants only."""
    from caseflow.reminders.jobs import send_daily_digests

    outbox = Path(app.instance_path) / "outbox"
    before = set(outbox.glob("*.eml"))
    with app.app_context():
        counts = send_daily_digests(date(2022, 6, 1))  # six months on: the case is named
    assert counts["sent"] >= 1
    sent = [eml_text(p.read_bytes()) for p in set(outbox.glob("*.eml")) - before]
    assert any(secret_case["case"].number in text and PUBLIC_TITLE in text for text in sent)
    assert {found for text in sent for found in found_markers(text)} == set()


def test_the_excerpt_written_by_the_command_carries_no_secret(
    make, app, secret_case, runner, tmp_path
):
    from caseflow.cli import cli

    result = runner.invoke(
        cli,
        ["excerpt", "export", secret_case["case"].number, "--format", "docx", "-o", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    (written,) = tmp_path.glob("*.docx")
    assert found_markers(written.name + artefact_text(written.name, written.read_bytes())) == set()


@pytest.mark.parametrize("role", ["official", "admin"])
def test_a_corrected_secret_stays_masked_in_the_timeline_and_on_the_document_page(
    make, app, secret_case, client, login, role
):
    """A rättelse of a secret title or sender reads "… ändrad från [Sekretess: …] till …"
    for staff without the right, on the case's timeline and on the document's page."""
    from caseflow.cases.services import update_case
    from caseflow.documents.corrections import correct_document

    case, doc = secret_case["case"], secret_case["document"]
    update_case(
        make.session,
        case,
        expected_version=case.version,
        reason="Namnet var fel",
        title=f"Utredning om {MARKERS['title']} (rättad)",
    )
    correct_document(
        make.session,
        doc,
        {
            "title": f"Läkarintyg {MARKERS['document_title']} rättat",
            "counterpart": f"Doktor {MARKERS['sender']} rättad",
        },
        "Stavfel",
    )
    make.session.commit()
    documents = make.session.exec(select(Document).where(Document.case_id == case.id)).all()
    login(make.user(role))
    leaks = {}
    for url in [f"/cases/{case.number}", *(f"/documents/{d.id}" for d in documents)]:
        response = client.get(url)
        assert response.status_code == 200, url
        leaks[url] = found_markers(response.get_data(as_text=True))
    assert {url: found for url, found in leaks.items() if found} == {}
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert "Rättelse: Ärendemening ändrad från [Sekretess: OSL 26 kap. 1 §] till" in page
    assert "skäl: Stavfel" in page and "skäl: Namnet var fel" in page

    client.post("/logout")
    login(make.user("registrar"))  # the holder reads the correction as it was made
    held = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert f"till Utredning om {MARKERS['title']} (rättad)" in held
    assert f"till Doktor {MARKERS['sender']} rättad" in held


def test_a_delegated_decision_and_its_dispatch_carry_no_secret(make, app):
    """A secret case decided under delegation: the decision document, its registration and
    the mail that sends it name the case by its public title and no secret party."""
    from caseflow.cases.workflow import apply_transition
    from caseflow.documents.models import DocumentFile
    from caseflow.meetings import delegation as register
    from caseflow.meetings import dispatch as dispatching
    from caseflow.meetings.delegated_decisions import decide_under_delegation, proposal_points
    from caseflow.memos.services import save_memo
    from tests.memos.conftest import memo_of_rs720

    erik = make.user("official", name="Erik Noaksson", email="erik.noaksson@regionjh.se")
    hans = make.user("manager", name="Hans Svensson", email="hans.svensson@regionjh.se")
    organ = make.session.merge(make.organ("Regionstyrelsen"))
    case = make.session.merge(
        make.case(
            f"Stöd till {MARKERS['title']}",
            officer=erik,
            title_is_secret=True,
            public_title=PUBLIC_TITLE,
            secrecy_provision="OSL 26 kap. 1 §",
            description=f"Bakgrund: {MARKERS['description']}",
            description_is_secret=True,
            parties=[{"name": f"Person {MARKERS['party']}", "email": "person@example.se"}],
            parties_are_secret=True,
        )
    )
    with app.app_context():
        memo = memo_of_rs720(
            title=case.title,
            description=f"Ärendet gäller {MARKERS['description']}.",
            recipients=[
                (None, "Vinnova", "registrator@vinnova.se"),
                (f"Person {MARKERS['party']}", None, "person@example.se"),
            ],
        )
        save_memo(make.session, case, memo, expected_version=case.version, user=erik)
        apply_transition(make.session, case, "start", user=erik)
        delegation = register.add_delegation(
            make.session,
            organ,
            code="3.2",
            matter="Beslut om stöd",
            delegate="Regiondirektör",
            resting_on="RS 2021-02-06 § 12",
            valid_from=date(2021, 1, 1),
        )
        decision = decide_under_delegation(
            make.session,
            make.store,
            case,
            delegation=delegation,
            points=proposal_points(make.session, case),
            decided_on=date(2021, 11, 10),
            decided_by_name="Hans Svensson, Regiondirektör",
            user=erik,
            with_pdf=False,
        )
        dispatching.prepare_decision_dispatch(make.session, make.store, decision, user=hans)
        make.session.commit()
    leaks: dict[str, set[str]] = {}
    (eml,) = (Path(app.instance_path) / "outbox").glob("*.eml")
    leaks["dispatch e-mail"] = found_markers(eml_text(eml.read_bytes()))
    sent = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert "person@example.se" not in str(sent["To"]) and "person@example.se" in str(sent["Bcc"])
    for doc in make.fresh().exec(select(Document).where(Document.case_id == case.id)).all():
        if doc.kind != "Delegationsbeslut":
            continue
        leaks[f"{doc.direction} registration"] = found_markers(
            " ".join([doc.title, doc.counterpart, *(f.filename for f in doc.files)])
        )
        for file in make.session.exec(
            select(DocumentFile).where(DocumentFile.document_id == doc.id)
        ).all():
            with make.store.open(file.sha256) as handle:
                text = docx_text(handle.read())
            assert PUBLIC_TITLE in text
            leaks[f"{doc.direction} {file.filename}"] = found_markers(text)
    assert len(leaks) == 5
    assert {name: found for name, found in leaks.items() if found} == {}


def test_the_legal_force_reminder_names_the_case_by_its_public_title(make, app, secret_case):
    """The secretary's mail that the decision gained legal force travels by e-mail."""
    from caseflow.common.timeutil import today
    from caseflow.meetings.legal_force_jobs import remind_legal_force

    make.session.merge(secret_case["meeting"]).notice_posted_on = date(2021, 12, 1)
    make.session.commit()
    outbox = Path(app.instance_path) / "outbox"
    before = set(outbox.glob("*.eml"))
    with app.app_context():
        # The excerpt went to the (secret) party today: three weeks and more from now.
        counts = remind_legal_force(today() + timedelta(days=60))
    assert counts == {"recorded": 1, "sent": 1, "failed": 0}
    (sent,) = [eml_text(p.read_bytes()) for p in set(outbox.glob("*.eml")) - before]
    assert secret_case["case"].number in sent and PUBLIC_TITLE in sent
    assert found_markers(sent) == set()


@pytest.mark.parametrize("role", ["official", "admin"])
def test_exports_carry_no_secret_for_staff_without_the_right(
    make, secret_case, client, login, role
):
    """The case list and the audit trail as CSV and Excel, filtered and not: no marker for
    a reader who does not hold the case's secrets; the holder's export has them (so the
    files are really searched)."""
    case, protected_case = secret_case["case"], secret_case["protected_case"]
    urls = [
        f"/cases/export.{fmt}{query}"
        for fmt in ("csv", "xlsx")
        for query in ("", f"?q={case.number}", f"?q={MARKERS['title']}", "?q=Skyddad")
    ]
    if role == "admin":  # officials may not read the audit trail
        cases = ("", f"?case={case.number}", f"?case={protected_case.number}")
        urls += [f"/audit/export.{fmt}{query}" for fmt in ("csv", "xlsx") for query in cases]
    login(make.user(role))
    leaks = {}
    for url in urls:
        response = fetch(client, url)
        assert response.status_code == 200, url
        text = response.headers["Content-Disposition"] + artefact_text(url, response.data)
        assert PUBLIC_TITLE in text or "?q=" in url or "audit" in url, url
        leaks[url] = found_markers(text)
    assert {url: found for url, found in leaks.items() if found} == {}
    client.post("/logout")

    login(make.user("registrar"))
    for url in ("/cases/export.xlsx", f"/audit/export.csv?case={case.number}"):
        held = found_markers(artefact_text(url, fetch(client, url).data))
        assert {"title", "party"} <= held, url

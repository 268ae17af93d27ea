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
import zipfile
from datetime import date, datetime
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlmodel import select

from caseflow.cases.workflow import apply_transition
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.documents.models import Document
from caseflow.meetings import dispatch as dispatching
from caseflow.meetings import services as meetings
from caseflow.memos.services import get_memo, save_memo
from tests.memos.conftest import memo_of_rs720
from tests.support import require_or_skip

MARKERS = {
    "title": "MRKTITLE7F3A",
    "description": "MRKDESC91B2",
    "party": "MRKPARTY44C1",
    "document_title": "MRKDOCT5D20",
    "sender": "MRKSEND0E77",
    "file": "MRKFILE3C9A",
}
PUBLIC_TITLE = "Utredning om en enskild person"


def found_markers(text: str) -> set[str]:
    return {name for name, marker in MARKERS.items() if marker in text}


def docx_text(content: bytes) -> str:
    """Every XML part of a .docx, the core properties included."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", "replace")
            for name in archive.namelist()
            if name.endswith(".xml") or name.endswith(".rels")
        )


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    parts = [page.extract_text() or "" for page in reader.pages]
    parts.append(json.dumps({k: str(v) for k, v in (reader.metadata or {}).items()}))
    xmp = reader.xmp_metadata
    if xmp is not None:
        parts.append(xmp.stream.get_data().decode("utf-8", "replace"))
    return "\n".join(parts)


def artefact_text(name: str, content: bytes) -> str:
    """The text a reader of ``name`` can get at, by the kind of file."""
    if content[:2] == b"PK" and name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                member + "\n" + artefact_text(member, archive.read(member))
                for member in archive.namelist()
            )
    if content[:2] == b"PK":
        return docx_text(content)
    if content[:5] == b"%PDF-":
        return pdf_text(content)
    return content.decode("utf-8", "replace")


def eml_text(raw: bytes) -> str:
    message = message_from_bytes(raw, policy=policy.default)
    parts = [str(message["Subject"]), str(message["To"])]
    for part in message.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        name = part.get_filename() or ""
        parts.append(name)
        parts.append(artefact_text(name, payload) if name else payload.decode("utf-8", "replace"))
    return "\n".join(parts)


def fetch(client, url):
    """GET ``url`` and read the whole response (closing the file a download streams)."""
    with client.get(url) as response:
        response.get_data()
    return response


@pytest.fixture
def secret_case(make, app):
    """A secret case taken through its whole path, with every artefact made once."""
    erik = make.user("official", name="Erik Noaksson", email="erik.noaksson@regionjh.se")
    hans = make.user("manager", name="Hans Svensson", email="hans.svensson@regionjh.se")
    case = make.case(
        f"Utredning om {MARKERS['title']}",
        officer=erik,
        title_is_secret=True,
        public_title=PUBLIC_TITLE,
        secrecy_provision="OSL 26 kap. 1 §",
        description=f"Bakgrund: {MARKERS['description']}",
        description_is_secret=True,
        parties=[{"name": f"Person {MARKERS['party']}", "email": "person@example.se"}],
        parties_are_secret=True,
    )
    document = make.document(
        case,
        title=f"Läkarintyg {MARKERS['document_title']}",
        counterpart=f"Doktor {MARKERS['sender']}",
        is_secret=True,
        title_is_secret=True,
        counterpart_is_secret=True,
        secrecy_provision="OSL 25 kap. 1 §",
        files=[("intyg.txt", f"Intyget: {MARKERS['file']}".encode())],
    )
    case = make.session.merge(case)
    with app.app_context():
        memo = memo_of_rs720(
            title=case.title,
            description=f"Ärendet gäller {MARKERS['description']}.",
            support_ids=[document.id],
        )
        save_memo(make.session, case, memo, expected_version=case.version, user=erik)
        apply_transition(make.session, case, "submit", user=erik)
        apply_transition(make.session, case, "approve", user=hans)
        make.session.commit()
    meeting = make.session.merge(
        make.meeting_with(starts_at=datetime(2021, 11, 24, 9, tzinfo=LOCAL_TZ))
    )
    with app.app_context():
        meetings.add_case(make.session, meeting, case, user=hans)
        meetings.fix_agenda(make.session, meeting, user=hans)
        meetings.record_decision(make.session, meeting.items[0], kind="adopted", user=hans)
        meetings.attest(
            make.session,
            meeting,
            attested_on=date(2021, 11, 30),
            attested_by="Anna Ordförande\nBertil Justerare",
            user=hans,
        )
        make.session.commit()
        dispatching.prepare_dispatch(
            make.session, make.store, meeting.items[0], user=hans, prefer_pdf=False
        )
        make.session.commit()  # the mail goes to the outbox (no MAIL_SERVER in tests)
    make.fresh()
    return {
        "case": make.session.merge(case),
        "meeting": make.session.merge(meeting),
        "document": make.session.merge(document),
        "officer": erik,
        "manager": hans,
    }


def test_the_fixture_plants_every_marker_where_the_holder_sees_it(
    make, app, secret_case, client, login
):
    """Without this the other tests could pass on a fixture that planted nothing."""
    case = secret_case["case"]
    login(make.user("registrar"))
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert found_markers(page) == {"title", "description", "party", "document_title", "sender"}
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
    assert PUBLIC_TITLE in str(
        message_from_bytes(eml.read_bytes(), policy=policy.default)["Subject"]
    )

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


def test_excerpt_as_pdf_carries_no_secret(make, app, secret_case, client, login):
    from caseflow.pdf import converter

    if not converter.is_available():
        require_or_skip("LibreOffice is not installed")
    item = secret_case["meeting"].items[0]
    login(secret_case["manager"])
    response = fetch(client, f"/meetings/items/{item.id}/excerpt.pdf")
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert PUBLIC_TITLE in text
    assert found_markers(text) == set()


@pytest.mark.parametrize("role", ["official", "admin"])
def test_staff_without_the_right_see_no_secret(make, app, secret_case, client, login, runner, role):
    case, doc = secret_case["case"], secret_case["document"]
    viewer = make.user(role)
    login(viewer)
    leaks = {}
    for url in ("/", "/cases/", f"/cases/{case.number}", f"/cases/?q={case.number}"):
        response = client.get(url)
        assert response.status_code == 200, url
        leaks[url] = found_markers(response.get_data(as_text=True))
    assert client.get(f"/documents/{doc.id}/files/{doc.files[0].id}").status_code == 403
    memo_doc = make.session.get(Document, get_memo(make.session, case).document_id)
    assert memo_doc.is_secret and memo_doc.secrecy_provision == "OSL 26 kap. 1 §"
    assert client.get(f"/documents/{memo_doc.id}/files/{memo_doc.files[-1].id}").status_code == 403
    from caseflow.cli import cli

    for args in (["case", "show", case.number], ["case", "list"]):
        result = runner.invoke(cli, [*args, "--as", viewer.email, "--json"])
        assert result.exit_code == 0, result.output
        leaks[" ".join(args)] = found_markers(result.output)
    assert {name: found for name, found in leaks.items() if found} == {}
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    assert PUBLIC_TITLE in page and "OSL 26 kap. 1 §" in page

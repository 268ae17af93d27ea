"""The secret markers: one case whose every secret-capable field and file carries a
distinctive marker, taken through its whole path, and the readers that find a marker in
any artefact (.docx XML and core properties, PDF text, metadata and XMP, .eml, ZIP).

Every artefact caseflow makes is searched for these markers in ``tests/test_secret_markers.py``;
a feature that adds an artefact adds it there. The fixture ``secret_case`` is registered in
``tests/conftest.py``.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from email import message_from_bytes, policy

import pytest
from pypdf import PdfReader

from caseflow.cases.workflow import apply_transition
from caseflow.common.timeutil import LOCAL_TZ
from caseflow.meetings import agenda_items
from caseflow.meetings import dispatch as dispatching
from caseflow.memos.services import save_memo
from tests.meetings.test_meetings import _decide_and_attest as decide_and_attest
from tests.memos.conftest import memo_of_rs720

MARKERS = {
    "title": "MRKTITLE7F3A",
    "description": "MRKDESC91B2",
    "party": "MRKPARTY44C1",
    "document_title": "MRKDOCT5D20",
    "sender": "MRKSEND0E77",
    "file": "MRKFILE3C9A",
    "protected": "MRKPROT8B51",
    #: The real title of a § handled behind closed doors (its public title is published).
    "closed": "MRKCLOSED6A4E",
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
    parts += signature_texts(reader)
    return "\n".join(parts)


def signature_texts(reader: PdfReader) -> list[str]:
    """What a seal's signature dictionary says in clear text (reason, location, name)."""
    form = reader.trailer["/Root"].get("/AcroForm")
    texts = []
    for field in form.get_object().get("/Fields", []) if form else []:
        value = field.get_object().get("/V")
        if value is None:
            continue
        value = value.get_object()
        texts += [str(value[key]) for key in ("/Reason", "/Location", "/Name") if key in value]
    return texts


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
        due_on=date(2021, 12, 20),  # so the officer's digest names it later
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
    # A letter from the secret party, its sender not marked secret on its own: the case's
    # secret parties hide it from those without the right.
    make.document(case, title="Brev om ärendet", counterpart=f"Person {MARKERS['party']}")
    # A secret title over a file that is not secret itself, named (as mail files are) after
    # what it concerns.
    make.document(
        case,
        title=f"Svar om {MARKERS['document_title']}",
        counterpart="Regionen",
        title_is_secret=True,
        secrecy_provision="OSL 25 kap. 1 §",
        files=[(f"Svar om {MARKERS['document_title']}.txt", b"Svar utan hemligheter.")],
    )
    # A person with protected identity (skyddade personuppgifter) in a case that is not
    # secret at all: only the protection hides them.
    protected = make.party(
        f"Skyddad {MARKERS['protected']}",
        kind="person",
        email="mrkprot8b51@example.se",
        phone="070-000 00 00",
        is_protected=True,
    )
    protected_case = make.case(
        "Ansökan om färdtjänst",
        officer=erik,
        parties=[
            {
                "name": protected.name,
                "email": protected.email,
                "party_id": protected.id,
            }
        ],
    )
    make.document(
        protected_case,
        title="Ansökan om färdtjänst",
        counterpart=f"Skyddad {MARKERS['protected']}",
        counterpart_email=protected.email,
        party_id=protected.id,
    )
    case = make.session.merge(case)
    with app.app_context():
        memo = memo_of_rs720(
            title=case.title,
            description=f"Ärendet gäller {MARKERS['description']}.",
            support_ids=[document.id],
            # The secret party gets the excerpt too, without being named in it.
            recipients=[
                (None, "Vinnova", "registrator@vinnova.se"),
                (f"Person {MARKERS['party']}", None, "person@example.se"),
                # Without an address: a letter, its address page made from the case.
                (None, "Länsstyrelsen Jämtlands län", None),
            ],
        )
        save_memo(make.session, case, memo, expected_version=case.version, user=erik)
        apply_transition(make.session, case, "submit", user=erik)
        apply_transition(make.session, case, "approve", user=hans)
        make.session.commit()
    meeting = make.session.merge(
        make.meeting_with(starts_at=datetime(2021, 11, 24, 9, tzinfo=LOCAL_TZ))
    )
    with app.app_context():
        agenda_items.add_case(make.session, meeting, case, user=hans)
        make.session.commit()
    decide_and_attest(make, app, meeting)  # adopted, attested 2021-11-30
    with app.app_context():
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
        "protected_case": make.session.merge(protected_case),
    }

"""Registering documents: the OSL 5 kap. 2 § fields, numbering, files, löpande post."""

import hashlib
from datetime import date, timedelta

import pytest

from caseflow.common.errors import ValidationError
from caseflow.common.secrecy import document_to_dict
from caseflow.common.timeutil import today
from caseflow.documents.models import DocumentFile
from caseflow.documents.services import (
    IncomingFile,
    add_file,
    case_documents,
    connect_document,
    document_number,
    register_document,
    void_document,
)

APPLICATION = b"%PDF-1.7\nAnsokan om medfinansiering fran Vinnova\n"


def _register(make, case, **overrides):
    args = {
        "case": case,
        "direction": "incoming",
        "title": "Ansökan om medfinansiering",
        "counterpart": "Vinnova",
        "received_on": date(2021, 11, 1),
    } | overrides
    return register_document(make.session, make.store, **args)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": ""}, "what the document concerns"),
        ({"counterpart": " "}, "Give the sender"),
        ({"direction": "outgoing", "counterpart": ""}, "Give the recipient"),
        ({"received_on": None}, "came in or was drawn up"),
        ({"received_on": today() + timedelta(days=1)}, "in the future"),
        ({"direction": "sideways"}, "incoming, outgoing or drawn up here"),
        ({"is_secret": True}, "secrecy provision"),
        ({"counterpart_is_secret": True, "secrecy_provision": " "}, "secrecy provision"),
    ],
)
def test_the_four_registration_facts_are_required(make, overrides, message):
    case = make.case()
    with pytest.raises(ValidationError, match=message):
        _register(make, case, **overrides)
    make.session.rollback()
    assert case_documents(make.session, case) == []


def test_documents_are_numbered_within_their_case(make):
    case = make.case()
    other = make.case("Ett annat ärende")
    docs = [
        make.document(case),
        make.document(case, direction="internal", counterpart="Erik Noaksson"),
        make.document(other),
        make.document(case, direction="outgoing"),
    ]
    assert [
        document_number(d, c) for d, c in zip(docs, [case, case, other, case], strict=True)
    ] == ["RS/1/2021-1", "RS/1/2021-2", "RS/2/2021-1", "RS/1/2021-3"]


def test_files_are_stored_once_by_their_sha256(make, app):
    case = make.case()
    a = make.document(case, files=[("ansökan.pdf", APPLICATION)])
    b = make.document(case, files=[("kopia av ansökan.pdf", APPLICATION)])
    sha = hashlib.sha256(APPLICATION).hexdigest()
    assert a.files[0].sha256 == b.files[0].sha256 == sha
    stored = make.store.path_for(sha)
    assert stored.read_bytes() == APPLICATION
    assert stored.is_relative_to(app.config["FILES_DIR"])
    blobs = list(make.store.root.rglob("*"))
    assert len([p for p in blobs if p.is_file()]) == 1


def test_a_changed_file_is_a_new_version_and_the_old_one_stays(make):
    case = make.case()
    doc = make.document(case, files=[("avtal.docx", b"version ett")])
    add_file(make.session, make.store, doc, IncomingFile("avtal.docx", b"version tva"), case=case)
    make.session.commit()
    make.session.refresh(doc)
    assert [(f.filename, f.file_version) for f in doc.files] == [
        ("avtal.docx", 1),
        ("avtal.docx", 2),
    ]
    assert make.store.path_for(doc.files[0].sha256).read_bytes() == b"version ett"


def test_filenames_are_made_safe_but_stay_readable(make):
    case = make.case()
    doc = make.document(
        case,
        files=[
            ("../../etc/Inbjudan myndighetsnätverket.pdf", b"a"),
            ("C:\\Users\\emma\\CON.txt", b"b"),
            ("rapport\x00.exe", b"c"),
        ],
    )
    assert [f.filename for f in doc.files] == [
        "Inbjudan myndighetsnätverket.pdf",
        "_CON.txt",
        "rapport_.exe",
    ]


def test_an_empty_file_is_refused(make):
    case = make.case()
    with pytest.raises(ValidationError, match="tom"):
        _register(make, case, files=[IncomingFile("tom.pdf", b"")])


def test_loose_mail_is_connected_to_a_case_later(make):
    loose = make.document(
        None,
        title="Inbjudan att ingå i Myndighetsnätverket",
        counterpart="Länsstyrelsen Jämtlands län",
    )
    assert loose.case_id is None and document_number(loose, None) is None
    case = make.case("Inbjudan att ingå i Myndighetsnätverket")
    make.document(case)
    connect_document(make.session, make.session.merge(loose), case)
    make.session.commit()
    assert [d.seq for d in case_documents(make.session, case)] == [1, 2]
    with pytest.raises(ValidationError, match="already"):
        connect_document(make.session, make.session.merge(loose), case)


def test_voided_documents_stay_in_the_case_marked(make):
    case = make.case()
    doc = make.document(case, files=[("ansokan.pdf", APPLICATION)])
    file_id, sha256 = doc.files[0].id, doc.files[0].sha256
    with pytest.raises(ValidationError, match="reason for voiding"):
        void_document(make.session, doc, reason="", case=case)
    void_document(make.session, doc, reason="Fel ärende", case=case)
    make.session.commit()
    (listed,) = case_documents(make.session, make.fresh().merge(case))
    assert listed.is_voided and listed.void_reason == "Fel ärende"
    # Voiding deletes nothing: the file and its bytes stay.
    assert make.session.get(DocumentFile, file_id).document_id == doc.id
    assert make.store.path_for(sha256).read_bytes() == APPLICATION


def test_secret_fields_of_a_document_are_masked(make, app):
    owner, other = make.user("official"), make.user("official")
    case = make.case(officer=owner)
    doc = make.document(
        case,
        title="Läkarintyg för Anna Andersson",
        counterpart="Anna Andersson",
        title_is_secret=True,
        counterpart_is_secret=True,
        is_secret=True,
        secrecy_provision="OSL 25 kap. 1 §",
        files=[("intyg.pdf", b"x")],
    )
    seen = document_to_dict(doc, case, owner)
    assert seen["title"] == "Läkarintyg för Anna Andersson" and seen["files"]
    with app.app_context():  # the mask in the organisation's language, Swedish
        masked = document_to_dict(doc, case, other)
    assert masked["title"] == masked["counterpart"] == "[Sekretess: OSL 25 kap. 1 §]"
    assert masked["files"] == []
    assert "Anna" not in str(masked)

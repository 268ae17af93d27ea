"""Ersätt fil: a new version of a document's file; the older one stays, listed and
downloadable, and the store never overwrites a byte."""

import hashlib
import io
import json

import pytest
from sqlmodel import select

from caseflow.common.errors import ValidationError
from caseflow.common.models import AuditEvent
from caseflow.documents.corrections import current_files, replace_file
from caseflow.documents.models import DocumentFile
from caseflow.documents.services import IncomingFile

FIRST = b"%PDF-1.7\nAnsokan, forsta versionen utan bilaga\n"
SECOND = b"%PDF-1.7\nAnsokan, rattad version med budgetbilaga\n"


def _upload(client, doc, old, content, reason="Avsändaren skickade en rättad version"):
    prefix = f"file{old.id}"
    return client.post(
        f"/documents/{doc.id}/files/{old.id}/replace",
        data={
            f"{prefix}-file": (io.BytesIO(content), "ansokan-v2.pdf"),
            f"{prefix}-reason": reason,
        },
        content_type="multipart/form-data",
    )


def test_a_new_version_keeps_the_old_one_downloadable(make, client, login):
    case = make.case()
    doc = make.document(case, files=[("ansokan.pdf", FIRST)])
    (old,) = doc.files
    login(make.user("registrar"))
    assert _upload(client, doc, old, SECOND).status_code == 302

    files = make.fresh().exec(select(DocumentFile).where(DocumentFile.document_id == doc.id)).all()
    assert [(f.filename, f.file_version) for f in files] == [
        ("ansokan.pdf", 1),
        ("ansokan-v2.pdf", 2),
    ]
    assert files[1].replaces_id == files[0].id
    for item, content in zip(files, (FIRST, SECOND), strict=True):
        with client.get(f"/documents/{doc.id}/files/{item.id}") as download:
            assert download.status_code == 200 and download.data == content
        stored = make.store.path_for(item.sha256).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == item.sha256
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Äldre version" in page and "Gällande" in page and "ansokan.pdf" in page


def test_the_replacement_is_audited_with_its_reason(make):
    case = make.case()
    doc = make.document(case, files=[("ansokan.pdf", FIRST)])
    replace_file(
        make.session,
        make.store,
        doc,
        doc.files[0],
        IncomingFile("ansokan.pdf", SECOND),
        reason="Fel fil skannades",
    )
    make.session.commit()
    (event,) = (
        make.fresh()
        .exec(select(AuditEvent).where(AuditEvent.action == "document.replace_file"))
        .all()
    )
    assert json.loads(event.before)["version"] == 1
    after = json.loads(event.after)
    assert (after["version"], after["reason"]) == (2, "Fel fil skannades")
    assert event.case_id == case.id


@pytest.mark.parametrize(
    "content, reason, message",
    [
        (SECOND, "", "reason for the correction"),
        (b"", "Tom", "is empty"),
        (FIRST, "Samma igen", "same as the current version"),
    ],
)
def test_a_replacement_that_breaks_the_upload_rules_is_refused(make, content, reason, message):
    doc = make.document(make.case(), files=[("ansokan.pdf", FIRST)])
    with pytest.raises(ValidationError, match=message):
        replace_file(
            make.session,
            make.store,
            doc,
            doc.files[0],
            IncomingFile("a.pdf", content),
            reason=reason,
        )


def test_only_the_current_version_is_replaced(make):
    doc = make.document(make.case(), files=[("ansokan.pdf", FIRST)])
    old = doc.files[0]
    replace_file(make.session, make.store, doc, old, IncomingFile("a.pdf", SECOND), reason="Ny")
    assert [f.file_version for f in current_files(doc)] == [2]
    with pytest.raises(ValidationError, match="newer version"):
        replace_file(make.session, make.store, doc, old, IncomingFile("b.pdf", b"3"), reason="Ny")


def test_an_empty_replacement_form_comes_back_with_errors_at_its_fields(make, client, login):
    doc = make.document(make.case(), files=[("ansokan.pdf", FIRST)])
    old = doc.files[0]
    login(make.user("registrar"))
    response = client.post(f"/documents/{doc.id}/files/{old.id}/replace", data={})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'for="file{old.id}-reason"' in page and 'aria-invalid="true"' in page
    assert len(make.fresh().exec(select(DocumentFile)).all()) == 1

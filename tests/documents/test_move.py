"""A misfiled document moves to the right case (or back to löpande post): it gets the next
number there, and its old number stays as a voided entry pointing to it."""

import pytest
from sqlmodel import select

from caseflow.common.errors import ValidationError
from caseflow.common.models import AuditEvent
from caseflow.documents.corrections import get_document_by_number, move_document
from caseflow.documents.models import Document, DocumentFile


def _cases(make):
    rs720 = make.case("Projekt Test av coworking och hybridarbete")
    rs412 = make.case("Inbjudan till regional samverkan")
    for _ in range(4):
        make.document(rs412, title="Tidigare handling")
    return rs720, rs412


def test_the_invitation_filed_in_the_wrong_case_moves_and_keeps_its_old_number(make):
    rs720, rs412 = _cases(make)
    make.document(rs720)
    make.document(rs720)
    invitation = make.document(
        rs720, title="Inbjudan från Länsstyrelsen", files=[("inbjudan.pdf", b"%PDF inbjudan")]
    )
    assert f"{rs720.number}-{invitation.seq}" == f"{rs720.number}-3"
    move_document(make.session, invitation, rs412, "Registrerad i fel ärende")
    make.session.commit()

    moved = make.fresh().get(Document, invitation.id)
    assert (moved.case_id, moved.seq) == (rs412.id, 5)
    assert [f.filename for f in moved.files] == ["inbjudan.pdf"]  # the files go with it
    left = make.session.exec(
        select(Document).where(Document.case_id == rs720.id, Document.seq == 3)
    ).one()
    assert left.is_voided and left.moved_to_id == moved.id
    assert left.moved_to_number == f"{rs412.number}-5"
    assert left.title == "Inbjudan från Länsstyrelsen" and left.files == []
    assert get_document_by_number(make.session, f"{rs720.number}-3").id == moved.id
    assert get_document_by_number(make.session, f"{rs412.number}-5").id == moved.id
    events = make.session.exec(select(AuditEvent).where(AuditEvent.action == "document.move"))
    assert {(e.case_id, e.object_id) for e in events} == {
        (rs720.id, moved.id),
        (rs412.id, moved.id),
    }


def test_the_old_case_lists_the_voided_number_pointing_on(make, client, login):
    rs720, rs412 = _cases(make)
    doc = make.document(rs720, title="Inbjudan")
    move_document(make.session, doc, rs412, "Fel ärende")
    make.session.commit()
    login(make.user("official"))
    page = client.get(f"/cases/{rs720.number}").get_data(as_text=True)
    assert f"{rs720.number}-1" in page
    assert f"Flyttad till {rs412.number}-5: Fel ärende" in page
    assert (
        f"Rättelse: Handlingsnummer ändrad från {rs720.number}-1 till {rs412.number}-5 — "
        "skäl: Fel ärende"
    ) in page
    resolved = client.get(f"/documents/number/{rs720.number}-1")
    assert resolved.status_code == 302
    assert resolved.headers["Location"].endswith(f"/documents/{doc.id}")


def test_back_to_loose_post_and_from_loose_post_into_a_case(make):
    rs720, rs412 = _cases(make)
    doc = make.document(rs720)
    move_document(make.session, doc, None, "Hör inte till något ärende")
    make.session.commit()
    assert (doc.case_id, doc.seq) == (None, None)
    assert get_document_by_number(make.session, f"{rs720.number}-1").id == doc.id
    move_document(make.session, doc, rs412, "Hör till inbjudan")
    make.session.commit()
    assert (doc.case_id, doc.seq) == (rs412.id, 5)
    assert get_document_by_number(make.session, f"{rs720.number}-1").id == doc.id


def test_what_cannot_be_moved(make):
    from caseflow.documents.services import void_document

    rs720, rs412 = _cases(make)
    doc = make.document(rs720)
    with pytest.raises(ValidationError, match="reason"):
        move_document(make.session, doc, rs412, "")
    with pytest.raises(ValidationError, match="already belongs"):
        move_document(make.session, doc, rs720, "Samma")
    loose = make.document(None)
    with pytest.raises(ValidationError, match="already unfiled"):
        move_document(make.session, loose, None, "Redan")
    void_document(make.session, doc, reason="Dubblett", case=rs720)
    with pytest.raises(ValidationError, match="void"):
        move_document(make.session, doc, rs412, "Flytta")


def test_a_memo_or_excerpt_made_from_its_case_is_not_moved(make):
    rs720, rs412 = _cases(make)
    doc = make.document(rs720, files=[("tjansteskrivelse.docx", b"PK memo")])
    template = make.builtin_template()
    make.session.merge(doc.files[0]).template_id = template.id
    make.session.commit()
    doc = make.fresh().get(Document, doc.id)
    with pytest.raises(ValidationError, match="made by caseflow"):
        move_document(make.session, doc, rs412, "Fel ärende")
    assert make.session.get(DocumentFile, doc.files[0].id).document_id == doc.id


def test_the_registrar_moves_from_the_document_page(make, client, login):
    rs720, rs412 = _cases(make)
    doc = make.document(rs720)
    login(make.user("registrar"))
    empty = client.post(f"/documents/{doc.id}/move", data={"reason": "Fel"})
    assert empty.status_code == 422
    assert 'id="number"' in empty.get_data(as_text=True)
    unknown = client.post(
        f"/documents/{doc.id}/move", data={"number": "RS/999/2021", "reason": "Fel"}
    )
    assert unknown.status_code == 422
    response = client.post(
        f"/documents/{doc.id}/move", data={"number": rs412.number.lower(), "reason": "Fel ärende"}
    )
    assert response.status_code == 302
    assert make.fresh().get(Document, doc.id).case_id == rs412.id

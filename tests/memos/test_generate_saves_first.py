"""Pressing "generate" on the memo form saves what the official typed, then generates."""

import io

from docx import Document as Docx
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.common.audit import events_for_case
from caseflow.documents.models import DocumentFile
from caseflow.memos.services import get_memo
from tests.memos.test_memo_pages import _form, text


def _version(make, case):
    return make.fresh().get(Case, case.id).version


def _generated_files(make, case):
    return make.fresh().exec(select(DocumentFile).order_by(DocumentFile.id)).all()


def test_generate_saves_the_edited_description_and_puts_it_in_the_docx(
    make, client, login, coworking
):
    case, erik, _hans = coworking
    login(erik)
    client.post(f"/cases/{case.number}/memo", data=_form(_version(make, case)))
    # Erik rewrites the description and goes straight for "generate", never "save".
    edited = "Samverket i Östersund erbjuder coworking för 40 personer."
    response = client.post(
        f"/cases/{case.number}/memo",
        data=_form(_version(make, case), description=edited, action="generate"),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case.number}")
    assert get_memo(make.fresh(), case).description == edited
    (item,) = _generated_files(make, case)
    paragraphs = [
        p.text for p in Docx(io.BytesIO(make.store.path_for(item.sha256).read_bytes())).paragraphs
    ]
    assert edited in paragraphs
    actions = [e.action for e in events_for_case(make.session, case.id)]
    assert actions.count("memo.generate") == 1
    assert actions.index("memo.generate") > max(
        i for i, a in enumerate(actions) if a.startswith("memo.save")
    )


def test_a_stale_form_generates_nothing_and_keeps_the_users_text(make, client, login, coworking):
    case, erik, _hans = coworking
    login(erik)
    stale_version = _version(make, case)
    client.post(f"/cases/{case.number}/memo", data=_form(stale_version))
    typed = "Text som Erik skrev i en gammal flik."
    response = client.post(
        f"/cases/{case.number}/memo",
        data=_form(stale_version, description=typed, action="generate"),
    )
    assert response.status_code == 409
    page = text(response)
    assert "ändrats av någon annan" in page and typed in page
    assert _generated_files(make, case) == []
    assert get_memo(make.session, case).description == "Bakgrund."


def test_an_invalid_form_generates_nothing_and_says_why(make, client, login, coworking):
    case, erik, _hans = coworking
    login(erik)
    typed = "Beskrivning utan rubrik."
    response = client.post(
        f"/cases/{case.number}/memo",
        data=_form(_version(make, case), title="", description=typed, action="generate"),
    )
    assert response.status_code == 422
    assert typed in text(response)
    assert _generated_files(make, case) == []
    assert get_memo(make.fresh(), case) is None


def test_the_memo_form_has_no_button_that_leaves_without_saving(make, client, login, coworking):
    case, erik, _hans = coworking
    login(erik)
    page = text(client.get(f"/cases/{case.number}/memo"))
    # "Generate" is a button of the memo form itself, posting what is typed to be saved.
    assert f"/cases/{case.number}/memo/generate" not in page
    assert 'name="action" value="generate"' in page

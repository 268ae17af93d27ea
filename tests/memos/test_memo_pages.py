"""The official drafts in the browser's forms; the manager reviews from the queue."""

import io

from docx import Document as Docx
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.memos.services import get_memo


def text(response):
    return response.get_data(as_text=True)


def _form(case_version, **extra):
    data = {
        "version": str(case_version),
        "memo_date": "2021-11-03",
        "title": "Projekt Test av coworking",
        "unit": "Näringsliv",
        "officer_name": "Erik Noaksson",
        "decision_body": "Regionstyrelsen",
        "proposer": "Regiondirektören",
        "description": "Bakgrund.",
        "points-0": "Första punkten.",
        "points-1": "Andra punkten.",
        "signatories-0-name": "Hans Svensson",
        "signatories-0-title": "Regiondirektör",
        "recipients-0-organisation": "Vinnova",
        "recipients-0-email": "registrator@vinnova.se",
        "action": "save",
    }
    data.update(extra)
    return data


def _version(make, case):
    return make.fresh().get(Case, case.id).version


def test_the_official_drafts_reorders_and_removes_points(make, client, login, coworking):
    case, erik, _hans = coworking
    login(erik)
    assert client.get(f"/cases/{case.number}/memo").status_code == 200
    saved = client.post(f"/cases/{case.number}/memo", data=_form(_version(make, case)))
    assert saved.status_code == 302
    make.fresh()
    memo = get_memo(make.session, case)
    assert [p.text for p in memo.points] == ["Första punkten.", "Andra punkten."]
    # Move the second point up; every button press saves the draft too.
    client.post(
        f"/cases/{case.number}/memo",
        data=_form(_version(make, case), action="up-point-1", title="Ny rubrik"),
    )
    make.fresh()
    memo = get_memo(make.session, case)
    assert [p.text for p in memo.points] == ["Andra punkten.", "Första punkten."]
    assert memo.title == "Ny rubrik"
    client.post(
        f"/cases/{case.number}/memo",
        data=_form(
            _version(make, case),
            action="remove-point-0",
            **{"points-0": "Andra punkten.", "points-1": "Första punkten."},
        ),
    )
    make.fresh()
    assert [p.text for p in get_memo(make.session, case).points] == ["Första punkten."]
    added = client.post(
        f"/cases/{case.number}/memo", data=_form(_version(make, case), action="add-point")
    )
    assert "add=point" in added.headers["Location"]
    page = text(client.get(added.headers["Location"]))
    assert page.count('name="points-') == 3  # two saved points and a new empty one


def test_a_stale_memo_form_is_refused_and_says_so(make, client, login, coworking):
    case, erik, _hans = coworking
    login(erik)
    stale_version = _version(make, case)
    client.post(f"/cases/{case.number}/memo", data=_form(stale_version))
    again = client.post(f"/cases/{case.number}/memo", data=_form(stale_version, title="Annan"))
    assert again.status_code == 409 and "ändrats av någon annan" in text(again)


def test_generate_submit_approve_through_the_pages(make, client, login, coworking, app):
    case, erik, hans = coworking
    login(erik)
    client.post(f"/cases/{case.number}/memo", data=_form(_version(make, case)))
    generated = client.post(f"/cases/{case.number}/memo/generate")
    assert generated.status_code == 302
    page = text(client.get(f"/cases/{case.number}"))
    assert "Tjänsteskrivelse RS-1-2021.docx" in page
    client.post(f"/cases/{case.number}/transition", data={"action": "submit"})
    make.fresh()
    assert make.session.get(Case, case.id).status == "in_review"
    # The memo is locked while in review.
    assert client.get(f"/cases/{case.number}/memo").status_code == 403
    client.post("/logout")
    login(hans)
    queue = text(client.get("/review"))
    assert case.number in queue
    client.post(f"/cases/{case.number}/transition", data={"action": "return", "comment": ""})
    make.fresh()
    assert make.session.get(Case, case.id).status == "in_review"  # a comment is required
    client.post(f"/cases/{case.number}/transition", data={"action": "approve"})
    make.fresh()
    assert make.session.get(Case, case.id).status == "approved"
    page = text(client.get(f"/cases/{case.number}"))
    assert "Godkänt" in page and "Skickat för granskning" in page
    assert case.number not in text(client.get("/review"))


def test_the_review_queue_lists_the_oldest_submission_first(make, client, login):
    hans = make.user("manager")
    erik = make.user("official")
    from caseflow.cases.workflow import apply_transition
    from caseflow.memos.services import save_memo
    from tests.memos.conftest import memo_of_rs720

    numbers = []
    for title in ("Först inskickat", "Sedan inskickat"):
        case = make.session.merge(make.case(title, officer=erik))
        save_memo(make.session, case, memo_of_rs720(), expected_version=case.version, user=erik)
        with make.app.app_context():
            apply_transition(make.session, case, "submit", user=erik)
        make.session.commit()
        numbers.append(case.number)
    login(hans)
    queue = text(client.get("/review"))
    assert queue.index(numbers[0]) < queue.index(numbers[1])


def test_an_admin_uploads_previews_and_activates_a_template(make, client, login):
    login(make.user("admin"))
    doc = Docx()
    for line in (
        "Ny mall {{ case_number }}: {{ title }}",
        "{%p for p in proposal %}",
        "{{ p.number }}) {{ p.text }}",
        "{%p endfor %}",
    ):
        doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    buffer.seek(0)
    response = client.post(
        "/admin/templates/memo/upload",
        data={"file": (buffer, "ny-mall.docx"), "note": "Kortare"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    page = text(client.get("/admin/templates/"))
    assert "ny-mall.docx" in page and "Kortare" in page
    from caseflow.doctemplates.models import DocumentTemplate

    new = make.session.exec(select(DocumentTemplate).where(DocumentTemplate.version == 2)).one()
    with client.get(f"/admin/templates/{new.id}/preview") as preview:
        rendered = "\n".join(p.text for p in Docx(io.BytesIO(preview.data)).paragraphs)
    assert "Ny mall RS/720/2021" in rendered and "1) Region Jämtland Härjedalen" in rendered
    client.post(f"/admin/templates/{new.id}/activate")
    make.fresh()
    assert make.session.get(DocumentTemplate, new.id).is_active

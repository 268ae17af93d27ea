"""The memo as data and as a .docx: read back with python-docx and checked word for word."""

import io

import pytest
from docx import Document as Docx
from sqlmodel import select

from caseflow.common.errors import ConflictError, ValidationError
from caseflow.doctemplates import services as templates
from caseflow.doctemplates.models import DocumentTemplate
from caseflow.doctemplates.render import TemplateError, render_docx
from caseflow.documents.models import Document, DocumentFile
from caseflow.memos.services import generate_memo, get_memo, memo_data, save_memo
from tests.memos.conftest import memo_of_rs720


def docx_text(content: bytes) -> str:
    doc = Docx(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def _generate(make, app, case, user):
    with app.app_context():
        item = generate_memo(make.session, make.store, make.session.merge(case), user=user)
        make.session.commit()
    return item, make.store.path_for(item.sha256).read_bytes()


def test_the_generated_memo_reads_like_the_seed(make, app, drafted):
    case, erik, _hans = drafted
    item, content = _generate(make, app, case, erik)
    text = docx_text(content)
    for expected in (
        "Region Jämtland Härjedalen",
        "TJÄNSTESKRIVELSE",
        "2021-11-03",
        "Näringsliv",
        "Erik Noaksson",
        "Tfn: 063146562",
        "E-post: erik.noaksson@regionjh.se",
        "Dnr RS/1/2021",
        "Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
        "Ärendebeskrivning",
        "Regiondirektörens förslag",
        "1. Region Jämtland Härjedalen avsätter arbetstid motsvarande 134 100 kronor",
        "2. Regiondirektören får i uppdrag att ansöka om finansiering från Vinnova.",
        "I tjänsten",
        "Hans Svensson\nRegiondirektör",
        "Anders Byström\nVerksamhetsområde/Ledningsstab",
        "Utdrag till",
        "Vinnova",
        "Näringsliv, Erik Noaksson",
    ):
        assert expected in text, expected
    assert "{{" not in text and "{%" not in text


def test_special_characters_and_newlines_come_out_right(make, app, drafted):
    case, erik, _hans = drafted
    _item, content = _generate(make, app, case, erik)
    paragraphs = [p.text for p in Docx(io.BytesIO(content)).paragraphs]
    assert (
        "Region Jämtland Härjedalen har 2021 antagit en plan för distans- & hybridarbete."
        in paragraphs
    )
    assert "Budget totalt: 536 400 kr <varav Vinnova 75 %>." in paragraphs
    assert "medlemskap (180 000 kr)" in paragraphs  # "- " lines become a list
    bullets = [p for p in Docx(io.BytesIO(content)).paragraphs if p.text.startswith("medlemskap")]
    assert bullets[0].style.name == "List Bullet"
    assert not any("\r" in p for p in paragraphs)
    assert any("”Test av coworking" in p for p in paragraphs)


def test_template_syntax_typed_by_an_official_prints_literally(make, app, coworking):
    case, erik, _hans = coworking
    case = make.session.merge(case)
    save_memo(
        make.session,
        case,
        memo_of_rs720(
            title='{{ 7*7 }} och "citat"',
            points=["{% for x in range(3) %}x{% endfor %}"],
            description="{{ config }} {{ ''.__class__ }}",
        ),
        expected_version=case.version,
        user=erik,
    )
    make.session.commit()
    _item, content = _generate(make, app, case, erik)
    text = docx_text(content)
    assert '{{ 7*7 }} och "citat"' in text and "49 och" not in text
    assert "1. {% for x in range(3) %}x{% endfor %}" in text
    assert "{{ config }} {{ ''.__class__ }}" in text


def test_regenerating_makes_a_new_version_and_keeps_the_old(make, app, drafted):
    case, erik, _hans = drafted
    first, first_bytes = _generate(make, app, case, erik)
    case = make.session.merge(case)
    save_memo(
        make.session,
        case,
        memo_of_rs720(points=["Endast en punkt."]),
        expected_version=case.version,
        user=erik,
    )
    make.session.commit()
    second, second_bytes = _generate(make, app, case, erik)
    assert (first.document_id, first.file_version) == (second.document_id, 1)
    assert second.file_version == 2
    assert "1. Endast en punkt." in docx_text(second_bytes)
    assert "2. Regiondirektören" in docx_text(make.store.path_for(first.sha256).read_bytes())
    (doc,) = make.session.exec(select(Document).where(Document.kind == "Tjänsteskrivelse")).all()
    assert doc.direction == "internal" and doc.case_id == case.id


def test_the_memo_keeps_the_template_version_it_was_made_with(make, app, drafted):
    case, erik, _hans = drafted
    old, _ = _generate(make, app, case, erik)
    admin = make.user("admin")
    with app.app_context():
        new_version = templates.upload_template(
            make.session,
            make.store,
            "memo",
            filename="ny.docx",
            content=_template_docx(
                "NY MALL {{ case_number }} {{ title }}",
                "{%p for p in proposal %}",
                "{{ p.text }}",
                "{%p endfor %}",
            ),
            user=admin,
        )
        templates.activate(make.session, new_version, user=admin)
        make.session.commit()
    new, content = _generate(make, app, case, erik)
    assert "NY MALL RS/1/2021" in docx_text(content)
    old = make.session.get(DocumentFile, old.id)
    assert make.session.get(DocumentTemplate, old.template_id).version == 1
    assert make.session.get(DocumentTemplate, new.template_id).version == 2


def _template_docx(*paragraphs: str) -> bytes:
    doc = Docx()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ case_number.__class__.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    ],
)
def test_an_ssti_payload_in_an_uploaded_template_is_refused(make, app, payload):
    admin = make.user("admin")
    content = _template_docx(
        "{{ case_number }} {{ title }}",
        "{%p for p in proposal %}",
        "{{ p.text }}",
        "{%p endfor %}",
        payload,
    )
    with app.app_context(), pytest.raises(ValidationError, match="otillåtet"):
        templates.upload_template(
            make.session, make.store, "memo", filename="ond.docx", content=content, user=admin
        )


def test_rendering_refuses_unsafe_access_even_without_validation():
    content = _template_docx("{{ title.__class__.__mro__ }}")
    with pytest.raises(TemplateError, match="not allowed|unknown variable"):
        render_docx(content, {"title": "x"})


def test_rendering_refuses_objects_that_are_not_plain_data(make, drafted):
    case, _erik, _hans = drafted
    with pytest.raises(TypeError, match="not plain data"):
        render_docx(_template_docx("{{ case }}"), {"case": case})
    with pytest.raises(TypeError, match="not plain data"):
        render_docx(_template_docx("{{ f }}"), {"f": print})


def test_upload_lists_unknown_and_missing_variables(make, app):
    admin = make.user("admin")
    content = _template_docx("{{ case_number }} {{ diarienr }} {{ handläggare_namn }}")
    with app.app_context(), pytest.raises(ValidationError) as error:
        templates.upload_template(
            make.session, make.store, "memo", filename="fel.docx", content=content, user=admin
        )
    message = str(error.value)
    assert "okända variabler: diarienr" in message
    assert "saknas: proposal, title" in message


def test_upload_refuses_what_is_not_a_docx(make, app):
    admin = make.user("admin")
    with app.app_context(), pytest.raises(ValidationError, match="Word-dokument"):
        templates.upload_template(
            make.session,
            make.store,
            "memo",
            filename="mall.docx",
            content=b"PK\x03\x04 broken",
            user=admin,
        )


def test_an_uploaded_version_is_inactive_until_previewed_and_activated(make, app):
    admin = make.user("admin")
    with app.app_context():
        version = templates.upload_template(
            make.session,
            make.store,
            "memo",
            filename="v2.docx",
            user=admin,
            content=_template_docx(
                "V2 {{ case_number }} {{ title }}",
                "{%p for p in proposal %}",
                "{{ p.text }}",
                "{%p endfor %}",
            ),
        )
        assert version.version == 2 and not version.is_active
        assert templates.active_template(make.session, make.store, "memo").version == 1
        preview = docx_text(templates.preview(make.store, version))
        assert "V2 RS/720/2021 Projekt Test av coworking" in preview


def test_the_memo_is_saved_with_the_cases_optimistic_lock(make, coworking):
    case, erik, _hans = coworking
    case = make.session.merge(case)
    opened_at = case.version
    save_memo(make.session, case, memo_of_rs720(), expected_version=opened_at, user=erik)
    make.session.commit()
    with pytest.raises(ConflictError, match="Someone else has changed"):
        save_memo(
            make.session,
            case,
            memo_of_rs720(title="Gammal flik"),
            expected_version=opened_at,
            user=erik,
        )
    make.session.rollback()
    assert get_memo(make.session, case).title.startswith("Projekt Test")


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": " "}, "needs a title"),
        ({"recipients": [(None, None, None)]}, "name, organisation or e-mail"),
        ({"recipients": [("Vinnova", None, "inte-en-adress")]}, "not a valid e-mail address"),
        ({"signatories": [("", "Regiondirektör")]}, "needs a name"),
        ({"support_ids": [999]}, "documents in the case"),
    ],
)
def test_memo_validation(make, coworking, changes, message):
    case, erik, _hans = coworking
    case = make.session.merge(case)
    with pytest.raises(ValidationError, match=message):
        save_memo(
            make.session, case, memo_of_rs720(**changes), expected_version=case.version, user=erik
        )


def test_a_new_memo_is_prefilled_from_the_case(make, coworking, app):
    case, _erik, _hans = coworking
    with app.app_context():
        data = memo_data(make.session, make.session.merge(case))
    assert data.title == case.title and data.officer_name == "Erik Noaksson"
    assert data.unit == "Näringsliv" and data.decision_body == "Regionstyrelsen"
    assert data.proposer == "Regiondirektören"

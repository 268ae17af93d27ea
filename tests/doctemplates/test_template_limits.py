"""A hostile or broken template is refused with a message, never a 500 or a busy worker.

Each file is made here: python-docx for the document, the zip module for the bomb.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document as Docx

from caseflow.common.errors import ValidationError
from caseflow.doctemplates import services as templates
from caseflow.doctemplates.isolated import render_isolated
from caseflow.doctemplates.limits import Limits
from caseflow.doctemplates.render import TemplateError, render_docx

#: What every memo template must use; the hostile part comes after it.
VALID = [
    "{{ case_number }} {{ title }}",
    "{%p for p in proposal %}",
    "{{ p.text }}",
    "{%p endfor %}",
]


def docx(*paragraphs: str) -> bytes:
    doc = Docx()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def with_member(content: bytes, name: str, data: bytes) -> bytes:
    """``content`` with one more file in its zip package, deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def refusal(make, app, content: bytes) -> str:
    admin = make.user("admin")
    with app.app_context(), pytest.raises(ValidationError) as error:
        templates.upload_template(
            make.session, make.store, "memo", filename="ond.docx", content=content, user=admin
        )
    make.session.rollback()
    return str(error.value)


def test_a_zip_bomb_is_refused_by_its_unpacked_size(make, app):
    bomb = with_member(docx(*VALID), "word/media/image1.png", bytes(40 * 1024 * 1024))
    assert len(bomb) < 200 * 1024  # 40 MB of zeros pack into a few dozen kilobytes
    assert "packas upp till mer än 30 MB" in refusal(make, app, bomb)


def test_a_file_that_grows_a_thousandfold_is_refused(make, app):
    bomb = with_member(docx(*VALID), "word/media/image1.png", bytes(5 * 1024 * 1024))
    assert "zip-bomb" in refusal(make, app, bomb)


def test_too_many_paragraphs_are_refused(make, app):
    app.config["TEMPLATE_MAX_PARAGRAPHS"] = 200
    message = refusal(make, app, docx(*VALID, *(["Stycke"] * 250)))
    assert "254 stycken" in message and "högst 200" in message


@pytest.mark.parametrize(
    "tag, payload",
    [
        ("include", "{% include 'memo.docx' %}"),
        ("import", "{% import 'macros.html' as m %}"),
        ("from … import", "{% from 'macros.html' import x %}"),
        ("extends", "{% extends 'base.html' %}"),
        ("macro", "{% macro x() %}y{% endmacro %}"),
        ("call", "{% call x() %}y{% endcall %}"),
    ],
)
def test_a_template_may_not_load_or_define_others(make, app, tag, payload):
    message = refusal(make, app, docx(*VALID, payload))
    assert f"{{% {tag} %}}" in message and "mallar inte får" in message


@pytest.mark.parametrize(
    "payload, words",
    [
        ("{% for i in range(1000000) %}x{% endfor %}", "fler än 1000"),
        ("{{ range(10**6)|list|length }}", "fler än 1000"),
        ("{{ 'x' * 10**9 }}", "längre än"),
        ("{{ ['x' * 100000] * 1000 }}", "längre än"),
        ("{{ 'x'|center(10**9) }}", "längre än"),
        ("{{ 'x'.center(10**9) }}", "längre än"),
        ("{{ 'x'.ljust(10**9) }}", "längre än"),
        ("{{ ('x' * 100000).replace('', 'y' * 100000) }}", "längre än"),
        ("{{ ('x' * 100000)|replace('', 'y' * 100000) }}", "längre än"),
        ("{{ ('y' * 100000).join(['a'] * 1000) }}", "längre än"),
        ("{{ (['a'] * 1000)|join('y' * 100000) }}", "längre än"),
        ("{{ '%999999999s' % 'x' }}", "längre än"),
        ("{{ '%999999999s'|format('x') }}", "längre än"),
        ("{{ '{:>999999999}'.format('x') }}", "längre än"),
        ("{% set a = 'x' * 150000 %}{% set b = a ~ a %}{{ b }}", "längre än"),
        ("{% set a = 'x' * 150000 %}{{ a + a }}", "längre än"),
        ("{{ 2 ** 100000000 }}", "för stort"),
        ("{{ (range(1000)|list)|batch(10**9, 'x')|list }}", "längre än"),
    ],
)
def test_a_template_cannot_make_huge_things(make, app, payload, words):
    assert words in refusal(make, app, docx(*VALID, payload))


# A billion steps would take hours: the timeout fails the test if the limit does not hold.
# The limit counts CPU time, so a busy machine may take longer on the clock.
@pytest.mark.timeout(60)
def test_a_template_that_works_too_long_is_stopped_in_time(make, app):
    app.config["TEMPLATE_RENDER_SECONDS"] = 1
    slow = (
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
        "{{ c|string|length }}{% endfor %}{% endfor %}{% endfor %}"
    )
    message = refusal(make, app, docx(*VALID, slow))
    assert "tog längre tid än 1 s" in message or "mer minne" in message


def test_the_output_has_a_ceiling(make, app):
    app.config["TEMPLATE_MAX_OUTPUT_BYTES"] = 1024 * 1024
    big = "{% for i in range(1000) %}{{ 'x' * 5000 }}{% endfor %}"
    assert "större än 1 MB" in refusal(make, app, docx(*VALID, big))


def test_the_child_process_has_a_memory_ceiling():
    limits = Limits(render_memory_bytes=24 * 1024 * 1024)  # too little even to start
    with pytest.raises(TemplateError) as error:
        render_isolated(docx(*VALID), {"case_number": "RS/1/2021"}, limits)
    assert error.value.kind == "too_large"


def test_documents_from_accepted_templates_are_bounded_too():
    """A template stored before these limits (or planted) meets them in the worker too."""
    with pytest.raises(TemplateError) as error:
        render_docx(docx("{{ 'x' * 10**9 }}"), {})
    assert error.value.kind == "text"
    with pytest.raises(TemplateError) as error:
        render_docx(docx("{% include 'x' %}"), {})
    assert error.value.kind == "forbidden_tag"


def test_an_upload_through_the_page_is_refused_with_a_message(make, client, login):
    login(make.user("admin"))
    bomb = with_member(docx(*VALID), "word/media/image1.png", bytes(40 * 1024 * 1024))
    for content, words in (
        (bomb, "packas upp till mer än"),
        (docx(*VALID, "{% include 'x' %}"), "{% include %}"),
        (docx(*VALID, "{{ 'x' * 10**9 }}"), "längre än 200000 tecken"),
    ):
        response = client.post(
            "/admin/templates/memo/upload",
            data={"file": (io.BytesIO(content), "ond.docx")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 303
        page = client.get("/admin/templates/").get_data(as_text=True)
        assert "ond.docx" not in page
        assert 'class="flash flash-error"' in page and words in page


def test_an_ordinary_template_still_passes_and_renders(make, app):
    admin = make.user("admin")
    with app.app_context():
        version = templates.upload_template(
            make.session, make.store, "memo", filename="ok.docx", content=docx(*VALID), user=admin
        )
        content = templates.preview(make.store, version)
    assert "RS/720/2021" in "\n".join(p.text for p in Docx(io.BytesIO(content)).paragraphs)


def test_the_render_clock_counts_the_templates_work_not_the_garbage_collector():
    """A collection walks the whole process's heap (a long-lived worker's, every earlier
    test's): it is not the template's time. Work of its own still stops it."""
    import gc
    import time

    from caseflow.doctemplates.guard import GuardedSandbox
    from caseflow.doctemplates.limits import LimitExceeded

    heap = [{"n": [i]} for i in range(1_500_000)]  # made before the clock starts
    env = GuardedSandbox(Limits(render_seconds=0.05))
    started = time.thread_time()
    gc.collect()
    assert time.thread_time() - started > 0.05  # the collection alone outlasts the limit
    env.tick()  # not stopped
    busy_until = time.thread_time() + 0.1
    while time.thread_time() < busy_until:
        pass
    with pytest.raises(LimitExceeded):
        env.tick()
    del heap

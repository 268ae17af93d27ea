"""The material of a request for documents: case RS/720/2021 with Erik Noaksson as its
officer, a public application and a secret business plan, and a real SMTP server."""

from __future__ import annotations

import io
import re

import pytest

from caseflow.cases.numbering import raise_counter_to
from tests.meetings.conftest import Mailbox


def pdf_of(pages: int) -> bytes:
    """A real PDF with ``pages`` blank pages."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def smtp(app):
    """The authority's mail relay: a real SMTP server on loopback that keeps what it gets."""
    mailbox = Mailbox()
    port = mailbox.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield mailbox
    mailbox.stop()


@pytest.fixture
def rs720(make):
    """RS/720/2021, Erik Noaksson's case, with the application (3 pages, public) and the
    business plan (secret under OSL 31 kap. 16 §, its title too)."""
    erik = make.user("official", name="Erik Noaksson", email="erik.noaksson@regionjh.se")
    registrar = make.user("registrar", name="Rita Registrator", email="rita@regionjh.se")
    series = make.session.merge(make.series("RS"))
    raise_counter_to(make.session, series, 2021, 719)  # the seed's number: RS/720/2021
    make.session.commit()
    case = make.case(
        "Projekt Test av coworking och hybridarbete inom Samverket i Östersund", officer=erik
    )
    application = make.document(
        case,
        title="Ansökan om medfinansiering",
        counterpart="Samverket i Östersund AB",
        files=[("Ansokan.pdf", pdf_of(3))],
    )
    plan = make.document(
        case,
        title="Affärsplan HEMLIGTITELMARKÖR",
        counterpart="Samverket i Östersund AB",
        is_secret=True,
        title_is_secret=True,
        secrecy_provision="OSL 31 kap. 16 §",
        files=[("Affarsplan.pdf", pdf_of(12))],
    )

    class Material:
        pass

    assert case.number == "RS/720/2021"
    material = Material()
    material.case, material.erik, material.registrar = case, erik, registrar
    material.application, material.plan = application, plan
    return material


def form_token_of(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def ask(client, *, case=None, document=None, **fields):
    """An anonymous visitor opens the form (from the link on a case's page) and sends it."""
    query = {k: v for k, v in (("case", case), ("document", document)) if v is not None}
    page = client.get("/diarium/begaran/ny", query_string=query)
    assert page.status_code == 200
    data = {"form_token": form_token_of(page.get_data(as_text=True)), "delivery": "email"}
    data.update(fields)
    return client.post("/diarium/begaran/ny", query_string=query, data=data)


def private_link(html: str) -> str:
    return re.search(r'href="http://localhost(/diarium/begaran/[A-Za-z0-9_-]{20,})"', html).group(1)


def decide(client, found, item, **fields):
    """The reviewer's decision on one document asked for, sent from the request's page
    (each document's form has its fields named after it)."""
    data = {f"item{item.id}-{name}": value for name, value in fields.items()}
    return client.post(
        f"/begaran/{found.number}/items/{item.id}", data=data, content_type="multipart/form-data"
    )

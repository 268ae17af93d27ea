"""Mail intake and the register: a known sender is recognised by the address (or the
organisation by its domain), an unknown one is proposed the way a registrar writes it,
and the registrar accepts, edits or picks another party when filing."""

from __future__ import annotations

import pytest
from sqlmodel import select

from caseflow.documents.models import Document
from caseflow.parties.models import Party
from caseflow.parties.names import person_name
from tests.mail.test_queue import FORWARD, page, register


@pytest.mark.parametrize(
    ("display", "address", "name"),
    [
        ("Löfgren Susanna", "susanna.lofgren@lansstyrelsen.se", "Susanna Löfgren"),
        ("Löfgren, Susanna", "susanna.lofgren@lansstyrelsen.se", "Susanna Löfgren"),
        ('"Susanna Löfgren"', "susanna.lofgren@lansstyrelsen.se", "Susanna Löfgren"),
        ("Susanna Löfgren", "susanna.lofgren@lansstyrelsen.se", "Susanna Löfgren"),
        (None, "erik.noaksson@regionjh.se", "Erik Noaksson"),
        ("info@vinnova.se", "info@vinnova.se", None),
    ],
)
def test_a_senders_name_is_written_first_name_first(display, address, name):
    assert person_name(display, address) == name


@pytest.fixture
def registrar(make, login):
    user = make.user("registrar", name="Rut Registrator")
    login(user)
    return user


def test_an_unknown_writer_at_a_known_authority_is_proposed_as_a_registrar_writes_it(
    make, client, registrar
):
    lst = make.party(
        "Länsstyrelsen Jämtlands län", kind="organisation", domains=["lansstyrelsen.se"]
    )
    mail = make.mail(FORWARD)  # forwarded by a colleague: the original sender counts
    shown = page(client, f"/mail/{mail.id}")
    assert 'value="Susanna Löfgren, Länsstyrelsen Jämtlands län"' in shown
    assert "&lt;susanna.lofgren" not in shown.split("Registrering")[-1].split("</fieldset>")[0]

    response = register(
        client,
        mail,
        action="loose",
        counterpart="Susanna Löfgren, Länsstyrelsen Jämtlands län",
        party_choice="new",
        counterpart_name="Susanna Löfgren",
        counterpart_organisation="Länsstyrelsen Jämtlands län",
    )
    assert response.status_code == 302
    session = make.fresh()
    susanna = session.exec(select(Party).where(Party.kind == "person")).one()
    assert (susanna.name, susanna.email) == ("Susanna Löfgren", "susanna.lofgren@lansstyrelsen.se")
    assert susanna.organisation_id == lst.id  # the authority already in the register
    doc = session.exec(select(Document)).one()
    assert doc.party_id == susanna.id
    assert doc.counterpart == "Susanna Löfgren, Länsstyrelsen Jämtlands län"


def test_a_known_sender_is_filed_with_their_party(make):
    make.case("Projekt Test av coworking")  # RS/1/2021
    vinnova = make.party("Anna Ek", kind="person", email="anna.ek@vinnova.se")
    raw = (
        b"From: Anna Ek <Anna.Ek@VINNOVA.se>\nTo: platina@regionjh.se\n"
        b"Subject: SV: RS/1/2021 komplettering\nDate: Mon, 22 Nov 2021 10:00:00 +0100\n"
        b"Message-ID: <known@vinnova.se>\nContent-Type: text/plain; charset=utf-8\n\nHej.\n"
    )
    mail = make.mail(raw)
    assert mail.status == "filed"
    doc = make.session.get(Document, mail.document_id)
    assert doc.party_id == vinnova.id and doc.counterpart == "Anna Ek"


def test_the_registrar_picks_another_party(make, client, registrar):
    other = make.party("Myndighetsnätverket", kind="organisation")
    mail = make.mail(FORWARD)
    response = register(client, mail, action="loose", party_choice="new", other_party_id=other.id)
    assert response.status_code == 302
    doc = make.fresh().exec(select(Document)).one()
    assert doc.party_id == other.id
    assert make.session.exec(select(Party)).all() == [other]  # no new party was made


def test_the_registrar_may_leave_the_sender_out_of_the_register(make, client, registrar):
    mail = make.mail(FORWARD)
    assert register(client, mail, action="loose", party_choice="none").status_code == 302
    assert make.fresh().exec(select(Document)).one().party_id is None
    assert make.session.exec(select(Party)).all() == []


def test_matching_a_sender_is_an_indexed_lookup(make, app):
    from caseflow.parties.services import _BY_DOMAIN, _BY_EMAIL

    engine = app.extensions["caseflow.engine"]
    if engine.dialect.name != "sqlite":
        pytest.skip("the plan is read from SQLite's EXPLAIN QUERY PLAN")
    with engine.connect() as conn:
        for stmt, params in ((_BY_EMAIL, {"email": "a@b.se"}), (_BY_DOMAIN, {"domain": "b.se"})):
            sql = str(stmt.params(**params).compile(engine, compile_kwargs={"literal_binds": True}))
            plan = [row[-1] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
            assert any("USING" in step and "INDEX" in step for step in plan), plan
            assert not any(step.startswith("SCAN") for step in plan), plan

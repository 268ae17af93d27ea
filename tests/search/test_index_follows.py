"""The index follows every change in the same transaction: a correction, a renamed party,
a void, a move, a file's extracted text, a mail filed from the queue — and a full rebuild
gives the same entries."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from caseflow.cases.services import update_case
from caseflow.documents.corrections import move_document
from caseflow.documents.services import void_document
from caseflow.mail.filing import Registration
from caseflow.mail.models import MailMessage
from caseflow.mail.queue import file_into_case
from caseflow.parties.services import update_party
from caseflow.search.models import FileText, SearchEntry
from caseflow.search.sync import reindex

INVITATION = """\
From: Susanna Lofgren <susanna.lofgren@lansstyrelsen.se>
To: FBL Platina RS <platina@regionjh.se>
Subject: Inbjudan till Myndighetsnätverket
Date: Wed, 17 Mar 2021 18:20:00 +0100
Message-ID: <inbjudan-search@lansstyrelsen.se>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Hej! Här kommer en inbjudan att ingå i nätverket.
""".encode()


def test_a_corrected_title_is_found_by_its_new_words_only(make, app, find):
    case = make.case("Ansökan om medel")
    registrar = make.user("registrar")
    with app.app_context():
        case = make.session.merge(case)
        update_case(
            make.session, case, expected_version=case.version, reason="Stavfel",
            title="Ansökan om bidrag till vägföreningar",
        )  # fmt: skip
        make.session.commit()
    assert find(registrar, "vägförening") == {("case", case.number)}
    assert find(registrar, "medel") == set()


def test_a_renamed_party_finds_its_cases(make, app, find):
    party = make.party("Samverket i Östersund AB")
    case = make.case(parties=[{"organisation": party.name, "party_id": party.id}])
    registrar = make.user("registrar")
    with app.app_context():
        update_party(make.session, make.session.merge(party), name="Coworkinghuset Jämtland AB")
        make.session.commit()
    assert find(registrar, "coworkinghuset") == {("case", case.number)}


def test_a_voided_document_stays_found_and_marked(make, app, find):
    case = make.case()
    doc = make.document(case, title="Felregistrerad faktura")
    registrar = make.user("registrar")
    with app.app_context():
        void_document(make.session, make.session.merge(doc), reason="Dubblett", case=case)
        make.session.commit()
    (hit,) = find.results(registrar, "faktura").hits
    assert hit.number == "RS/1/2021-1" and hit.is_voided
    assert find(registrar, "faktura", include_voided=False) == set()


def test_a_moved_document_follows_its_case(make, app, find):
    first, second = make.case("Första ärendet"), make.case("Andra ärendet")
    doc = make.document(first, title="Anbud om snöröjning")
    registrar = make.user("registrar")
    with app.app_context():
        doc = make.session.merge(doc)
        move_document(make.session, doc, make.session.merge(second), "Fel ärende")
        make.session.commit()
    assert find(registrar, "snöröjning") == {("document", "RS/2/2021-1")}
    # The old number still leads to the document.
    results = find.results(registrar, "RS/1/2021-1")
    assert (results.direct.kind, results.direct.number) == ("document", "RS/2/2021-1")


def test_extracted_file_text_makes_a_document_findable(make, find):
    case = make.case()
    doc = make.document(case, title="Bilaga", files=[("bilaga.pdf", b"%PDF-1.4 ...")])
    registrar = make.user("registrar")
    assert find(registrar, "glesbygdsmedicin") == set()
    make.session.merge(
        FileText(sha256=doc.files[0].sha256, status="done", text="Om glesbygdsmedicinen i länet.")
    )
    make.session.commit()
    assert find(registrar, "glesbygdsmedicin") == {("document", "RS/1/2021-1")}


def test_a_queued_mail_is_found_until_it_is_filed(make, app, find):
    case = make.case("Myndighetsnätverket")
    mail = make.mail(INVITATION)
    registrar, official = make.user("registrar"), make.user("official")
    assert find(registrar, "inbjudan", kinds=("message",)) == {("message", None)}
    assert find(official, "inbjudan", kinds=("message",)) == set()  # no mail.queue right
    with app.app_context():
        mail = make.session.get(MailMessage, mail.id)
        file_into_case(
            make.session, make.store, mail, make.session.merge(case),
            Registration(
                title="Inbjudan till Myndighetsnätverket", counterpart="Länsstyrelsen",
                counterpart_email=None, received_on=date(2021, 3, 17),
                document_date=date(2021, 3, 17),
            ),
        )  # fmt: skip
        make.session.commit()
    assert find(registrar, "inbjudan") == {("document", "RS/1/2021-1")}


def test_a_rebuild_gives_the_same_entries_and_resumes(make, app, find):
    case = make.case("Projekt om hybridarbete", parties=[{"organisation": "Vinnova"}])
    make.document(case, title="Ansökan om medfinansiering")
    session = make.fresh()
    before = {
        (e.kind, e.target_id): (e.open_text, e.held_text, e.number)
        for e in session.exec(select(SearchEntry)).all()
    }
    for entry in session.exec(select(SearchEntry)).all():
        session.delete(entry)
    session.commit()
    seen = []
    done = reindex(session, progress=seen.append, batch=1, after_batch=session.commit)
    after = {
        (e.kind, e.target_id): (e.open_text, e.held_text, e.number)
        for e in session.exec(select(SearchEntry)).all()
    }
    assert after == before and done == 2 and sum(seen) == 2
    # A resumed run skips what was indexed since it began.
    stamps = {e.id: e.indexed_at for e in session.exec(select(SearchEntry)).all()}
    since = min(stamps.values())
    reindex(session, since=since, after_batch=session.commit)
    assert {e.id: e.indexed_at for e in make.fresh().exec(select(SearchEntry)).all()} == stamps


def test_a_rolled_back_change_leaves_the_index_as_it_was(make, app, find):
    case = make.case("Ansökan om medel")
    registrar = make.user("registrar")
    with app.app_context():
        session = make.fresh()
        case = session.merge(case)
        update_case(
            session, case, expected_version=case.version, reason="Stavfel", title="Snöskotrar"
        )
        session.flush()  # noted, not yet written: entries are written just before commit
        session.rollback()
        # The next transaction of the same session does not inherit the forgotten change.
        session.commit()
    assert find(registrar, "snöskotrar") == set()
    assert find(registrar, "medel") == {("case", case.number)}


def test_changes_over_several_flushes_are_all_indexed_at_commit(make, app, find):
    from caseflow.cases.services import add_party

    case = make.case("Ansökan om medel")
    registrar = make.user("registrar")
    with app.app_context():
        session = make.fresh()
        case = session.merge(case)
        update_case(
            session, case, expected_version=case.version, reason="Stavfel", title="Broreparation"
        )
        session.flush()
        add_party(session, case, name=None, organisation="Trafikverket", email=None)
        session.flush()
        session.commit()
    assert find(registrar, "broreparation trafikverket") == {("case", case.number)}


def test_a_person_given_protected_identity_vanishes_from_others_search(make, app, find):
    person = make.party("Anna Bergqvist", kind="person", email="anna.bergqvist@example.se")
    case = make.case(
        "Ansökan om färdtjänst",
        parties=[{"name": person.name, "email": person.email, "party_id": person.id}],
    )
    make.document(case, title="Ansökan", counterpart=person.name, party_id=person.id)
    registrar, other = make.user("registrar"), make.user("official")
    both = {("case", "RS/1/2021"), ("document", "RS/1/2021-1")}
    assert find(other, "bergqvist") == both
    with app.app_context():
        person = make.session.merge(person)
        update_party(make.session, person, name=person.name, email=person.email, is_protected=True)
        make.session.commit()
    assert find(other, "bergqvist") == set()
    assert find(registrar, "bergqvist") == both

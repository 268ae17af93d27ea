"""The case list's search and the mail queue's similar titles go through the index: word
forms meet, and secrets stay out."""

from __future__ import annotations

from caseflow.cases.queries import CaseFilter, list_cases
from caseflow.cases.services import void_case
from caseflow.mail.queue import similar_cases


def test_the_case_list_finds_word_forms(make, app):
    make.case("Bidrag till föreningar")
    make.case("Lokalfrågor")
    registrar = make.user("registrar")
    with app.test_request_context():
        found = list_cases(make.fresh(), registrar, CaseFilter(q="Föreningarna")).items
        assert [c.number for c in found] == ["RS/1/2021"]
        # A number still works as before.
        found = list_cases(make.fresh(), registrar, CaseFilter(q="RS 2/2021")).items
        assert [c.number for c in found] == ["RS/2/2021"]


def test_similar_titles_meet_other_forms_of_the_words(make, app):
    make.case("Regional handlingsplan för elektrifiering av transporter")
    make.case("Budget för kollektivtrafiken")
    voided = make.case("Handlingsplanen för elektrifieringen, dubblett")
    make.case(
        "Handlingsplan för elektrifiering hos en enskild",
        title_is_secret=True,
        public_title="Utredning",
        secrecy_provision="OSL 26 kap. 1 §",
    )
    with app.test_request_context():
        session = make.fresh()
        void_case(session, session.merge(voided), reason="Dubblett")
        session.commit()
        subject = "SV: Synpunkter på handlingsplanen för elektrifieringen"
        assert similar_cases(make.fresh(), subject) == ["RS/1/2021"]
        assert similar_cases(make.fresh(), "Kollektivtrafik") == ["RS/2/2021"]
        assert similar_cases(make.fresh(), "Ärende") == []

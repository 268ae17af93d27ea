"""The public audience's rules: identity numbers masked, private persons unnamed,
organisations shown, secret documents "Sekretessmarkerad" — and staff unchanged."""

from __future__ import annotations

import pytest

from caseflow.common import projection
from caseflow.common.projection import Audience
from caseflow.common.publicity import mask_identity_numbers
from tests.public.conftest import IDENTITY_NUMBERS, PRIVATE


@pytest.mark.parametrize("number", IDENTITY_NUMBERS)
def test_every_spelling_of_an_identity_number_is_masked(number):
    masked = mask_identity_numbers(f"Ansökan från {number} om bidrag")
    assert number not in masked and masked.startswith("Ansökan från ")


@pytest.mark.parametrize(
    "text",
    [
        "RS/720/2021",  # a case number
        "Beslut 2021-11-03",  # a date
        "Org.nr 232100-0214 räknas inte",  # an organisationsnummer: month 21 is no month
        "Faktura 123456789012345",  # a longer number
        "Telefon 063-14 75 00",
    ],
)
def test_numbers_that_are_no_identity_numbers_stay(text):
    assert mask_identity_numbers(text) == text


def test_the_public_reads_organisations_and_their_people_but_not_private_persons(app, register):
    case, docs = register["case"], register
    with app.test_request_context("/diarium/"):
        public = Audience.PUBLIC
        assert projection.document_counterpart(docs["from_org"], public, case) == (
            "Karin Handläggare, Vinnova"
        )
        assert projection.document_counterpart(docs["from_private"], public, case) == (
            "Privatperson"
        )
        assert projection.document_counterpart(docs["free_text"], public, case) == "Privatperson"
        assert projection.document_counterpart_email(docs["from_private"], public, case) is None
        parties = projection.case_parties(case, public)
        assert parties == [
            {"name": "Privatperson", "organisation": None, "email": None},
            {"name": None, "organisation": "Vinnova", "email": None},
        ]
        secret = docs["secret_published"]
        assert projection.document_title(secret, public) == "Sekretessmarkerad (OSL 25 kap. 1 §)"
        assert projection.document_counterpart(secret, public, case) == (
            "Sekretessmarkerad (OSL 25 kap. 1 §)"
        )
        assert "811218-9876" not in projection.case_title(case, public)


def test_staff_read_as_before(app, register):
    case, docs = register["case"], register
    with app.test_request_context("/"):
        staff = Audience.STAFF
        assert PRIVATE["private_party"] in projection.document_counterpart(
            docs["from_private"], staff, case
        )
        assert projection.document_title(docs["secret_published"], staff) == "Läkarutlåtande"
        assert "811218-9876" in projection.case_title(case, staff)


def test_private_persons_are_named_when_configured(app, register):
    app.config["PUBLIC_SHOW_PRIVATE_PERSONS"] = True
    case = register["case"]
    with app.test_request_context("/diarium/"):
        counterpart = projection.document_counterpart(register["free_text"], Audience.PUBLIC, case)
        assert PRIVATE["private_sender"] in counterpart
        # Still never an e-mail address.
        assert projection.case_parties(case, Audience.PUBLIC)[0]["email"] is None


def test_free_text_naming_an_organisation_and_the_authoritys_own_documents_are_shown(
    app, make, register
):
    case = register["case"]
    make.party("Länsstyrelsen Jämtlands län")
    by_name = make.document(case, title="Inbjudan", counterpart="Länsstyrelsen Jämtlands län")
    by_writer = make.document(
        case, title="Svar", counterpart="Susanna Löfgren, LÄNSSTYRELSEN JÄMTLANDS LÄN"
    )
    unknown = make.document(case, title="Fråga", counterpart="Susanna Löfgren, Okänd förening")
    memo = make.document(
        case, direction="internal", title="Tjänsteskrivelse", counterpart="Erik Noaksson"
    )
    with app.test_request_context("/diarium/"):
        shown = {
            d.title: projection.document_counterpart(make.session.merge(d), Audience.PUBLIC, case)
            for d in (by_name, by_writer, unknown, memo)
        }
    assert shown == {
        "Inbjudan": "Länsstyrelsen Jämtlands län",
        "Svar": "Susanna Löfgren, LÄNSSTYRELSEN JÄMTLANDS LÄN",
        "Fråga": "Privatperson",  # not an organisation of the register
        "Tjänsteskrivelse": "Erik Noaksson",  # drawn up by the authority's own staff
    }

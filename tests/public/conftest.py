"""A register as the public will see it: an organisation, a person writing for it, private
persons (in the parties register and as free text), personal identity numbers written
every way in titles, and published and unpublished files."""

from __future__ import annotations

import pytest

from caseflow.public.models import PublishedFile

#: Names that must never reach a public page (private persons), and identity numbers in
#: every spelling the masking must catch (personnummer, samordningsnummer: day + 60).
PRIVATE = {
    "private_party": "MRKPRIVPARTY2E1",
    "private_sender": "MRKFREESEND9D4",
    "private_email": "mrkpriv@example.se",
}
IDENTITY_NUMBERS = (
    "811218-9876",
    "19811218-9876",
    "8112189876",
    "198112189876",
    "121212+1212",
    "811278-9876",
    "198112789876",
)


@pytest.fixture
def register(make, app):
    """Two public cases in RS/2021 with what the public may and may not read."""
    app.config["PUBLIC_FILES_FROM"] = {"RS": "2021-01-01"}
    vinnova = make.party("Vinnova")
    writer = make.party("Karin Handläggare", kind="person", organisation_id=vinnova.id)
    private = make.party(
        f"Privat {PRIVATE['private_party']}", kind="person", email=PRIVATE["private_email"]
    )
    case = make.case(
        f"Ansökan om bostadsanpassning för {IDENTITY_NUMBERS[0]}",
        parties=[
            {"name": private.name, "email": private.email, "party_id": private.id},
            {"name": "Vinnova", "organisation": "Vinnova", "party_id": vinnova.id},
        ],
    )
    from_org = make.document(
        case,
        title="Yttrande över ansökan",
        counterpart="Karin Handläggare, Vinnova",
        party_id=writer.id,
        files=[("yttrande.txt", b"Yttrandet i sin helhet.")],
    )
    unpublished = make.document(
        case,
        title="Komplettering",
        counterpart="Vinnova",
        party_id=vinnova.id,
        files=[("komplettering.txt", b"Ej publicerad.")],
    )
    from_private = make.document(
        case,
        title=" ".join(f"Intyg {n}" for n in IDENTITY_NUMBERS[1:]),
        counterpart=f"Privat {PRIVATE['private_party']}",
        counterpart_email=PRIVATE["private_email"],
        party_id=private.id,
    )
    free_text = make.document(
        case, title="Synpunkter", counterpart=f"Fri {PRIVATE['private_sender']}"
    )
    secret_published = make.document(
        case,
        title="Läkarutlåtande",
        counterpart="Vinnova",
        party_id=vinnova.id,
        is_secret=True,
        secrecy_provision="OSL 25 kap. 1 §",
        files=[("utlatande.txt", b"Hemligt innehall.")],
    )
    # Marked published by a row alone: the secrecy must still keep its file in.
    for doc in (from_org, secret_published):
        make.session.add(PublishedFile(document_id=doc.id))
    make.session.commit()
    return {
        "case": make.session.merge(case),
        "from_org": make.session.merge(from_org),
        "unpublished": make.session.merge(unpublished),
        "from_private": make.session.merge(from_private),
        "free_text": make.session.merge(free_text),
        "secret_published": make.session.merge(secret_published),
        "vinnova": vinnova,
    }


def case_url(case) -> str:
    series, seq, year = case.number.split("/")
    return f"/diarium/arende/{series}/{seq}/{year}"

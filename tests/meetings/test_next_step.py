"""The case page says what comes next and who takes it, at every step of the case's path."""

import html
import re
from datetime import date

from caseflow.cases.models import Case
from caseflow.cases.workflow import DISPATCH, apply_transition
from caseflow.meetings import attestation, decisions, services
from caseflow.meetings.delegated_decisions import decide_under_delegation
from caseflow.memos.services import save_memo
from tests.meetings.test_meetings import _meeting
from tests.memos.conftest import memo_of_rs720


def next_step_box(client, case) -> str | None:
    """The text of the "Nästa steg" box on the case page, or None when there is none."""
    page = client.get(f"/cases/{case.number}").get_data(as_text=True)
    found = re.search(r'<section[^>]*class="next-step".*?<p>(.*?)</p>', page, re.S)
    return html.unescape(found.group(1).strip()) if found else None


def _take(make, app, case, action, user, **kwargs):
    with app.app_context():
        apply_transition(make.session, make.session.get(Case, case.id), action, user=user, **kwargs)
    make.session.commit()


def test_the_box_follows_a_case_from_registration_to_closing(make, app, client, login, approved):
    erik, hans = approved.erik, approved.hans
    # The notice board is kept elsewhere: the secretary records the notice by hand.
    app.config["NOTICEBOARD_AUTO_POST"] = False
    login(hans)
    case = make.case("Projekt Test av coworking", officer=erik)
    assert next_step_box(client, case) == "Erik Noaksson påbörjar beredningen."

    _take(make, app, case, "start", erik)
    assert next_step_box(client, case) == (
        "Erik Noaksson skriver tjänsteskrivelsen med beslutsförslagets punkter och skickar "
        "den för granskning, eller beslutar i ärendet på delegation."
    )

    case = make.session.merge(case)
    save_memo(make.session, case, memo_of_rs720(), expected_version=case.version, user=erik)
    make.session.commit()
    _take(make, app, case, "submit", erik)
    assert next_step_box(client, case) == (
        "En chef godkänner förslaget eller skickar tillbaka det med en kommentar."
    )

    _take(make, app, case, "approve", hans)
    assert next_step_box(client, case) == (
        "En chef för upp ärendet på ett sammanträdes föredragningslista."
    )

    meeting = _meeting(make, app, case)  # Regionstyrelsen, 24 November 2021
    assert next_step_box(client, case) == (
        "Regionstyrelsen beslutar i ärendet vid sammanträdet den 2021-11-24."
    )

    with app.app_context():
        services.open_meeting(make.session, meeting, user=hans)
        decisions.record_decision(make.session, meeting.items[0], kind="adopted", user=hans)
    make.session.commit()
    # Justering within 14 days of the meeting (KL 5 kap. 69 §): Wednesday 8 December.
    assert next_step_box(client, case) == (
        "Protokollet justeras (senast 2021-12-08), därefter expedierar en registrator eller "
        "en chef protokollsutdraget."
    )

    with app.app_context():
        attestation.attest(
            make.session,
            meeting,
            attested_on=date(2021, 11, 30),
            attested_by="Anna Ordförande\nBertil Justerare",
            user=hans,
        )
    make.session.commit()
    assert next_step_box(client, case) == (
        "Protokollet är justerat: en registrator eller en chef expedierar protokollsutdraget."
    )

    _take(make, app, case, "dispatch", hans, taken_by=DISPATCH)
    # Laga kraft runs three weeks from the notice of the justering (KL 13 kap. 5 §).
    assert next_step_box(client, case) == (
        "Ärendet avslutas när beslutet har vunnit laga kraft, vilket blir känt när "
        "protokollets justering har anslagits."
    )
    with app.app_context():
        attestation.post_notice(make.session, meeting, posted_on=date(2021, 12, 1), user=hans)
    make.session.commit()
    # Final since Thursday 23 December 2021: nothing remains but closing.
    assert next_step_box(client, case) == (
        "Erik Noaksson, en registrator eller en chef avslutar ärendet när inget återstår."
    )

    _take(make, app, case, "close", erik)
    assert next_step_box(client, case) is None


def test_a_case_without_an_officer_names_the_registrar(make, client, login):
    login(make.user("registrar"))
    case = make.case("Inkommen inbjudan")
    assert next_step_box(client, case) == (
        "En registrator utser en ansvarig handläggare för ärendet."
    )


def test_without_delegation_the_officer_only_submits(make, app, client, login):
    app.config["ALLOW_DELEGATED_DECISIONS"] = False
    erik = make.user("official", name="Erik Noaksson")
    login(erik)
    case = make.case("Projekt Test av coworking", officer=erik)
    _take(make, app, case, "start", erik)
    assert next_step_box(client, case) == (
        "Erik Noaksson skriver tjänsteskrivelsen med beslutsförslagets punkter och skickar "
        "den för granskning."
    )


def test_a_delegated_decision_is_dispatched_without_a_protocol(make, app, client, login):
    erik = make.user("official", name="Erik Noaksson")
    login(erik)
    case = make.case("Bidrag till föreningen", officer=erik)
    _take(make, app, case, "start", erik)
    case = make.session.merge(case)
    save_memo(make.session, case, memo_of_rs720(), expected_version=case.version, user=erik)
    make.session.commit()
    delegation = make.session.merge(make.delegation(make.organ("Regionstyrelsen")))
    with app.app_context():
        decide_under_delegation(
            make.session,
            make.store,
            make.session.get(Case, case.id),
            delegation=delegation,
            points=["Föreningen får 20 000 kronor."],
            decided_on=date(2021, 11, 10),
            decided_by_name="Erik Noaksson",
            user=erik,
            with_pdf=False,
        )
    make.session.commit()
    assert next_step_box(client, case) == "En registrator eller en chef expedierar beslutet."


def test_a_withdrawn_case_has_no_next_step(make, app, client, login):
    erik = make.user("official", name="Erik Noaksson")
    login(erik)
    case = make.case("Återkallad ansökan", officer=erik)
    _take(make, app, case, "withdraw", erik, comment="Sökanden återkallade ansökan.")
    assert next_step_box(client, case) is None

"""Old free-text codes: matched when the structure is imported, the rest worked through."""

import html
import json
from pathlib import Path

from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.cli import cli
from caseflow.common.models import AuditEvent

SAMPLE = Path(__file__).parent / "klassificering.csv"


def text(response):
    return html.unescape(response.get_data(as_text=True))


def _cases(make):
    make.fresh()
    return {c.title: c for c in make.session.exec(select(Case)).all()}


def test_the_import_links_the_cases_whose_old_code_is_a_process(make, runner):
    make.case("Budget 2022", classification_code="1.1.1")
    make.case("Projektmedel Samverket", classification_code="2.3.1")
    make.case("Gammal diarieplan", classification_code="KS 04")
    make.case("Klassad på gruppnivå", classification_code="2.3")
    report = json.loads(
        runner.invoke(cli, ["classification", "import", str(SAMPLE), "--json"]).output
    )
    assert report["cases_linked"] == 2
    cases = _cases(make)
    assert cases["Budget 2022"].classification.label == "1.1.1 Ta fram budget"
    assert cases["Projektmedel Samverket"].classification.code == "2.3.1"
    # A code that is no class, or a class that is no process, stays for the admin.
    assert cases["Gammal diarieplan"].class_id is None
    assert cases["Klassad på gruppnivå"].class_id is None
    events = make.session.exec(select(AuditEvent).where(AuditEvent.action == "case.classify"))
    linked = {e.case_id: json.loads(e.after)["class_code"] for e in events.all()}
    assert linked == {cases["Budget 2022"].id: "1.1.1", cases["Projektmedel Samverket"].id: "2.3.1"}


def test_the_admin_works_through_the_unclassified_cases(make, client, login):
    classes = make.classification()
    first = make.case("Gammal diarieplan 1", classification_code="KS 04")
    make.case("Gammal diarieplan 2", classification_code="KS 04")
    lone = make.case("Personalärende", classification_code="P9")
    login(make.user("admin"))
    page = text(client.get("/admin/classification/unmatched/"))
    assert "gammal kod KS 04, oklassificerat" in page and "gammal kod P9, oklassificerat" in page
    assert first.number in page
    assert '<optgroup label="3 Stödja verksamheten › 3.2 Hantera personal">' in page
    response = client.post(
        "/admin/classification/unmatched/code",
        data={"old_code": "KS 04", "class_id": str(classes["1.2.1"].id)},
    )
    assert response.status_code == 302
    response = client.post(
        f"/admin/classification/unmatched/cases/{lone.id}",
        data={"class_id": str(classes["3.2.1"].id)},
    )
    assert response.status_code == 302
    cases = _cases(make)
    assert {c.classification.code for c in cases.values()} == {"1.2.1", "3.2.1"}
    assert cases["Personalärende"].classification_code == "P9"  # the old code is kept
    assert "Alla ärenden med en gammal kod har en process." in text(
        client.get("/admin/classification/unmatched/")
    )
    case_page = text(client.get(f"/cases/{lone.number}"))
    assert "3.2.1 Rekrytera medarbetare" in case_page


def test_a_group_is_refused_as_the_process_of_an_old_code(make, client, login):
    classes = make.classification()
    make.case("Gammal diarieplan", classification_code="KS 04")
    login(make.user("admin"))
    response = client.post(
        "/admin/classification/unmatched/code",
        data={"old_code": "KS 04", "class_id": str(classes["1.2"].id)},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/admin/classification/unmatched/"
    assert _cases(make)["Gammal diarieplan"].class_id is None

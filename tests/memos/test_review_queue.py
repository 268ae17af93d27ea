"""The manager's review queue is built from the cases' state, not from the audit trail."""

from datetime import timedelta
from pathlib import Path

from caseflow.cases.workflow import apply_transition
from caseflow.common.timeutil import now
from caseflow.imports.importer import import_cases
from caseflow.memos.queries import review_queue_items
from caseflow.memos.services import save_memo
from tests.memos.conftest import memo_of_rs720


def _import_in_review(make, app, number, title):
    make.series("RS")
    data = {
        "cases": [{"number": number, "title": title, "opened": "2021-11-03", "status": "in_review"}]
    }
    with app.app_context():
        import_cases(make.session, make.store, data, base_dir=Path("."))
        make.session.commit()


def test_an_imported_case_in_review_is_in_the_queue(make, app, client, login):
    _import_in_review(make, app, "RS/720/2021", "Projekt Test av coworking och hybridarbete")
    assert [case.number for case, _at in review_queue_items(make.fresh())] == ["RS/720/2021"]
    login(make.user("manager"))
    assert "RS/720/2021" in client.get("/review").get_data(as_text=True)


def test_the_oldest_submission_comes_first_imported_or_submitted(make, app):
    erik = make.user("official")
    case = make.session.merge(make.case("Inskickat i caseflow", officer=erik))
    save_memo(make.session, case, memo_of_rs720(), expected_version=case.version, user=erik)
    with app.app_context():
        apply_transition(make.session, case, "submit", user=erik)
    make.session.commit()
    # Imported, last changed a day before the other was submitted: it has waited longer.
    _import_in_review(make, app, "RS/720/2021", "Importerat i granskning")
    imported = [c for c, _at in review_queue_items(make.fresh()) if c.number == "RS/720/2021"]
    imported[0].updated_at = now() - timedelta(days=1)
    make.session.commit()
    items = review_queue_items(make.fresh())
    assert [c.number for c, _at in items] == ["RS/720/2021", case.number]
    assert items[0][1] < items[1][1]

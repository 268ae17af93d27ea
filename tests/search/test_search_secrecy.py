"""Search never reveals a secret: the house's markers, planted in every secret-capable
field and in a secret document's file text, are searched for as every role. Holders of
the case's secrets find each; everyone else gets no hit, no snippet and no count — on
SQLite and PostgreSQL alike."""

from __future__ import annotations

import json

import pytest
from sqlmodel import func, select

from caseflow.cases.queries import CaseFilter, list_cases
from caseflow.common.audit import AuditEvent
from caseflow.search.models import FileText
from tests.markers import MARKERS, found_markers

#: The markers of fields and files the index holds (the closed § is a meeting's, not searched).
SEARCHED = ("title", "description", "party", "document_title", "sender", "file", "protected")


@pytest.fixture
def planted(secret_case, make):
    """The secret case, with its secret document's file text extracted."""
    doc = secret_case["document"]
    make.session.merge(
        FileText(sha256=doc.files[0].sha256, status="done", text=f"Intyget: {MARKERS['file']}")
    )
    make.session.commit()
    officer, manager = secret_case["officer"], secret_case["manager"]
    return secret_case | {
        "holders": {
            "registrar": make.user("registrar"),
            "official owner": officer,
            "manager": manager,
        },
        "others": {
            "other official": make.user("official"),
            "admin": make.user("admin"),
            "member": make.user("member"),
        },
    }


def _shown(results) -> str:
    """Everything a results page would show: counts, numbers, titles, snippets."""
    parts = [str(results.total)]
    for hit in results.hits:
        parts += [hit.number or "", hit.title, hit.counterpart or ""]
        parts += [segment.text for segment in hit.snippet]
    return "\n".join(parts)


@pytest.mark.parametrize("name", SEARCHED)
def test_holders_find_every_marker(planted, find, name):
    for role, user in planted["holders"].items():
        results = find.results(user, MARKERS[name].lower())
        assert results.total >= 1, (role, name)
        assert name in found_markers(_shown(results)), (role, name)


@pytest.mark.parametrize("name", SEARCHED)
def test_others_get_no_hit_snippet_or_count(planted, find, name):
    for role, user in planted["others"].items():
        results = find.results(user, MARKERS[name])
        assert results.total == 0 and results.hits == [], (role, name)
        # Nor by a prefix of it, in a phrase, or together with a word they may see.
        for typed in (MARKERS[name][:6] + "*", f'"{MARKERS[name]}"', f"utredning {MARKERS[name]}"):
            assert find.results(user, typed).total == 0, (role, name, typed)


def test_others_see_no_marker_in_what_they_do_find(planted, find):
    for role, user in planted["others"].items():
        for typed in ("utredning", "läkarintyg", "person", "skyddad", "ansökan färdtjänst", "brev"):
            assert found_markers(_shown(find.results(user, typed))) == set(), (role, typed)


def test_the_case_list_search_keeps_the_secrets(planted, app, make):
    case_list = lambda user, q: list_cases(make.fresh(), user, CaseFilter(q=q)).items  # noqa: E731
    with app.test_request_context():
        for name in ("title", "description", "party", "protected"):
            for user in planted["others"].values():
                assert case_list(user, MARKERS[name]) == [], name
            assert case_list(planted["holders"]["registrar"], MARKERS[name]) != [], name


def test_a_holder_reading_secret_file_text_in_a_snippet_is_recorded(planted, find, make):
    def reads():
        return (
            make.fresh()
            .exec(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "document.read_secret")
            )
            .one()
        )

    before = reads()
    results = find.results(planted["holders"]["registrar"], MARKERS["file"])
    assert "file" in found_markers(_shown(results))
    assert reads() == before + 1
    # Admins read the audit trail without holding the secret: the words searched for are
    # recorded as their length only.
    event = (
        make.fresh()
        .exec(
            select(AuditEvent)
            .where(AuditEvent.action == "document.read_secret")
            .order_by(AuditEvent.id.desc())
        )
        .first()
    )
    assert json.loads(event.after) == {"search": {"q_chars": len(MARKERS["file"])}}
    # A hit on the title alone shows no file text: nothing read.
    find.results(planted["holders"]["registrar"], MARKERS["document_title"])
    assert reads() == before + 1

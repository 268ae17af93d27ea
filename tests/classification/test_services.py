"""The structure an admin keeps: codes, the tree, retention rules, and what may be removed."""

import pytest
from flask_babel import force_locale
from sqlmodel import select

from caseflow.classification import services
from caseflow.classification.models import ClassKind
from caseflow.common.errors import ValidationError
from caseflow.common.models import AuditEvent


@pytest.fixture
def session(app, make):
    """The factory's session, in an app context reading its messages in English."""
    with app.app_context(), force_locale("en"):
        yield make.session


@pytest.mark.parametrize("code", ["1", "2.3.1", "10.2.a", "A1.B2"])
def test_codes_are_segments_of_digits_and_letters(code):
    assert services.normalise_code(f" {code} ") == code


@pytest.mark.parametrize("code", ["", "2..3", "2.3.", ".2", "2 3", "2/3", "2.3-1", "x" * 51])
def test_a_code_of_another_shape_is_refused(code):
    with pytest.raises(ValidationError):
        services.normalise_code(code)


def test_codes_sort_as_numbers():
    codes = ["2.10", "2.9", "10", "2", "1.1.1"]
    assert sorted(codes, key=services.code_sort_key) == ["1.1.1", "2", "2.9", "2.10", "10"]


def test_a_class_finds_its_parent_by_its_code(session):
    area = services.create_class(session, code="1", title="Styra och leda")
    group = services.create_class(session, code="1.1", title="Planera och följa upp")
    process = services.create_class(
        session,
        code="1.1.1",
        title="Ta fram budget",
        retention_action="bevara",
        secrecy_note="OSL 21 kap. 1 §",
    )
    assert group.parent_id == area.id and process.parent_id == group.id
    tree = services.build_tree(services.all_classes(session))
    assert [(r["cls"].code, r["depth"], r["kind"]) for r in tree] == [
        ("1", 1, ClassKind.AREA),
        ("1.1", 2, ClassKind.GROUP),
        ("1.1.1", 3, ClassKind.PROCESS),
    ]
    assert process.retention_action == "preserve" and process.label == "1.1.1 Ta fram budget"


def test_a_class_without_its_parent_is_refused(session):
    with pytest.raises(ValidationError, match="2.3"):
        services.create_class(session, code="2.3.1", title="Handlägga projektmedel")


def test_codes_are_unique(session):
    services.create_class(session, code="1", title="Styra och leda")
    with pytest.raises(ValidationError, match="already used"):
        services.create_class(session, code="1", title="Något annat")


@pytest.mark.parametrize(
    "rule, problem",
    [
        ({"retention_action": "gallra", "retention_decision": "RA-MS 2020:1"}, "number of years"),
        ({"retention_action": "gallra", "retention_years": 2}, "decision"),
        ({"retention_action": "bevara", "retention_years": 5}, "only when"),
        ({"retention_action": "kasta"}, "bevara or gallra"),
        ({"retention_action": "gallra", "retention_years": "två", "retention_decision": "x"},
         "whole number"),
    ],
)  # fmt: skip
def test_a_retention_rule_must_be_whole(session, rule, problem):
    services.create_class(session, code="3", title="Stödja verksamheten")
    with pytest.raises(ValidationError, match=problem):
        services.create_class(session, code="3.1", title="Rekrytera", **rule)


def test_only_active_processes_are_offered_to_cases(session, make):
    classes = make.classification()
    options = services.process_options(session)
    labels = [label for _id, label, _group in options]
    assert "1.1.1 Ta fram budget" in labels
    assert not any(label.startswith(("1 ", "1.1 ", "2.3 ")) for label in labels)
    groups = {label: group for _id, label, group in options}
    assert groups["1.1.1 Ta fram budget"] == "1 Styra och leda › 1.1 Planera och följa upp"
    services.set_class_active(session, session.merge(classes["1.1.1"]), False)
    assert "1.1.1 Ta fram budget" not in [
        label for _i, label, _g in services.process_options(session)
    ]
    with pytest.raises(ValidationError, match="no longer in use"):
        services.require_process(session, classes["1.1.1"].id)
    with pytest.raises(ValidationError, match="not a process"):
        services.require_process(session, classes["1.1"].id)


def test_a_parent_with_active_sub_classes_is_not_deactivated(session, make):
    classes = make.classification()
    with pytest.raises(ValidationError, match="sub-classes"):
        services.set_class_active(session, session.merge(classes["2.3"]), False)


def test_a_class_cannot_be_put_under_its_own_sub_class(session, make):
    classes = make.classification()
    area = session.merge(classes["1"])
    with pytest.raises(ValidationError, match="under itself"):
        services.update_class(session, area, title=area.title, parent_code="1.1")


def test_a_class_in_use_is_not_removed_but_an_unused_one_is(session, make):
    classes = make.classification()
    make.case("Budget 2022", class_id=classes["1.1.1"].id)
    with pytest.raises(ValidationError, match="used by 1 cases"):
        services.remove_class(session, session.merge(classes["1.1.1"]))
    session.rollback()
    with pytest.raises(ValidationError, match="sub-classes"):
        services.remove_class(session, session.merge(classes["3.2"]))
    session.rollback()
    services.remove_class(session, session.merge(classes["1.1.2"]))
    session.commit()
    assert "1.1.2" not in {c.code for c in services.all_classes(session)}
    removed = session.exec(
        select(AuditEvent).where(AuditEvent.action == "classification.remove")
    ).one()
    assert '"code": "1.1.2"' in removed.before


def test_every_change_is_audited_with_before_and_after(session, make):
    classes = make.classification()
    process = session.merge(classes["2.3.1"])
    services.update_class(
        session,
        process,
        title="Handlägga projektmedel",
        retention_action="gallra",
        retention_years=10,
        retention_decision="RA-MS 2020:1",
    )
    session.commit()
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "classification.update")
    ).one()
    assert '"retention_action": "preserve"' in event.before
    assert '"retention_years": 10' in event.after

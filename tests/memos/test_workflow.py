"""The transition table: every action, every role, every rule."""

import pytest
from sqlmodel import select

from caseflow.cases.models import CaseStatus
from caseflow.cases.workflow import BY_ACTION, TRANSITIONS, apply_transition
from caseflow.common.audit import events_for_case
from caseflow.common.errors import PermissionDenied, ValidationError
from caseflow.documents.models import DocumentFile
from caseflow.memos.services import get_memo

S = CaseStatus


def _at(make, case, status):
    case = make.session.merge(case)
    case.status = status
    make.session.commit()
    return case


@pytest.fixture
def people(make, drafted):
    case, erik, hans = drafted
    return case, {
        "owner": erik,
        "other": make.user("official"),
        "registrar": make.user("registrar"),
        "manager": hans,
        "admin": make.user("admin"),
    }


#: action → (a state it starts from, the roles that may take it, comment?)
EXPECTED = {
    "start": (S.REGISTERED, {"owner", "registrar", "manager"}, None),
    "submit": (S.IN_PREPARATION, {"owner"}, None),
    "approve": (S.IN_REVIEW, {"manager"}, None),
    "return": (S.IN_REVIEW, {"manager"}, "Komplettera budgeten"),
    "decide_delegated": (S.IN_PREPARATION, {"owner"}, None),
    "close": (S.DECIDED, {"owner", "registrar", "manager"}, None),
    "withdraw": (S.IN_PREPARATION, {"owner", "registrar", "manager"}, "Ansökan återkallad"),
    "reopen": (S.CLOSED, {"manager"}, "Nytt underlag"),
    "put_on_agenda": (S.APPROVED, {"manager"}, None),
    "decide": (S.ON_AGENDA, {"manager"}, None),
    "table": (S.ON_AGENDA, {"manager"}, None),
    "refer_back": (S.ON_AGENDA, {"manager"}, "Återremiss för kompletterande underlag"),
    "take_off_agenda": (S.ON_AGENDA, {"manager"}, "Utgår från dagordningen"),
    "undo_decision": (S.DECIDED, {"manager"}, "Beslutet registrerades av misstag"),
    "dispatch": (S.DECIDED, {"manager", "registrar"}, None),
}

#: The steps only a meeting, a dispatch or a delegated decision's service takes (DESIGN:
#: the path of a case, steps 5–8, and the decision under delegation).
TAKEN_BY = {
    "decide_delegated": "delegation",
    "put_on_agenda": "meeting",
    "decide": "meeting",
    "table": "meeting",
    "refer_back": "meeting",
    "take_off_agenda": "meeting",
    "undo_decision": "meeting",
    "dispatch": "dispatch",
}


def test_every_transition_is_tested():
    assert set(EXPECTED) == set(BY_ACTION) == {t.action for t in TRANSITIONS}


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", ["owner", "other", "registrar", "manager", "admin"])
def test_who_may_take_each_action(make, people, action, role, app):
    case, users = people
    source, allowed, comment = EXPECTED[action]
    via = TAKEN_BY.get(action)
    case = _at(make, case, source)
    with app.app_context():
        if role in allowed:
            apply_transition(
                make.session, case, action, user=users[role], comment=comment, taken_by=via
            )
            assert case.status == BY_ACTION[action].target
            make.session.commit()
            (event,) = [
                e
                for e in events_for_case(make.session, case.id)
                if e.action == f"case.transition.{action}"
            ]
            assert event.actor_id == users[role].id
        else:
            with pytest.raises(PermissionDenied):
                apply_transition(
                    make.session, case, action, user=users[role], comment=comment, taken_by=via
                )
            make.session.rollback()
            assert make.session.merge(case).status == source


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_actions_from_the_wrong_state_are_refused(make, people, action, app):
    case, users = people
    source, allowed, comment = EXPECTED[action]
    wrong = next(s for s in S if s not in BY_ACTION[action].sources)
    case = _at(make, case, wrong)
    user = users[sorted(allowed)[0]]
    with app.app_context(), pytest.raises(ValidationError, match="går inte nu"):
        apply_transition(
            make.session, case, action, user=user, comment=comment, taken_by=TAKEN_BY.get(action)
        )


@pytest.mark.parametrize("action", ["return", "withdraw", "reopen"])
def test_some_actions_need_a_comment(make, people, action, app):
    case, users = people
    source, allowed, _comment = EXPECTED[action]
    case = _at(make, case, source)
    with app.app_context(), pytest.raises(ValidationError, match="kommentar"):
        apply_transition(make.session, case, action, user=users[sorted(allowed)[0]], comment=" ")


def test_no_review_without_proposal_points(make, coworking, app):
    case, erik, _hans = coworking
    case = _at(make, case, S.IN_PREPARATION)
    with app.app_context(), pytest.raises(ValidationError, match="förslagspunkt"):
        apply_transition(make.session, case, "submit", user=erik)


def test_delegated_decisions_can_be_switched_off(make, people, app):
    case, users = people
    case = _at(make, case, S.IN_PREPARATION)
    app.config["ALLOW_DELEGATED_DECISIONS"] = False
    with app.app_context(), pytest.raises(ValidationError, match="delegationsbeslut"):
        apply_transition(
            make.session, case, "decide_delegated", user=users["owner"], taken_by="delegation"
        )


def test_submission_freezes_the_memo_and_a_return_keeps_it(make, people, app):
    case, users = people
    case = _at(make, case, S.IN_PREPARATION)
    with app.app_context():
        apply_transition(make.session, case, "submit", user=users["owner"])
        make.session.commit()
        memo = get_memo(make.session, case)
        frozen = make.session.get(DocumentFile, memo.submitted_file_id)
        assert frozen.file_version == 1 and frozen.filename.endswith(".docx")
        apply_transition(
            make.session, case, "return", user=users["manager"], comment="Komplettera budgeten"
        )
        make.session.commit()
    assert case.status == S.IN_PREPARATION
    files = make.session.exec(select(DocumentFile)).all()
    assert [f.id for f in files] == [frozen.id]  # still there, untouched


def test_reopening_clears_the_closing_date(make, people, app):
    case, users = people
    case = _at(make, case, S.DECIDED)
    with app.app_context():
        apply_transition(make.session, case, "close", user=users["registrar"])
        assert case.closed_on is not None
        apply_transition(make.session, case, "reopen", user=users["manager"], comment="Nytt")
        assert case.closed_on is None and case.status == S.IN_PREPARATION


def test_a_voided_case_takes_no_action(make, people, app):
    from caseflow.cases.services import void_case

    case, users = people
    case = make.session.merge(case)
    void_case(make.session, case, reason="Fel")
    make.session.commit()
    with app.app_context(), pytest.raises(ValidationError, match="makulerat"):
        apply_transition(make.session, case, "start", user=users["registrar"])


def test_cli_transition_as_json(make, people, runner):
    import json

    from caseflow.cli import cli

    case, users = people
    result = runner.invoke(
        cli, ["case", "transition", case.number, "start", "--as", users["owner"].email, "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "number": case.number,
        "action": "start",
        "from": "registered",
        "status": "in_preparation",
    }
    refused = runner.invoke(
        cli, ["case", "transition", case.number, "approve", "--as", users["owner"].email]
    )
    assert refused.exit_code == 2 and "går inte nu" in refused.output
    unknown = runner.invoke(
        cli, ["case", "transition", case.number, "fly", "--as", users["owner"].email]
    )
    assert unknown.exit_code == 2 and "Okänd åtgärd" in unknown.output


@pytest.mark.parametrize("action", sorted(TAKEN_BY))
@pytest.mark.parametrize("role", ["owner", "registrar", "manager"])
def test_meeting_and_dispatch_steps_are_refused_as_case_actions(make, people, action, role, app):
    """Nobody can say a case is on an agenda, decided or dispatched without the meeting or
    the mail behind it — not even the roles the step belongs to."""
    case, users = people
    source, _allowed, comment = EXPECTED[action]
    case = _at(make, case, source)
    with app.app_context():
        with pytest.raises(ValidationError):
            apply_transition(make.session, case, action, user=users[role], comment=comment)
        other = "dispatch" if TAKEN_BY[action] == "meeting" else "meeting"
        with pytest.raises(ValidationError):
            apply_transition(
                make.session, case, action, user=users[role], comment=comment, taken_by=other
            )
    make.session.rollback()
    assert make.session.merge(case).status == source


@pytest.mark.parametrize("action", sorted(TAKEN_BY))
def test_the_transition_form_and_cli_refuse_meeting_and_dispatch_steps(
    make, people, action, client, login, runner
):
    from caseflow.cli import cli

    case, users = people
    source, allowed, comment = EXPECTED[action]
    case = _at(make, case, source)
    actor = users[sorted(allowed)[0]]
    login(actor)
    response = client.post(
        f"/cases/{case.number}/transition", data={"action": action, "comment": comment or ""}
    )
    assert response.status_code in (302, 303)
    make.session.expire_all()
    assert make.session.merge(case).status == source
    args = ["case", "transition", case.number, action, "--as", actor.email]
    refused = runner.invoke(cli, [*args, "--comment", comment] if comment else args)
    assert refused.exit_code == 2, refused.output
    make.session.expire_all()
    assert make.session.merge(case).status == source
    assert not [
        e for e in events_for_case(make.session, case.id) if e.action == f"case.transition.{action}"
    ]

"""The path of a case: one declared table of transitions, used by web, CLI and jobs alike.

Each :class:`Transition` says from which states an action may be taken, the state it
leads to, who may take it, what must hold first, and whether a comment is required. The
only way to change ``Case.status`` is :func:`apply_transition`, which checks all of that
and writes the audit event the case's timeline shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlmodel import Session

from caseflow.auth.models import Role
from caseflow.cases.models import Case, CaseStatus
from caseflow.common import audit
from caseflow.common.errors import PermissionDenied, ValidationError
from caseflow.common.timeutil import now, today

S = CaseStatus
OPEN = frozenset(S.open_states())

#: Who may act: a role, or "owner" for the case's responsible officer.
OWNER = "owner"

#: A guard returns None when the transition may go ahead, else the reason it may not.
Guard = Callable[[Session, Case], str | None]

#: Hooks run after the state has changed (e.g. freeze the memo on submission).
_after_hooks: dict[str, list[Callable]] = {}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    guards: tuple[Guard, ...] = ()
    comment_required: bool = False
    #: False for steps taken through a meeting or a dispatch, never by a button of their own.
    manual: bool = True


def _has_proposal(session: Session, case: Case) -> str | None:
    from caseflow.memos.services import proposal_point_count

    if proposal_point_count(session, case) == 0:
        return "Tjänsteskrivelsen saknar beslutsförslag: skriv minst en förslagspunkt."
    return None


def _delegation_allowed(_session: Session, _case: Case) -> str | None:
    allowed = (
        current_app.config.get("ALLOW_DELEGATED_DECISIONS", True) if has_app_context() else True
    )
    return None if allowed else "Organisationen tillåter inte delegationsbeslut."


def _decision_is_final(session: Session, case: Case) -> str | None:
    from caseflow.meetings.services import is_final, latest_decided_item

    item = latest_decided_item(session, case)
    if item is not None and not is_final(item):
        return "Protokollet är inte justerat: beslutet kan inte expedieras än."
    return None


def _not_voided(_session: Session, case: Case) -> str | None:
    return f"Ärendet {case.number} är makulerat." if case.is_voided else None


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "start",
        frozenset({S.REGISTERED}),
        S.IN_PREPARATION,
        frozenset({OWNER, Role.REGISTRAR, Role.MANAGER}),
    ),
    Transition(
        "submit",
        frozenset({S.REGISTERED, S.IN_PREPARATION}),
        S.IN_REVIEW,
        frozenset({OWNER}),
        guards=(_has_proposal,),
    ),
    Transition("approve", frozenset({S.IN_REVIEW}), S.APPROVED, frozenset({Role.MANAGER})),
    Transition(
        "return",
        frozenset({S.IN_REVIEW}),
        S.IN_PREPARATION,
        frozenset({Role.MANAGER}),
        comment_required=True,
    ),
    Transition(
        "decide_delegated",
        frozenset({S.IN_PREPARATION}),
        S.DECIDED,
        frozenset({OWNER}),
        guards=(_has_proposal, _delegation_allowed),
    ),
    Transition(
        "close",
        frozenset({S.DECIDED, S.DISPATCHED}),
        S.CLOSED,
        frozenset({OWNER, Role.REGISTRAR, Role.MANAGER}),
    ),
    Transition(
        "withdraw",
        OPEN,
        S.WITHDRAWN,
        frozenset({OWNER, Role.REGISTRAR, Role.MANAGER}),
        comment_required=True,
    ),
    Transition(
        "put_on_agenda",
        frozenset({S.APPROVED}),
        S.ON_AGENDA,
        frozenset({Role.MANAGER}),
        manual=False,
    ),
    Transition(
        "decide", frozenset({S.ON_AGENDA}), S.DECIDED, frozenset({Role.MANAGER}), manual=False
    ),
    Transition(
        "table", frozenset({S.ON_AGENDA}), S.APPROVED, frozenset({Role.MANAGER}), manual=False
    ),
    Transition(
        "refer_back",
        frozenset({S.ON_AGENDA}),
        S.IN_PREPARATION,
        frozenset({Role.MANAGER}),
        comment_required=True,
        manual=False,
    ),
    Transition(
        "dispatch",
        frozenset({S.DECIDED}),
        S.DISPATCHED,
        frozenset({Role.MANAGER, Role.REGISTRAR}),
        guards=(_decision_is_final,),
        manual=False,
    ),
    Transition(
        "reopen",
        frozenset({S.CLOSED, S.WITHDRAWN}),
        S.IN_PREPARATION,
        frozenset({Role.MANAGER}),
        comment_required=True,
    ),
)
BY_ACTION = {t.action: t for t in TRANSITIONS}


def after_transition(action: str):
    """Register ``hook(session, case, user)``, run in the same transaction after ``action``."""

    def register(fn):
        _after_hooks.setdefault(action, []).append(fn)
        return fn

    return register


def may_act(user, case: Case, transition: Transition) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role in transition.actors:
        return True
    return OWNER in transition.actors and user.role == Role.OFFICIAL and case.officer_id == user.id


def available_transitions(session: Session, case: Case, user) -> list[Transition]:
    """The actions ``user`` may take on ``case`` now (guards not yet checked)."""
    if case.is_voided:
        return []
    return [
        t for t in TRANSITIONS if t.manual and case.status in t.sources and may_act(user, case, t)
    ]


def apply_transition(
    session: Session, case: Case, action: str, *, user, comment: str | None = None
) -> Case:
    """Take ``action`` on ``case`` as ``user``: check the table, change state, record it."""
    transition = BY_ACTION.get(action)
    if transition is None:
        known = ", ".join(BY_ACTION)
        raise ValidationError(f"Okänd åtgärd »{action}«; välj en av {known}.")
    if case.status not in transition.sources:
        raise ValidationError(
            f"Ärendet {case.number} har status {case.status}; åtgärden {action} går inte nu."
        )
    if not may_act(user, case, transition):
        raise PermissionDenied(f"Du får inte utföra åtgärden {action} i ärendet {case.number}.")
    comment = (comment or "").strip() or None
    if transition.comment_required and not comment:
        raise ValidationError("Ange en kommentar eller ett skäl.")
    for guard in (_not_voided, *transition.guards):
        reason = guard(session, case)
        if reason:
            raise ValidationError(reason)
    before = case.status
    case.status = transition.target
    case.updated_at = now()
    if transition.target == S.CLOSED:
        case.closed_on = today()
    elif before in (S.CLOSED, S.WITHDRAWN):
        case.closed_on = None
    session.flush()
    for hook in _after_hooks.get(action, []):
        hook(session, case, user)
    audit.record(
        session,
        f"case.transition.{action}",
        case,
        case=case,
        actor=user,
        before={"status": before},
        after={"status": case.status, "comment": comment},
    )
    return case

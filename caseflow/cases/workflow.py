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
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.auth.models import Role
from caseflow.cases.labels import action_label, status_label
from caseflow.cases.models import Case, CaseStatus
from caseflow.common import audit
from caseflow.common.errors import PermissionDenied, ValidationError
from caseflow.common.timeutil import now, today

OPEN = frozenset(CaseStatus.open_states())

#: Who may act: a role, or "owner" for the case's responsible officer.
OWNER = "owner"

#: A guard returns None when the transition may go ahead, else the reason it may not.
Guard = Callable[[Session, Case], str | None]

#: Hooks run after the state has changed (e.g. freeze the memo on submission).
_after_hooks: dict[str, list[Callable]] = {}
#: Guards registered by the domain that owns the rule, per action.
_registered_guards: dict[str, list[Guard]] = {}

#: The services that take the non-manual steps.
MEETING, DISPATCH, DELEGATION = "meeting", "dispatch", "delegation"

#: Pages of a higher domain that take an action with more than a button, per action:
#: ``(link, label)``, ``link(session, case) -> url | None`` (None: not for this case).
_action_links: dict[str, tuple[Callable[[Session, Case], str | None], object]] = {}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    actors: frozenset[str]
    guards: tuple[Guard, ...] = ()
    comment_required: bool = False
    #: The service that takes this step (MEETING, DISPATCH, DELEGATION); None: a person's
    #: own action.
    taken_by: str | None = None

    @property
    def manual(self) -> bool:
        """Whether a person takes this step with a button or command of its own."""
        return self.taken_by is None


def _delegation_allowed(_session: Session, _case: Case) -> str | None:
    allowed = (
        current_app.config.get("ALLOW_DELEGATED_DECISIONS", True) if has_app_context() else True
    )
    return None if allowed else _l("The organisation does not allow delegated decisions.")


def _not_voided(_session: Session, case: Case) -> str | None:
    return _l("Case %(number)s is voided.", number=case.number) if case.is_voided else None


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "start",
        frozenset({CaseStatus.REGISTERED}),
        CaseStatus.IN_PREPARATION,
        frozenset({OWNER, Role.REGISTRAR, Role.MANAGER}),
    ),
    Transition(
        "submit",
        frozenset({CaseStatus.REGISTERED, CaseStatus.IN_PREPARATION}),
        CaseStatus.IN_REVIEW,
        frozenset({OWNER}),
    ),
    Transition(
        "approve", frozenset({CaseStatus.IN_REVIEW}), CaseStatus.APPROVED, frozenset({Role.MANAGER})
    ),
    Transition(
        "return",
        frozenset({CaseStatus.IN_REVIEW}),
        CaseStatus.IN_PREPARATION,
        frozenset({Role.MANAGER}),
        comment_required=True,
    ),
    Transition(
        "decide_delegated",
        frozenset({CaseStatus.IN_PREPARATION}),
        CaseStatus.DECIDED,
        frozenset({OWNER}),
        guards=(_delegation_allowed,),
        # Taken by the delegated decision's service: it names the delegation and makes
        # the decision document, so no button or command decides without them.
        taken_by=DELEGATION,
    ),
    Transition(
        "close",
        frozenset({CaseStatus.DECIDED, CaseStatus.DISPATCHED}),
        CaseStatus.CLOSED,
        frozenset({OWNER, Role.REGISTRAR, Role.MANAGER}),
    ),
    Transition(
        "withdraw",
        OPEN,
        CaseStatus.WITHDRAWN,
        frozenset({OWNER, Role.REGISTRAR, Role.MANAGER}),
        comment_required=True,
    ),
    Transition(
        "put_on_agenda",
        frozenset({CaseStatus.APPROVED}),
        CaseStatus.ON_AGENDA,
        frozenset({Role.MANAGER}),
        taken_by=MEETING,
    ),
    Transition(
        "decide",
        frozenset({CaseStatus.ON_AGENDA}),
        CaseStatus.DECIDED,
        frozenset({Role.MANAGER}),
        taken_by=MEETING,
    ),
    Transition(
        "table",
        frozenset({CaseStatus.ON_AGENDA}),
        CaseStatus.APPROVED,
        frozenset({Role.MANAGER}),
        taken_by=MEETING,
    ),
    Transition(
        "refer_back",
        frozenset({CaseStatus.ON_AGENDA}),
        CaseStatus.IN_PREPARATION,
        frozenset({Role.MANAGER}),
        comment_required=True,
        taken_by=MEETING,
    ),
    Transition(
        "take_off_agenda",
        frozenset({CaseStatus.ON_AGENDA}),
        CaseStatus.APPROVED,
        frozenset({Role.MANAGER}),
        comment_required=True,
        taken_by=MEETING,
    ),
    Transition(
        # Before justering the secretary undoes a decision recorded by mistake: the case
        # is back on the agenda, as it was before the decision.
        "undo_decision",
        frozenset({CaseStatus.DECIDED, CaseStatus.APPROVED, CaseStatus.IN_PREPARATION}),
        CaseStatus.ON_AGENDA,
        frozenset({Role.MANAGER}),
        comment_required=True,
        taken_by=MEETING,
    ),
    Transition(
        "dispatch",
        frozenset({CaseStatus.DECIDED}),
        CaseStatus.DISPATCHED,
        frozenset({Role.MANAGER, Role.REGISTRAR}),
        taken_by=DISPATCH,
    ),
    Transition(
        "reopen",
        frozenset({CaseStatus.CLOSED, CaseStatus.WITHDRAWN}),
        CaseStatus.IN_PREPARATION,
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


def register_guard(action: str, guard: Guard) -> None:
    """Add a rule that must hold before ``action``; the domain that owns it calls this.

    Registering the same guard twice (a second ``create_app`` in one process) is a no-op.
    """
    if action not in BY_ACTION:
        raise ValueError(f"unknown action {action!r}")
    guards = _registered_guards.setdefault(action, [])
    if guard not in guards:
        guards.append(guard)


def register_action_link(
    action: str, link: Callable[[Session, Case], str | None], label=None
) -> None:
    """Let the case page offer a link to ``action``'s own page instead of a button.

    The higher domain that owns the page registers it in its ``init_app`` (as with guards),
    so cases never import it. ``link(session, case)`` returns the page's address, or None
    where the page is not for this case; ``label`` names the link (default: the action's).
    """
    if action not in BY_ACTION:
        raise ValueError(f"unknown action {action!r}")
    _action_links[action] = (link, label)


def action_links(session: Session, case: Case, user) -> list[tuple[str, str]]:
    """The registered pages for actions ``user`` may take on ``case`` now: (label, url)."""
    if case.is_voided:
        return []
    found = []
    for transition in TRANSITIONS:
        link, label = _action_links.get(transition.action, (None, None))
        if link is None or case.status not in transition.sources:
            continue
        if not may_act(user, case, transition):
            continue
        url = link(session, case)
        if url:
            found.append((str(label or action_label(transition.action)), url))
    return found


def guards_of(transition: Transition) -> tuple[Guard, ...]:
    """Every rule checked before ``transition``: its own, then the registered ones."""
    return (_not_voided, *transition.guards, *_registered_guards.get(transition.action, ()))


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
    session: Session,
    case: Case,
    action: str,
    *,
    user,
    comment: str | None = None,
    taken_by: str | None = None,
) -> Case:
    """Take ``action`` on ``case`` as ``user``: check the table, change state, record it.

    ``taken_by`` is given only by the meeting, dispatch and delegation services, for their
    own steps; the web form and the CLI never pass it, so they cannot put a case on an
    agenda, decide it or call it dispatched without the meeting, the delegated decision or
    the mail behind it.
    """
    transition = BY_ACTION.get(action)
    if transition is None:
        known = ", ".join(action_label(t.action) for t in TRANSITIONS if t.manual)
        raise ValidationError(
            _l("Unknown action “%(action)s”; choose one of: %(known)s.", action=action, known=known)
        )
    if transition.taken_by != taken_by:
        if transition.taken_by == MEETING:
            raise ValidationError(
                _l(
                    "“%(action)s” is recorded on the meeting's page, not as a case action.",
                    action=action_label(action),
                )
            )
        if transition.taken_by == DISPATCH:
            raise ValidationError(
                _l("A case becomes dispatched when its excerpt is sent from the meeting's page.")
            )
        if transition.taken_by == DELEGATION:
            raise ValidationError(
                _l(
                    "A delegated decision is made on its own page, which names the delegation "
                    "and makes the decision document."
                )
            )
        raise ValidationError(
            _l("“%(action)s” is a case action of its own.", action=action_label(action))
        )
    if case.status not in transition.sources:
        raise ValidationError(
            _l(
                "Case %(number)s has the status %(status)s; the action %(action)s is not "
                "possible now.",
                number=case.number,
                status=status_label(case.status),
                action=action_label(action),
            )
        )
    if not may_act(user, case, transition):
        raise PermissionDenied(
            _l(
                "You may not take the action %(action)s in case %(number)s.",
                action=action_label(action),
                number=case.number,
            )
        )
    comment = (comment or "").strip() or None
    if transition.comment_required and not comment:
        raise ValidationError(_l("Give a comment or a reason."))
    for guard in guards_of(transition):
        reason = guard(session, case)
        if reason:
            raise ValidationError(reason)
    before = case.status
    case.status = transition.target
    case.updated_at = now()
    if transition.target == CaseStatus.CLOSED:
        case.closed_on = today()
    elif before in (CaseStatus.CLOSED, CaseStatus.WITHDRAWN):
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

"""What comes next on a case, and who takes it: the "Next step" box of the case page.

The cases layer knows the path of a case and says the generic step for each status. A
higher domain that knows more (the meeting a case is on, whether its protocol is attested)
registers a provider for the status in its ``init_app``; a provider returns its own text,
or None to leave the word to the next provider and finally to the generic text. Cases
never imports memos or meetings.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.auth.models import User
from caseflow.cases.models import Case, CaseStatus
from caseflow.cases.workflow import BY_ACTION

#: ``provider(session, case)`` → the next step in words, or None when it has nothing to say.
Provider = Callable[[Session, Case], str | None]

_providers: dict[str, list[Provider]] = {}


def register_next_step(status: str, provider: Provider) -> None:
    """Let a higher domain say the next step for cases in ``status`` (before the generic
    text). Registering the same provider twice (a second ``create_app``) is a no-op."""
    if status not in set(CaseStatus):
        raise ValueError(f"unknown status {status!r}")
    providers = _providers.setdefault(status, [])
    if provider not in providers:
        providers.append(provider)


def officer_name(session: Session, case: Case) -> str | None:
    """The name of the case's responsible officer, when it has one."""
    officer = session.get(User, case.officer_id) if case.officer_id else None
    return officer.name if officer else None


def may_decide_under_delegation(session: Session, case: Case) -> bool:
    """Whether the organisation allows the officer to decide ``case`` under delegation
    (the transition's own rules; that the memo has its points comes later, as for review)."""
    return all(guard(session, case) is None for guard in BY_ACTION["decide_delegated"].guards)


def _in_preparation(session: Session, case: Case, officer: str | None) -> str:
    if may_decide_under_delegation(session, case):
        if officer:
            return _l(
                "%(officer)s drafts the memo with its proposal points and submits it for "
                "review, or decides the case under delegation.",
                officer=officer,
            )
        return _l(
            "The responsible officer drafts the memo with its proposal points and submits it "
            "for review, or decides the case under delegation."
        )
    if officer:
        return _l(
            "%(officer)s drafts the memo with its proposal points and submits it for review.",
            officer=officer,
        )
    return _l(
        "The responsible officer drafts the memo with its proposal points and submits it "
        "for review."
    )


def generic_next_step(session: Session, case: Case) -> str | None:
    """The next step as the path of a case says it, naming the officer where known."""
    officer = officer_name(session, case)
    status = case.status
    if status == CaseStatus.REGISTERED:
        if officer:
            return _l("%(officer)s starts the preparation.", officer=officer)
        return _l("A registrar assigns a responsible officer to the case.")
    if status == CaseStatus.IN_PREPARATION:
        return _in_preparation(session, case, officer)
    if status == CaseStatus.IN_REVIEW:
        return _l("A manager approves the proposal or returns it with a comment.")
    if status == CaseStatus.APPROVED:
        return _l("A manager puts the case on a meeting's agenda.")
    if status == CaseStatus.ON_AGENDA:
        return _l("The decision body decides the case at its meeting.")
    if status == CaseStatus.DECIDED:
        return _l("A registrar or a manager dispatches the decision.")
    if status == CaseStatus.DISPATCHED:
        if officer:
            return _l(
                "%(officer)s, a registrar or a manager closes the case when nothing remains "
                "to be done.",
                officer=officer,
            )
        return _l("A registrar or a manager closes the case when nothing remains to be done.")
    return None  # closed, withdrawn: nothing comes next


def next_step(session: Session, case: Case) -> str | None:
    """What comes next on ``case`` and who takes it, in words; None when nothing does."""
    if case.is_voided:
        return None
    for provider in _providers.get(case.status, ()):
        text = provider(session, case)
        if text is not None:
            return str(text)
    text = generic_next_step(session, case)
    return str(text) if text is not None else None

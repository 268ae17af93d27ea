"""What other domains do when something happens to a meeting.

Meetings announce four events; a higher domain (the notice board) registers what it
does then in its own ``init_app``, so that meetings never import it:

``attested``
    the protocol was attested (justering recorded).
``notice_posted``
    the day the attested protocol's notice was posted is recorded (``post_notice``).
``summons_sent``
    a kallelse was recorded for sending.
``delegated_notice_posted``
    the day a delegated decision's own notice was posted is recorded.

A hook is ``hook(session, subject, *, user)`` — the ``Meeting``, or for the last event the
``DelegatedDecision`` — run in the same transaction after the event; it flushes and never
commits, like the service that calls it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, has_app_context
from sqlmodel import Session

EVENTS = frozenset({"attested", "notice_posted", "summons_sent", "delegated_notice_posted"})
_KEY = "caseflow.meeting_hooks"

Hook = Callable[..., None]


def register_meeting_hook(app: Flask, event: str, hook: Hook) -> None:
    """Run ``hook(session, subject, user=…)`` after ``event``; registering twice is a no-op."""
    if event not in EVENTS:
        raise ValueError(f"unknown meeting event {event!r}")
    hooks = app.extensions.setdefault(_KEY, {}).setdefault(event, [])
    if hook not in hooks:
        hooks.append(hook)


def run_meeting_hooks(session: Session, event: str, subject, *, user) -> None:
    """Call the hooks registered for ``event`` (none outside an app)."""
    if not has_app_context():
        return
    for hook in current_app.extensions.get(_KEY, {}).get(event, []):
        hook(session, subject, user=user)

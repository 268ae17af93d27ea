"""What other domains do when something happens to a meeting.

Meetings announce three events; a higher domain (the notice board) registers what it
does then in its own ``init_app``, so that meetings never import it:

``attested``
    the protocol was attested (justering recorded).
``notice_posted``
    the day the attested protocol's notice was posted is recorded (``post_notice``).
``summons_sent``
    a kallelse was recorded for sending.

A hook is ``hook(session, meeting, *, user)``, run in the same transaction after the
event; it flushes and never commits, like the service that calls it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, has_app_context
from sqlmodel import Session

EVENTS = frozenset({"attested", "notice_posted", "summons_sent"})
_KEY = "caseflow.meeting_hooks"

Hook = Callable[..., None]


def register_meeting_hook(app: Flask, event: str, hook: Hook) -> None:
    """Run ``hook(session, meeting, user=…)`` after ``event``; registering twice is a no-op."""
    if event not in EVENTS:
        raise ValueError(f"unknown meeting event {event!r}")
    hooks = app.extensions.setdefault(_KEY, {}).setdefault(event, [])
    if hook not in hooks:
        hooks.append(hook)


def run_meeting_hooks(session: Session, event: str, meeting, *, user) -> None:
    """Call the hooks registered for ``event`` (none outside an app)."""
    if not has_app_context():
        return
    for hook in current_app.extensions.get(_KEY, {}).get(event, []):
        hook(session, meeting, user=user)

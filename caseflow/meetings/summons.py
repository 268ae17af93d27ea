"""Placeholder: filled in by the summons work of the meetings issue."""

from __future__ import annotations


def page_context(session, meeting) -> dict:
    """What the meeting page's summons sections need."""
    return {}

"""Placeholder: filled in by the delegation work of the meetings issue."""

from __future__ import annotations


def page_context(session, meeting) -> dict:
    """What the meeting page's delegation sections need."""
    return {}

"""Sections a higher domain adds to the case page, below the "Next step" box.

The cases layer shows a case; a domain above it that knows more about the case (the
meeting that decided it: when the decision gains legal force, its appeals) registers a
section in its ``init_app``. A section renders its own template and returns the HTML, or
None when it has nothing to show. Cases never imports memos or meetings.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup
from sqlmodel import Session

from caseflow.cases.models import Case

#: ``section(session, case, user)`` → the section's HTML, or None.
Section = Callable[[Session, Case, object], Markup | None]

_sections: list[Section] = []


def register_case_section(section: Section) -> None:
    """Add ``section`` to the case page. Registering it twice (a second ``create_app``) is
    a no-op."""
    if section not in _sections:
        _sections.append(section)


def case_sections(session: Session, case: Case, user) -> list[Markup]:
    """The registered sections' HTML for ``case`` as ``user`` sees it, in order."""
    if case.is_voided:
        return []
    shown = (section(session, case, user) for section in _sections)
    return [html for html in shown if html]

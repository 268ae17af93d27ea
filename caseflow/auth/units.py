"""A user's unit, in one place.

Today the unit is free text on the user. The unit register (a table of organisational
units) replaces it; until then every form, service and listing of users reads and writes
the unit only through these functions, so the swap touches this module and the form field.
"""

from __future__ import annotations

from caseflow.auth.models import User

UNIT_MAX_LENGTH = 200


def clean_unit(value: str | None) -> str | None:
    """The unit as stored: trimmed text, or None for no unit."""
    value = (value or "").strip()
    return value[:UNIT_MAX_LENGTH] or None


def unit_of(user: User) -> str | None:
    """The name of the user's unit, as lists and exports show it."""
    return user.unit


def set_unit(user: User, value: str | None) -> None:
    """Give ``user`` the unit ``value`` (what the form's unit field sent)."""
    user.unit = clean_unit(value)

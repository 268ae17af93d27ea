"""A user's unit, in one place: a reference to the register of units."""

from __future__ import annotations

from caseflow.auth.models import User
from caseflow.organisation.models import Unit


def unit_of(user: User) -> str | None:
    """The name of the user's unit, as lists and exports show it."""
    return user.unit.name if user.unit_id and user.unit else None


def set_unit(user: User, unit: Unit | None) -> None:
    """Give ``user`` the unit ``unit`` from the register (or none)."""
    user.unit_id = unit.id if unit else None
    user.unit = unit

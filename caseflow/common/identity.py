"""Swedish identity numbers: the organisationsnummer (and later the personnummer)."""

from __future__ import annotations

import re

_ORG_NUMBER = re.compile(r"^(?:16)?(\d{6})-?(\d{4})$")


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check that Swedish organisation and personal numbers carry."""
    total = 0
    for position, char in enumerate(digits):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def normalise_org_number(value: str | None) -> str | None:
    """NNNNNN-NNNN for a valid Swedish organisationsnummer, else None.

    Accepts it with or without the hyphen or spaces, and with the "16" prefix Skatteverket
    adds.
    """
    match = _ORG_NUMBER.match(re.sub(r"\s+", "", value or ""))
    if not match:
        return None
    digits = match[1] + match[2]
    return f"{match[1]}-{match[2]}" if luhn_ok(digits) else None

"""The public audience's own rules, used by :mod:`caseflow.common.projection` only.

What the public reads (the e-diarium, e-mail, anything published) is stricter than what
staff read, beyond secrecy:

- personal identity numbers (personnummer, samordningsnummer) in any text are masked,
  however they were written;
- private persons are not named unless ``PUBLIC_SHOW_PRIVATE_PERSONS`` is set: a person
  not acting for an organisation, or a free-text sender or recipient not matched to an
  organisation in the parties register (GDPR art. 6: publishing a private person's name
  needs a reason the register does not have). Organisations, and people writing for one,
  are shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

#: A personnummer or samordningsnummer in any spelling: 811218-9876, 8112189876,
#: 19811218-9876, 198112189876, 121212+1212 (a person over a hundred), and a
#: samordningsnummer's day plus 60 (811278-9876). The check digit is not required: a
#: mistyped number is still someone's identity.
IDENTITY_NUMBER = re.compile(
    r"(?<![\d])"
    r"(?:19|20)?\d{2}"  # (century) year
    r"(?:0[1-9]|1[0-2])"  # month
    r"(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])"  # day, or day + 60
    r"\s?[-+]?\s?\d{4}"
    r"(?![\d])"
)


def identity_number_mask() -> str:
    return str(_l("[personal identity number]"))


def mask_identity_numbers(text: str | None) -> str | None:
    """``text`` with every personnummer and samordningsnummer replaced by a mask."""
    if not text or not any(c.isdigit() for c in text):
        return text
    return IDENTITY_NUMBER.sub(identity_number_mask(), text)


def show_private_persons() -> bool:
    """Whether private persons' names are published (``PUBLIC_SHOW_PRIVATE_PERSONS``)."""
    return bool(has_app_context() and current_app.config.get("PUBLIC_SHOW_PRIVATE_PERSONS"))


def private_person_label() -> str:
    return str(_l("Private individual"))


def is_private_party(party) -> bool:
    """A person in the register who does not act for an organisation."""
    return party is not None and party.is_person and party.organisation_id is None


def _no_register(_doc: object, _text: str) -> bool:
    return False


#: Tells whether a free-text sender or recipient names an organisation of the parties
#: register (set by the register's ``init_app``: the register sits above this module).
_names_an_organisation: Callable[[object, str], bool] = _no_register


def register_organisation_lookup(lookup: Callable[[object, str], bool]) -> None:
    """Let ``lookup(doc, text)`` say whether ``text`` names an organisation."""
    global _names_an_organisation
    _names_an_organisation = lookup


def is_private_counterpart(doc) -> bool:
    """A document's sender or recipient is private unless it is matched to an
    organisation, or to a person acting for one — by the register's party, or by the text
    naming an organisation of the register ("Vinnova", "Susanna Löfgren, Länsstyrelsen
    Jämtlands län"). A document the authority drew up itself names its author, staff
    acting for the authority: never a private person."""
    if getattr(doc, "direction", None) == "internal":
        return False
    party = getattr(doc, "party", None)
    if party is not None:
        return is_private_party(party)
    return not (doc.counterpart and _names_an_organisation(doc, doc.counterpart))


def secret_label(provision: str | None) -> str:
    """What the public reads in place of a secret title or counterpart."""
    if provision:
        return str(_l("Secrecy marked (%(provision)s)", provision=provision))
    return str(_l("Secrecy marked"))


def public_case_party(row, party) -> dict:
    """A counterpart for the public: an organisation and those who write for one by
    name, a private person as "Privatperson" (unless configured); never an address."""
    if party is not None:
        organisation = party.organisation_name if party.is_person else party.name
        private = is_private_party(party)
    else:  # registered as free text: only an organisation's name is taken as such
        organisation, private = row.organisation, True
    name = row.name
    if private and not show_private_persons():
        name = private_person_label() if not organisation else None
    if party is not None and not party.is_person:
        name = None if name == organisation else name
    return {
        "name": mask_identity_numbers(name),
        "organisation": mask_identity_numbers(organisation),
        "email": None,
    }

"""Plain rules of the register that need no database: e-mail addresses, and a sender's
name written the way a registrar writes it (organisation numbers: common/identity.py)."""

from __future__ import annotations

import re
import unicodedata


def normalise_email(address: str | None) -> str | None:
    """An address as the register stores and compares it: trimmed, lower-cased."""
    address = (address or "").strip().strip("<>").strip().lower()
    return address or None


def email_domain(address: str | None) -> str | None:
    address = normalise_email(address)
    if not address or "@" not in address:
        return None
    return address.rsplit("@", 1)[1] or None


def normalise_domain(domain: str) -> str | None:
    domain = (domain or "").strip().lower().lstrip("@").rstrip(".")
    if not domain or not re.fullmatch(r"[a-z0-9åäö-]+(\.[a-z0-9åäö-]+)+", domain):
        return None
    return domain


def _fold(text: str) -> str:
    """ "Löfgren" → "lofgren": how a name is spelt in an address's local part."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", plain)


def _title(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def person_name(display_name: str | None, address: str | None) -> str | None:
    """The sender's name, first name first, from what the mail's From: shows.

    Outlook shows "Löfgren Susanna" or "Löfgren, Susanna"; the address's local part
    (susanna.lofgren@…) tells which word is the first name. Quotes and a repeated address
    are dropped. Without a display name a "first.last" local part gives the name.
    """
    name = (display_name or "").strip().strip("\"'").strip()
    name = re.sub(r"\s*[<(\[].*?[>)\]]\s*", " ", name).strip()
    if normalise_email(name) == normalise_email(address) or "@" in name:
        name = ""
    name = " ".join(name.split())
    local = (normalise_email(address) or "").split("@", 1)[0]
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first.strip()} {last.strip()}".strip()
    elif name.count(" ") == 1 and local:
        first, second = name.split(" ")
        # "Löfgren Susanna" from susanna.lofgren@…: the local part puts the first name first.
        folded_first, folded_second = _fold(first), _fold(second)
        if (
            folded_second
            and local.startswith(folded_second)
            and folded_first in local
            and not local.startswith(folded_first)
        ):
            name = f"{second} {first}"
    if name:
        return name
    parts = [p for p in re.split(r"[._]", local) if p.isalpha()]
    if len(parts) >= 2:
        return " ".join(_title(p) for p in parts)
    return None


def registrar_label(name: str | None, organisation: str | None, address: str | None) -> str:
    """ "Susanna Löfgren, Länsstyrelsen Jämtlands län": never "Name <address>"."""
    label = ", ".join(p for p in (name, organisation) if p)
    return label or normalise_email(address) or ""

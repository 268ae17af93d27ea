"""Who a dispatch goes to: the "Utdrag till" list, the case's parties and any party of the
register, chosen on the form before sending.

A :class:`Candidate` carries the recipient as registered (for the mail and the letter)
and the label the person choosing may see (through the projection: a protected person or
a secret party masked for those without the right). ``is_hidden`` recipients are never
named in the message's headers, which every recipient reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from caseflow.cases.models import Case, CaseParty
from caseflow.common import projection
from caseflow.common.projection import Audience
from caseflow.meetings.excerpts import recipient_entry
from caseflow.memos.models import MemoRecipient
from caseflow.memos.services import get_memo
from caseflow.parties.models import Party
from caseflow.parties.services import search_parties


@dataclass
class Candidate:
    key: str
    #: What the person choosing sees.
    label: str
    name: str
    email: str | None
    postal_address: str | None
    party_id: int | None
    is_hidden: bool
    #: Pre-chosen on the form: the "Utdrag till" list.
    is_default: bool = False


def postal_address(party: Party | None) -> str | None:
    """Where a letter to ``party`` goes: its own address, or its organisation's (the
    register keeps addresses of organisations only)."""
    if party is None:
        return None
    if party.postal_address:
        return party.postal_address
    organisation = party.organisation
    return organisation.postal_address if organisation is not None else None


def _party(session: Session, email: str | None) -> Party | None:
    if not email:
        return None
    return session.exec(
        select(Party).where(Party.email == email.strip().lower(), Party.merged_into_id.is_(None))
    ).first()


def _party_named(session: Session, name: str | None) -> Party | None:
    """The one party of the register with exactly this name (a letter's address)."""
    if not name:
        return None
    found = session.exec(
        select(Party).where(Party.name == name.strip(), Party.merged_into_id.is_(None)).limit(2)
    ).all()
    return found[0] if len(found) == 1 else None


def _from_memo(session: Session, case: Case, row: MemoRecipient, audience) -> Candidate:
    party = _party(session, row.email) or (
        None if row.email else _party_named(session, row.name or row.organisation)
    )
    entry = recipient_entry(case, row)
    masked = case.parties_are_secret and entry["label"] == projection.mask(case.secrecy_provision)
    hidden = bool(masked) or projection.is_protected(party)
    name = ", ".join(x for x in (row.name, row.organisation) if x) or row.email or ""
    return Candidate(
        key=f"memo-{row.id}",
        label=_shown(name, hidden, case, audience),
        name=name,
        email=row.email or None,
        postal_address=postal_address(party),
        party_id=party.id if party else None,
        is_hidden=hidden,
        is_default=True,
    )


def _from_case_party(case: Case, row: CaseParty, audience) -> Candidate:
    hidden = bool(case.parties_are_secret) or projection.is_protected(row.party)
    name = row.label or row.email or ""
    return Candidate(
        key=f"caseparty-{row.id}",
        label=_shown(name, hidden, case, audience),
        name=name,
        email=row.email or (row.party.email if row.party else None),
        postal_address=postal_address(row.party),
        party_id=row.party_id,
        is_hidden=hidden,
    )


def _from_register(party: Party, case: Case, audience) -> Candidate:
    hidden = projection.is_protected(party)
    return Candidate(
        key=f"party-{party.id}",
        label=projection.party_label(party, audience),
        name=party.label,
        email=party.email,
        postal_address=postal_address(party),
        party_id=party.id,
        is_hidden=hidden,
    )


def _shown(name: str, hidden: bool, case: Case, audience) -> str:
    if not hidden or audience == Audience.HOLDER:
        return name
    if case.parties_are_secret:
        return projection.mask(case.secrecy_provision)
    return projection.protected_mask()


def candidates(
    session: Session, case: Case, *, audience, query: str | None = None
) -> list[Candidate]:
    """The form's choices: "Utdrag till" (chosen), the case's parties, and the register's
    parties matching ``query``."""
    memo = get_memo(session, case)
    found = [_from_memo(session, case, r, audience) for r in (memo.recipients if memo else [])]
    found += [_from_case_party(case, p, audience) for p in case.parties]
    if query and query.strip():
        sees = audience == Audience.HOLDER
        found += [
            _from_register(p, case, audience)
            for p in search_parties(session, query, sees_protected=sees, limit=20)
        ]
    return found


def default_choice(session: Session, case: Case) -> list[Candidate]:
    """The "Utdrag till" list: who a dispatch goes to when nobody chose."""
    return [c for c in candidates(session, case, audience=Audience.HOLDER) if c.is_default]


def chosen(session: Session, case: Case, keys: list[str], *, audience) -> list[Candidate]:
    """The candidates named by ``keys`` (a register party by its id, whatever the query
    that found it), each once, in the order given."""
    known = {c.key: c for c in candidates(session, case, audience=audience)}
    picked: list[Candidate] = []
    for key in dict.fromkeys(keys):
        candidate = known.get(key)
        if candidate is None and key.startswith("party-") and key[6:].isdigit():
            party = session.get(Party, int(key[6:]))
            sees = audience == Audience.HOLDER
            if (
                party is not None
                and party.merged_into_id is None
                and (sees or not party.is_protected)
            ):
                candidate = _from_register(party, case, audience)
        if candidate is not None:
            picked.append(candidate)
    return picked

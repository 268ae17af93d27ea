"""The parties register's operations: register, correct, find, match and merge.

Services flush and never commit. Every change is audited with before/after. Cases,
documents and mail refer to a party by ``party_id``; the text they were registered with
stays as it was (a merge re-links, it never rewrites).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, SQLModel, func, select

from caseflow.common import audit
from caseflow.common.errors import NotFound, ValidationError
from caseflow.common.identity import normalise_org_number
from caseflow.common.timeutil import now
from caseflow.parties.models import Party, PartyDomain, PartyKind
from caseflow.parties.names import email_domain, normalise_domain, normalise_email

#: Built once: intake runs them for every sender (both are indexed equalities).
_BY_EMAIL = (
    select(Party)
    .where(Party.email == sa.bindparam("email"), Party.merged_into_id.is_(None))
    .order_by(Party.id)
    .limit(1)
)
_BY_DOMAIN = (
    select(Party)
    .join(PartyDomain, PartyDomain.organisation_id == Party.id)
    .where(PartyDomain.domain == sa.bindparam("domain"), Party.merged_into_id.is_(None))
    .limit(1)
)


def party_snapshot(party: Party) -> dict:
    """What the audit trail records of a party."""
    return {
        "kind": party.kind,
        "name": party.name,
        "email": party.email,
        "phone": party.phone,
        "organisation_id": party.organisation_id,
        "is_protected": party.is_protected,
        "org_number": party.org_number,
        "country": party.country,
        "postal_address": party.postal_address,
        "domains": [d.domain for d in party.domains],
        "merged_into_id": party.merged_into_id,
    }


def get_party(session: Session, party_id: int) -> Party:
    party = session.get(Party, party_id)
    if party is None:
        raise NotFound(_l("There is no party number %(id)s in the register.", id=party_id))
    return party


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


def _check_org_number(org_number: str | None, country: str | None) -> str | None:
    org_number = _clean(org_number)
    if org_number is None:
        return None
    if country:  # a foreign registration number is kept as written
        return org_number
    valid = normalise_org_number(org_number)
    if valid is None:
        raise ValidationError(
            _l(
                "%(number)s is not a valid organisation number (NNNNNN-NNNN with a correct "
                "check digit).",
                number=org_number,
            )
        )
    return valid


def _check_domains(session: Session, party: Party, domains: list[str]) -> list[str]:
    cleaned = []
    for raw in domains:
        if not raw.strip():
            continue
        domain = normalise_domain(raw)
        if domain is None:
            raise ValidationError(_l("%(domain)s is not an e-mail domain.", domain=raw.strip()))
        owner = session.exec(select(PartyDomain).where(PartyDomain.domain == domain)).first()
        if owner is not None and owner.organisation_id != party.id:
            raise ValidationError(
                _l("The domain %(domain)s already belongs to another organisation.", domain=domain)
            )
        if domain not in cleaned:
            cleaned.append(domain)
    return cleaned


def _apply(session: Session, party: Party, values: dict) -> None:
    """Validate and set the fields of ``party`` from plain values."""
    name = _clean(values.get("name"))
    if not name:
        raise ValidationError(_l("Give the name."))
    kind = values.get("kind", party.kind)
    if kind not in (PartyKind.ORGANISATION, PartyKind.PERSON):
        raise ValidationError(_l("A party is an organisation or a person."))
    email = normalise_email(values.get("email"))
    if email is not None and ("@" not in email or " " in email):
        raise ValidationError(_l("%(email)s is not an e-mail address.", email=email))
    party.kind, party.name, party.email = kind, name[:200], email
    party.phone = _clean(values.get("phone"))
    if kind == PartyKind.PERSON:
        organisation_id = values.get("organisation_id") or None
        if organisation_id is not None:
            organisation = session.get(Party, organisation_id)
            if organisation is None or organisation.kind != PartyKind.ORGANISATION:
                raise ValidationError(_l("Choose an organisation from the register."))
        party.organisation_id = organisation_id
        party.is_protected = bool(values.get("is_protected"))
        party.org_number = party.country = party.postal_address = None
    else:
        country = (_clean(values.get("country")) or "").upper() or None
        if country is None and values.get("is_foreign"):
            raise ValidationError(_l("Give the country of a foreign organisation."))
        if country is not None and not (len(country) == 2 and country.isalpha()):
            raise ValidationError(_l("Give the country as a two-letter code, e.g. NO."))
        party.country = None if country == "SE" else country
        party.org_number = _check_org_number(values.get("org_number"), party.country)
        party.postal_address = _clean(values.get("postal_address"))
        party.organisation_id, party.is_protected = None, False
    if party.id is None:
        session.add(party)
        session.flush()
    if kind == PartyKind.ORGANISATION and "domains" in values:
        wanted = _check_domains(session, party, list(values.get("domains") or []))
        party.domains = [d for d in party.domains if d.domain in wanted] + [
            PartyDomain(organisation_id=party.id, domain=d)
            for d in wanted
            if d not in {x.domain for x in party.domains}
        ]
    party.updated_at = now()
    session.flush()


def create_party(session: Session, *, kind: str, **values) -> Party:
    """Register an organisation or a person (values: name, email, phone, organisation_id,
    is_protected, org_number, country, is_foreign, postal_address, domains)."""
    party = Party(kind=kind, name="")
    _apply(session, party, {"kind": kind, **values})
    audit.record(session, "party.create", party, after=party_snapshot(party))
    return party


def update_party(session: Session, party: Party, **values) -> Party:
    """Correct a party; the registrations that point at it keep their own text."""
    if party.merged_into_id is not None:
        raise ValidationError(_l("This party was merged into another; correct that one."))
    before = party_snapshot(party)
    _apply(session, party, {"kind": party.kind, **values})
    audit.record(session, "party.update", party, before=before, after=party_snapshot(party))
    return party


def _fold(session: Session, column):
    """Case-folded text: SQLite's lower() ignores å, ä and ö (db.py adds casefold())."""
    if session.get_bind().dialect.name == "sqlite":
        return func.casefold(column)
    return func.lower(column)


def search_parties(session: Session, q: str | None, *, sees_protected: bool, limit: int = 200):
    """Parties in the register (not merged ones), by name, e-mail or organisation number.

    Without the right to see protected persons, a search never matches one: a hit would
    tell that the name is there.
    """
    stmt = select(Party).where(Party.merged_into_id.is_(None))
    q = (q or "").strip()
    if q:
        pattern = "%" + q.casefold().replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
        pattern += "%"
        stmt = stmt.where(
            sa.or_(
                _fold(session, Party.name).like(pattern, escape="\\"),
                Party.email.like(pattern, escape="\\"),
                Party.org_number.like(pattern, escape="\\"),
            )
        )
        if not sees_protected:
            stmt = stmt.where(Party.is_protected.is_(False))
    return session.exec(stmt.order_by(_fold(session, Party.name), Party.id).limit(limit)).all()


def organisations(session: Session) -> list[Party]:
    return session.exec(
        select(Party)
        .where(Party.kind == PartyKind.ORGANISATION, Party.merged_into_id.is_(None))
        .order_by(Party.name)
    ).all()


def match_sender(session: Session, address: str | None) -> tuple[Party | None, str | None]:
    """The register's party for a sender's address: (party, how) with how "email" (that
    very address) or "domain" (an organisation owning the address's domain)."""
    address = normalise_email(address)
    if not address:
        return None, None
    party = session.exec(_BY_EMAIL, params={"email": address}).first()
    if party is not None:
        return party, "email"
    domain = email_domain(address)
    if domain:
        party = session.exec(_BY_DOMAIN, params={"domain": domain}).first()
        if party is not None:
            return party, "domain"
    return None, None


def find_or_register(
    session: Session, *, name: str | None, organisation: str | None, email: str | None
) -> Party | None:
    """The party a counterpart typed as text is, registering it when it is new.

    The same person or organisation is recognised by the e-mail address (any case), else
    by exactly the same name and organisation.
    """
    email = normalise_email(email)
    name, organisation = _clean(name), _clean(organisation)
    if email:
        found, how = match_sender(session, email)
        if how == "email":
            return found
    org = None
    if organisation:
        org = session.exec(
            select(Party).where(
                Party.kind == PartyKind.ORGANISATION,
                Party.name == organisation,
                Party.merged_into_id.is_(None),
            )
        ).first()
        if org is None:
            org = create_party(session, kind=PartyKind.ORGANISATION, name=organisation)
    if name:
        same = session.exec(
            select(Party).where(
                Party.kind == PartyKind.PERSON,
                Party.name == name,
                (Party.organisation_id == org.id) if org else Party.organisation_id.is_(None),
                Party.merged_into_id.is_(None),
            )
        ).first()
        if same is not None and (same.email is None or email is None or same.email == email):
            return same
        return create_party(
            session,
            kind=PartyKind.PERSON,
            name=name,
            email=email,
            organisation_id=org.id if org else None,
        )
    if org is not None:
        return org
    if email:
        return create_party(session, kind=PartyKind.PERSON, name=email, email=email)
    return None


def duplicate_groups(session: Session) -> list[list[Party]]:
    """Parties that look like one: the same e-mail address, or the same name (and
    organisation). Each group is listed oldest first; merged parties are left out."""
    live = Party.merged_into_id.is_(None)
    groups: list[list[Party]] = []
    seen: set[int] = set()
    emails = session.exec(
        select(Party.email)
        .where(live, Party.email.is_not(None))
        .group_by(Party.email)
        .having(func.count() > 1)
    ).all()
    names = session.exec(
        select(Party.kind, Party.name, Party.organisation_id)
        .where(live)
        .group_by(Party.kind, Party.name, Party.organisation_id)
        .having(func.count() > 1)
    ).all()
    candidates = [select(Party).where(live, Party.email == e) for e in emails] + [
        select(Party).where(
            live,
            Party.kind == kind,
            Party.name == name,
            Party.organisation_id == org if org is not None else Party.organisation_id.is_(None),
        )
        for kind, name, org in names
    ]
    for stmt in candidates:
        group = [p for p in session.exec(stmt.order_by(Party.id)).all() if p.id not in seen]
        if len(group) > 1:
            seen.update(p.id for p in group)
            groups.append(group)
    return groups


def _references():
    """Every column that points at a party, whichever domain owns its table.

    Found in the metadata, so the register re-links cases, documents and mail without
    importing them (they sit above it). ``merged_into_id`` is the merge's own record.
    """
    for table in SQLModel.metadata.tables.values():
        for fk in table.foreign_keys:
            if fk.column.table.name == "party" and fk.parent.name != "merged_into_id":
                yield table, fk.parent


def merge_parties(session: Session, keep: Party, duplicate: Party) -> dict[str, int]:
    """Merge ``duplicate`` into ``keep``: every registration pointing at the duplicate
    points at ``keep`` afterwards. The text cases and documents were registered with is
    left as it was. Returns how many rows were re-linked per table."""
    if keep.id == duplicate.id:
        raise ValidationError(_l("Choose two different parties to merge."))
    if keep.merged_into_id is not None or duplicate.merged_into_id is not None:
        raise ValidationError(_l("A party already merged cannot be merged again."))
    if keep.kind != duplicate.kind:
        raise ValidationError(_l("An organisation and a person cannot be merged."))
    before = party_snapshot(duplicate)
    moved = {}
    for table, column in _references():
        result = session.execute(
            sa.update(table).where(column == duplicate.id).values({column.name: keep.id})
        )
        if result.rowcount:
            moved[f"{table.name}.{column.name}"] = result.rowcount
    session.expire_all()
    keep, duplicate = session.get(Party, keep.id), session.get(Party, duplicate.id)
    # What only the duplicate knew is kept; what both knew stays as the kept one has it.
    keep.email = keep.email or duplicate.email
    keep.phone = keep.phone or duplicate.phone
    keep.is_protected = keep.is_protected or duplicate.is_protected
    keep.org_number = keep.org_number or duplicate.org_number
    keep.postal_address = keep.postal_address or duplicate.postal_address
    duplicate.merged_into_id = keep.id
    keep.updated_at = duplicate.updated_at = now()
    session.flush()
    audit.record(
        session,
        "party.merge",
        keep,
        before={"duplicate": before},
        after={"merged_party_id": duplicate.id, "relinked": moved, **party_snapshot(keep)},
    )
    return moved

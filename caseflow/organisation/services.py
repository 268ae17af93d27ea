"""The organisation profile and the register of units."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import formataddr

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.common import audit
from caseflow.common.errors import NotFound, ValidationError
from caseflow.common.identity import normalise_org_number
from caseflow.common.timeutil import now
from caseflow.db import get_engine, new_session
from caseflow.organisation.models import PROFILE_ID, OrganisationProfile, Unit

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: A telephone number as people write it: "063-14 75 00", "+46 63 14 75 00".
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-–]{3,30}$")
#: A web address printed on documents and linked on pages: http(s) only.
_WEB = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
_BARE_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)*\.[a-z]{2,}(/\S*)?$", re.IGNORECASE)
MAX_LOGO_BYTES = 512 * 1024
_LOGO_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def checked_org_number(text: str | None) -> str | None:
    """``5565555555`` or ``556555-5555`` → ``556555-5555``; a wrong check digit is refused."""
    text = (text or "").strip()
    if not text:
        return None
    number = normalise_org_number(text)
    if number is None:
        raise ValidationError(
            _l("»%(number)s« is not a valid organisation number (NNNNNN-NNNN).", number=text)
        )
    return number


# --- the profile -------------------------------------------------------------------


def one_line(address: str | None) -> str:
    """An address typed on several lines, as one line: "Box 654, 831 27 Östersund"."""
    return ", ".join(line.strip() for line in (address or "").splitlines() if line.strip())


@dataclass(frozen=True)
class ProfileSnapshot:
    """The profile as plain values, for templates, documents and e-mail."""

    name: str
    org_number: str
    postal_address: str
    phone: str
    email: str
    web: str
    has_logo: bool
    logo: bytes | None = None

    @property
    def address_line(self) -> str:
        """The postal address on one line (a page's footer)."""
        return one_line(self.postal_address)

    @property
    def images(self) -> dict[str, bytes]:
        """What document templates place as images (``organisation_logo``)."""
        return {"organisation_logo": self.logo} if self.logo else {}

    def as_context(self) -> dict[str, str]:
        """What document templates receive (``organisation_name`` and its siblings)."""
        return {
            "organisation_name": self.name,
            "organisation_number": self.org_number,
            # Templates print it inside a line (a footer, a sentence).
            "organisation_address": one_line(self.postal_address),
            "organisation_phone": self.phone,
            "organisation_email": self.email,
            "organisation_web": self.web,
            "organisation_logo": "",  # an image in its place when there is one (images)
        }


def _config(key: str) -> str:
    return (current_app.config.get(key) or "") if has_app_context() else ""


def get_profile(session: Session) -> OrganisationProfile:
    """The saved profile; before an admin saves one, the configured defaults (not stored)."""
    profile = session.get(OrganisationProfile, PROFILE_ID)
    if profile is None:
        profile = OrganisationProfile(
            id=PROFILE_ID,
            name=_config("ORGANISATION_NAME") or "caseflow",
            postal_address=_config("ORGANISATION_ADDRESS") or None,
        )
    return profile


def profile_snapshot(session: Session) -> ProfileSnapshot:
    profile = get_profile(session)
    return ProfileSnapshot(
        name=profile.name,
        org_number=profile.org_number or "",
        postal_address=profile.postal_address or "",
        phone=profile.phone or "",
        email=profile.email or "",
        web=profile.web or "",
        has_logo=profile.logo is not None,
        logo=profile.logo,
    )


def profile_sender() -> str:
    """The organisation's name and e-mail address as a sender ("" without an address),
    read in a session of its own: mail is sent after the request's commit."""
    session = new_session(get_engine())
    try:
        profile = get_profile(session)
        return formataddr((profile.name, profile.email)) if profile.email else ""
    finally:
        session.close()


_PROFILE_FIELDS = ("name", "org_number", "postal_address", "phone", "email", "web")


def _profile_values(profile: OrganisationProfile) -> dict:
    values = {name: getattr(profile, name) for name in _PROFILE_FIELDS}
    values["logo"] = profile.logo_type and f"{profile.logo_type}, {len(profile.logo or b'')} B"
    return values


def logo_type(data: bytes) -> str:
    """The image type of an uploaded logo, from its bytes; anything else is refused."""
    if len(data) > MAX_LOGO_BYTES:
        raise ValidationError(_l("The logo may be at most 512 kB."))
    for magic, kind in _LOGO_TYPES:
        if data.startswith(magic):
            return kind
    raise ValidationError(_l("The logo must be a PNG or JPEG image."))


def update_profile(
    session: Session,
    *,
    name: str,
    org_number: str | None = None,
    postal_address: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    web: str | None = None,
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> OrganisationProfile:
    """Save the profile (the first save stores it); audited with before and after."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_l("Give the name of the organisation."))
    email = (email or "").strip() or None
    if email and not _EMAIL.match(email):
        raise ValidationError(_l("»%(email)s« is not an e-mail address.", email=email))
    phone = (phone or "").strip() or None
    if phone and not _PHONE.match(phone):
        raise ValidationError(
            _l("»%(phone)s« is not a telephone number (digits, spaces, + - ( ) only).", phone=phone)
        )
    web = (web or "").strip() or None
    if web and _BARE_DOMAIN.match(web):  # "www.walkby.se" as people type it
        web = f"https://{web}"
    if web and not _WEB.match(web):
        raise ValidationError(
            _l("»%(web)s« is not a web address: write it as https://…", web=web[:200])
        )
    stored = session.get(OrganisationProfile, PROFILE_ID)
    profile = stored or get_profile(session)
    before = _profile_values(profile) if stored else None
    profile.name = name
    profile.org_number = checked_org_number(org_number)
    profile.postal_address = (postal_address or "").strip() or None
    profile.phone = phone
    profile.email = email
    profile.web = web
    if logo:
        profile.logo_type = logo_type(logo)
        profile.logo = logo
    elif remove_logo:
        profile.logo = profile.logo_type = None
    profile.updated_at = now()
    session.add(profile)
    session.flush()
    audit.record(
        session, "organisation.update", profile, before=before, after=_profile_values(profile)
    )
    return profile


# --- units -------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_l("Give the name of the unit."))
    # The key is checked too: case-folding lengthens some letters ("ß" → "ss").
    if len(name) > 200 or len(name.casefold()) > 200:
        raise ValidationError(_l("The name of the unit may be at most 200 characters."))
    return name


def find_unit(session: Session, name: str) -> Unit | None:
    """The unit of that name, compared without regard to case."""
    key = unit_key(name)
    return session.exec(select(Unit).where(Unit.name_key == key)).first() if key else None


def unit_key(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def get_unit(session: Session, name: str) -> Unit:
    unit = find_unit(session, name)
    if unit is None:
        raise NotFound(_l("There is no unit »%(name)s«.", name=name))
    return unit


def unit_by_id(session: Session, unit_id: int | None, *, for_new_use: bool = True) -> Unit | None:
    """The unit a form chose; a deactivated unit cannot be given to new cases or users."""
    if not unit_id:
        return None
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound(_l("That unit does not exist."))
    if for_new_use and not unit.is_active:
        raise ValidationError(_l("The unit »%(name)s« is no longer in use.", name=unit.name))
    return unit


def _check_parent(session: Session, unit: Unit | None, parent: Unit | None) -> None:
    seen = parent
    while seen is not None:
        if unit is not None and seen.id == unit.id:
            raise ValidationError(_l("A unit cannot be placed inside itself."))
        seen = session.get(Unit, seen.parent_id) if seen.parent_id else None


def _check_parent_open(parent: Unit | None) -> None:
    if parent is not None and not parent.is_active:
        raise ValidationError(_l("The unit »%(name)s« is no longer in use.", name=parent.name))


def create_unit(session: Session, *, name: str, parent: Unit | None = None) -> Unit:
    """Add a unit; a closed unit takes no new sub-units, as it takes no new cases."""
    name = _clean_name(name)
    if find_unit(session, name) is not None:
        raise ValidationError(_l("There is already a unit »%(name)s«.", name=name))
    _check_parent_open(parent)
    unit = Unit(name=name, name_key=unit_key(name), parent_id=parent.id if parent else None)
    session.add(unit)
    session.flush()
    audit.record(session, "unit.create", unit, after={"name": name, "parent": _name(parent)})
    return unit


def _name(unit: Unit | None) -> str | None:
    return unit.name if unit is not None else None


def update_unit(session: Session, unit: Unit, *, name: str, parent: Unit | None) -> Unit:
    """Rename or move a unit; cases and users follow, since they refer to it."""
    name = _clean_name(name)
    other = find_unit(session, name)
    if other is not None and other.id != unit.id:
        raise ValidationError(_l("There is already a unit »%(name)s«.", name=name))
    _check_parent(session, unit, parent)
    if parent is not None and parent.id != unit.parent_id:
        _check_parent_open(parent)  # staying inside a closed unit is fine, moving into one not
    old_parent = session.get(Unit, unit.parent_id) if unit.parent_id else None
    before = {"name": unit.name, "parent": _name(old_parent)}
    unit.name = name
    unit.name_key = unit_key(name)
    unit.parent_id = parent.id if parent else None
    session.add(unit)
    session.flush()
    audit.record(
        session, "unit.update", unit, before=before, after={"name": name, "parent": _name(parent)}
    )
    return unit


def set_unit_active(session: Session, unit: Unit, active: bool) -> Unit:
    """Units are never deleted (cases refer to them); a closed unit takes no new cases."""
    if unit.is_active == active:
        return unit
    unit.is_active = active
    session.add(unit)
    session.flush()
    audit.record(
        session,
        "unit.reactivate" if active else "unit.deactivate",
        unit,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return unit


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    path: str
    depth: int


def unit_tree(session: Session, *, active_only: bool = False) -> list[UnitRow]:
    """Every unit in tree order, each with its path ("Regional utveckling › Näringsliv")."""
    units = session.exec(select(Unit)).all()
    children: dict[int | None, list[Unit]] = {}
    known = {unit.id for unit in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in known else None
        children.setdefault(parent, []).append(unit)
    rows: list[UnitRow] = []

    def walk(parent_id, prefix, depth):
        for unit in sorted(children.get(parent_id, []), key=lambda u: u.name.casefold()):
            path = f"{prefix} › {unit.name}" if prefix else unit.name
            if unit.is_active or not active_only:
                rows.append(UnitRow(unit=unit, path=path, depth=depth))
            walk(unit.id, path, depth + 1)

    walk(None, "", 0)
    return rows


def unit_choices(session: Session, *, current: Unit | None = None) -> list[tuple[int, str]]:
    """Active units for a form's select, plus the one already chosen even when closed."""
    rows = [(row.unit.id, row.path) for row in unit_tree(session, active_only=True)]
    if current is not None and not current.is_active:
        rows.append((current.id, current.name))
    return rows


def unit_for_name(session: Session, name: str | None, *, create: bool = False) -> Unit | None:
    """The unit a script or an import names; with ``create``, a missing one is added."""
    if not (name or "").strip():
        return None
    unit = find_unit(session, name)
    if unit is None:
        if not create:
            raise NotFound(_l("There is no unit »%(name)s«.", name=name))
        unit = create_unit(session, name=name)
    return unit

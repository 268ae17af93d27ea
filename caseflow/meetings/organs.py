"""The register of decision bodies (organ) and their members."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.cases.models import Series
from caseflow.cases.series import series_by_code
from caseflow.common import audit
from caseflow.common.errors import NotFound, ValidationError
from caseflow.meetings.justering_models import MeetingSignature
from caseflow.meetings.models import MeetingAttendee, MemberRole, Organ, OrganMember

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _text(value: str | None, limit: int, missing=None) -> str | None:
    value = " ".join((value or "").split())
    if not value:
        if missing is not None:
            raise ValidationError(missing)
        return None
    if len(value) > limit:
        raise ValidationError(_l("»%(text)s« is too long.", text=value[:40] + "…"))
    return value


def find_organ(session: Session, name: str) -> Organ | None:
    """A body by its name or short name, ignoring letter case."""
    wanted = " ".join((name or "").split()).casefold()
    if not wanted:
        return None
    for organ in session.exec(select(Organ)).all():
        if wanted in (organ.name.casefold(), (organ.short_name or "").casefold()):
            return organ
    return None


def organ_by_name(session: Session, name: str) -> Organ:
    organ = find_organ(session, name)
    if organ is None:
        raise NotFound(_l("There is no decision body »%(name)s«.", name=name))
    return organ


def organ_for_meeting(session: Session, organ_id: int | None) -> Organ:
    """The body a new meeting is for: it must be in the register and in use."""
    organ = session.get(Organ, organ_id) if organ_id else None
    if organ is None:
        raise ValidationError(_l("Choose the decision body from the register."))
    if not organ.is_active:
        raise ValidationError(_l("%(name)s is no longer in use.", name=organ.name))
    return organ


def _series(session: Session, code: str | None) -> Series | None:
    return series_by_code(session, code) if (code or "").strip() else None


def organ_values(session: Session, organ: Organ) -> dict:
    series = session.get(Series, organ.series_id) if organ.series_id else None
    return {
        "name": organ.name,
        "short_name": organ.short_name,
        "series": series.code if series else None,
        "chair_title": organ.chair_title,
        "is_active": organ.is_active,
    }


def create_organ(
    session: Session,
    *,
    name: str,
    short_name: str | None = None,
    series_code: str | None = None,
    chair_title: str | None = None,
) -> Organ:
    name = _text(name, 200, _l("Give the name of the decision body."))
    if find_organ(session, name) is not None:
        raise ValidationError(_l("There is already a decision body »%(name)s«.", name=name))
    short_name = _text(short_name, 40)
    if short_name and find_organ(session, short_name) is not None:
        raise ValidationError(_l("There is already a decision body »%(name)s«.", name=short_name))
    series = _series(session, series_code)
    organ = Organ(
        name=name,
        short_name=short_name,
        series_id=series.id if series else None,
        chair_title=_text(chair_title, 100) or "Ordförande",
    )
    session.add(organ)
    session.flush()
    audit.record(session, "organ.create", organ, after=organ_values(session, organ))
    return organ


def update_organ(
    session: Session,
    organ: Organ,
    *,
    name: str,
    short_name: str | None,
    series_code: str | None,
    chair_title: str | None,
    is_active: bool = True,
) -> Organ:
    before = organ_values(session, organ)
    name = _text(name, 200, _l("Give the name of the decision body."))
    short_name = _text(short_name, 40)
    for wanted in filter(None, (name, short_name)):
        other = find_organ(session, wanted)
        if other is not None and other.id != organ.id:
            raise ValidationError(_l("There is already a decision body »%(name)s«.", name=wanted))
    series = _series(session, series_code)
    organ.name = name
    organ.short_name = short_name
    organ.series_id = series.id if series else None
    organ.chair_title = _text(chair_title, 100) or "Ordförande"
    organ.is_active = is_active
    session.add(organ)
    session.flush()
    after = organ_values(session, organ)
    if after != before:
        audit.record(session, "organ.update", organ, before=before, after=after)
    return organ


def list_organs(session: Session, *, active_only: bool = False) -> list[Organ]:
    query = select(Organ).order_by(Organ.is_active.desc(), Organ.name)
    if active_only:
        query = query.where(Organ.is_active)
    return list(session.exec(query).all())


def organ_to_dict(session: Session, organ: Organ, *, members: bool = False) -> dict:
    data = organ_values(session, organ)
    if members:
        data["members"] = [member_to_dict(m) for m in organ_members(session, organ)]
    return data


# --- members -----------------------------------------------------------------------


def _member_values(member: OrganMember) -> dict:
    return {
        "name": member.name,
        "role": member.role,
        "term_from": member.term_from,
        "term_to": member.term_to,
        "email": member.email,
        "affiliation": member.affiliation,
    }


def member_to_dict(member: OrganMember) -> dict:
    return {"id": member.id, **_member_values(member)}


def _validated_member(name, role, term_from, term_to, email, affiliation) -> dict:
    name = _text(name, 200, _l("Give the member's name."))
    if role not in {r.value for r in MemberRole}:
        raise ValidationError(_l("Choose the member's role."))
    if term_from is None:
        raise ValidationError(_l("Give the first day of the term of office."))
    if term_to is not None and term_to < term_from:
        raise ValidationError(_l("The term of office cannot end before it begins."))
    email = _text(email, 254)
    if email and not _EMAIL.match(email):
        raise ValidationError(_l("»%(email)s« is not an e-mail address.", email=email))
    return {
        "name": name,
        "role": role,
        "term_from": term_from,
        "term_to": term_to,
        "email": email,
        "affiliation": _text(affiliation, 100),
    }


def add_member(
    session: Session,
    organ: Organ,
    *,
    name: str,
    role: str,
    term_from: date | None,
    term_to: date | None = None,
    email: str | None = None,
    affiliation: str | None = None,
) -> OrganMember:
    values = _validated_member(name, role, term_from, term_to, email, affiliation)
    member = OrganMember(organ_id=organ.id, **values)
    session.add(member)
    session.flush()
    audit.record(session, "organ.member_add", organ, after=_member_values(member))
    return member


def update_member(session: Session, member: OrganMember, **changes) -> OrganMember:
    before = _member_values(member)
    values = _validated_member(
        changes.get("name"),
        changes.get("role"),
        changes.get("term_from"),
        changes.get("term_to"),
        changes.get("email"),
        changes.get("affiliation"),
    )
    for name, value in values.items():
        setattr(member, name, value)
    session.add(member)
    session.flush()
    organ = session.get(Organ, member.organ_id)
    audit.record(session, "organ.member_update", organ, before=before, after=values)
    return member


def remove_member(session: Session, member: OrganMember) -> None:
    """For a member entered by mistake; a member who leaves gets an end to the term instead.

    Protocols keep the names as they were recorded: a meeting's list keeps the person, no
    longer linked to the register.
    """
    organ = session.get(Organ, member.organ_id)
    asked = select(MeetingSignature.id).where(MeetingSignature.member_id == member.id)
    if session.exec(asked).first() is not None:
        raise ValidationError(
            _l(
                "%(name)s has been asked to attest a protocol and stays in the register: "
                "give the term of office an end instead.",
                name=member.name,
            )
        )
    audit.record(session, "organ.member_remove", organ, before=_member_values(member))
    listed = select(MeetingAttendee).where(MeetingAttendee.member_id == member.id)
    for attendee in session.exec(listed).all():
        attendee.member_id = None
    session.flush()
    session.delete(member)
    session.flush()


def organ_members(session: Session, organ: Organ, *, on: date | None = None) -> list[OrganMember]:
    """The members in role order (ordförande first), those serving ``on`` a day if given."""
    order = {role.value: index for index, role in enumerate(MemberRole)}
    members = session.exec(select(OrganMember).where(OrganMember.organ_id == organ.id)).all()
    if on is not None:
        members = [m for m in members if m.serves_on(on)]
    return sorted(members, key=lambda m: (order.get(m.role, 99), m.name.casefold(), m.term_from))


def member_names(session: Session, organ: Organ, on: date) -> set[str]:
    return {m.name for m in organ_members(session, organ, on=on)}

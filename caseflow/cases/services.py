"""Opening, editing and voiding cases. Services flush and never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import object_session
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, select

from caseflow.auth.models import User
from caseflow.cases.models import Case, CaseParty, CaseStatus, Series
from caseflow.cases.numbering import (
    DEFAULT_FORMAT,
    allocate_case_number,
    format_number,
    parse_number,
)
from caseflow.common import audit
from caseflow.common.errors import ConflictError, NotFound, ValidationError
from caseflow.common.timeutil import now, today
from caseflow.organisation.models import Unit

#: Fields a registrar may correct after registration, and how the audit trail names them.
EDITABLE_FIELDS = (
    "title",
    "title_is_secret",
    "public_title",
    "secrecy_provision",
    "description",
    "description_is_secret",
    "parties_are_secret",
    "officer_id",
    "unit_id",
    "classification_code",
    "due_on",
)


@dataclass
class PartyCreate:
    name: str | None = None
    organisation: str | None = None
    email: str | None = None

    def is_empty(self) -> bool:
        return not (self.name or self.organisation or self.email)


def number_format() -> str:
    if has_app_context():
        return current_app.config.get("CASE_NUMBER_FORMAT", DEFAULT_FORMAT)
    return DEFAULT_FORMAT


def case_snapshot(case: Case) -> dict:
    """The case's registration data, as the audit trail records it."""
    data = {name: getattr(case, name) for name in EDITABLE_FIELDS}
    # The trail names the unit, as a reader of the timeline knows it.
    unit = object_session(case).get(Unit, case.unit_id) if case.unit_id else None
    data["unit"] = unit.name if unit else None
    del data["unit_id"]
    data.update(number=case.number, status=case.status, opened_on=case.opened_on)
    data["parties"] = [p.label for p in case.parties]
    return data


def get_series(session: Session, code: str) -> Series:
    series = session.exec(select(Series).where(Series.code == (code or "").upper())).first()
    if series is None:
        raise NotFound(_l("The series »%(code)s« does not exist.", code=code))
    if not series.is_active:
        raise ValidationError(_l("The series »%(code)s« is closed to new cases.", code=code))
    return series


def get_case_by_number(session: Session, number: str) -> Case:
    """Find a case by its number, written in any letter case and with stray spaces."""
    parsed = parse_number(number, number_format())
    case = session.exec(select(Case).where(Case.number == parsed.format(number_format()))).first()
    if case is None:
        raise NotFound(_l("Case %(number)s does not exist.", number=parsed.format(number_format())))
    return case


def _validate_title(title: str, title_is_secret: bool, public_title, provision) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError(_l("The case title is missing."))
    if len(title) > 500:
        raise ValidationError(_l("The case title may be at most 500 characters long."))
    if title_is_secret and not (provision or "").strip():
        raise ValidationError(
            _l("Give the secrecy provision (e.g. OSL 21 kap. 1 §) for the case title.")
        )
    if title_is_secret and not (public_title or "").strip():
        raise ValidationError(_l("Give a public title when the case title is secret."))
    return title


def _require_provision(has_secret_field: bool, provision: str | None) -> None:
    if has_secret_field and not (provision or "").strip():
        raise ValidationError(
            _l("Give the secrecy provision (e.g. OSL 21 kap. 1 §) for the secret fields.")
        )


def open_case(
    session: Session,
    *,
    series_code: str,
    title: str,
    officer: User | None = None,
    year: int | None = None,
    unit: Unit | None = None,
    description: str | None = None,
    parties: list[PartyCreate] | None = None,
    title_is_secret: bool = False,
    public_title: str | None = None,
    secrecy_provision: str | None = None,
    description_is_secret: bool = False,
    parties_are_secret: bool = False,
    classification_code: str | None = None,
    due_on: date | None = None,
    opened_on: date | None = None,
) -> Case:
    """Register a new case with the next number of its series and year."""
    series = get_series(session, series_code)
    title = _validate_title(title, title_is_secret, public_title, secrecy_provision)
    _require_provision(description_is_secret or parties_are_secret, secrecy_provision)
    opened_on = opened_on or today()
    year = year or opened_on.year
    if not 1900 <= year <= 2999:
        raise ValidationError(_l("The year %(year)s is not valid.", year=year))
    if officer is not None and not officer.is_enabled:
        raise ValidationError(
            _l("%(name)s is not active and cannot be the officer.", name=officer.name)
        )
    case = Case(
        series_id=series.id,
        year=year,
        seq=0,
        number="",
        title=title,
        title_is_secret=title_is_secret,
        public_title=(public_title or "").strip() or None,
        secrecy_provision=(secrecy_provision or "").strip() or None,
        description=description,
        description_is_secret=bool(description_is_secret),
        parties_are_secret=bool(parties_are_secret),
        officer_id=officer.id if officer else None,
        unit_id=unit.id if unit else (officer.unit_id if officer else None),
        classification_code=classification_code or None,
        due_on=due_on,
        opened_on=opened_on,
        created_by_id=getattr(audit.current_actor(), "id", None),
        status=CaseStatus.REGISTERED,
    )
    case.parties = [
        CaseParty(name=p.name, organisation=p.organisation, email=p.email)
        for p in (parties or [])
        if not p.is_empty()
    ]
    # The number last: the counter stays locked from here until the commit.
    case.seq = allocate_case_number(session, series, year)
    case.number = format_number(number_format(), series.code, case.seq, year)
    session.add(case)
    session.flush()
    audit.record(session, "case.open", case, case=case, after=case_snapshot(case))
    return case


def update_case(session: Session, case: Case, *, expected_version: int, **changes) -> Case:
    """Correct a case's registration data, refusing saves based on an older version."""
    if case.is_voided:
        raise ValidationError(
            _l("Case %(number)s is void and cannot be changed.", number=case.number)
        )
    if expected_version != case.version:
        raise ConflictError(
            _l(
                "Someone else has changed case %(number)s since you opened it. "
                "Reload the page and make your changes again.",
                number=case.number,
            )
        )
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_l("Unknown fields: %(fields)s", fields=", ".join(sorted(unknown))))
    merged = {name: changes.get(name, getattr(case, name)) for name in EDITABLE_FIELDS}
    merged["title"] = _validate_title(
        merged["title"],
        merged["title_is_secret"],
        merged["public_title"],
        merged["secrecy_provision"],
    )
    _require_provision(
        merged["description_is_secret"] or merged["parties_are_secret"], merged["secrecy_provision"]
    )
    before = case_snapshot(case)
    for name, value in merged.items():
        setattr(case, name, value)
    if case_snapshot(case) == before:
        return case
    case.updated_at = now()
    number = case.number
    try:
        session.flush()
        session.expire(case, ["unit"])  # the relationship follows the corrected unit_id
    except StaleDataError as exc:
        raise ConflictError(
            _l(
                "Someone else changed case %(number)s at the same time. Reload the page.",
                number=number,
            )
        ) from exc
    audit.record(session, "case.update", case, case=case, before=before, after=case_snapshot(case))
    return case


def void_case(session: Session, case: Case, *, reason: str) -> Case:
    """Makulera: the case stays in the register, marked void, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_l("Give a reason for voiding."))
    if case.is_voided:
        raise ValidationError(_l("Case %(number)s is already void.", number=case.number))
    case.voided_at = now()
    case.voided_by_id = getattr(audit.current_actor(), "id", None)
    case.void_reason = reason
    session.flush()
    audit.record(session, "case.void", case, case=case, after={"reason": reason})
    return case


def add_party(
    session: Session,
    case: Case,
    *,
    name: str | None,
    organisation: str | None,
    email: str | None,
    user: User | None = None,
) -> CaseParty:
    """Add a counterpart (a person, an organisation or an address) to an open register entry."""
    data = PartyCreate(
        name=(name or "").strip() or None,
        organisation=(organisation or "").strip() or None,
        email=(email or "").strip() or None,
    )
    if data.is_empty():
        raise ValidationError(_l("Give a name, an organisation or a valid e-mail address."))
    if case.is_voided:
        raise ValidationError(
            _l("Case %(number)s is voided and cannot be changed.", number=case.number)
        )
    party = CaseParty(
        case_id=case.id, name=data.name, organisation=data.organisation, email=data.email
    )
    session.add(party)
    session.flush()
    audit.record(
        session, "case.add_party", party, case=case, after={"party": party.label}, actor=user
    )
    return party

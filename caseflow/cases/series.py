"""The register of series (diarieserier): created and renamed by an admin, never deleted."""

from __future__ import annotations

import re
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, func, select

from caseflow.cases.models import Case, Series
from caseflow.common import audit
from caseflow.common.errors import NotFound, ValidationError

#: Letters only, at most six: the form the case number recognisers (in mail subjects, in
#: search) read as a series. Swedish letters are allowed; digits would make "RS2/720/2021"
#: ambiguous with the running number.
_CODE = re.compile(r"^[A-ZÅÄÖ]{1,6}$")


def normalise_code(code: str | None) -> str:
    code = (code or "").strip().upper()
    if not _CODE.match(code):
        raise ValidationError(
            _l(
                "»%(code)s« cannot be a series code: use one to six letters, e.g. KS.",
                code=code or "",
            )
        )
    return code


def find_series(session: Session, code: str) -> Series | None:
    return session.exec(select(Series).where(Series.code == (code or "").strip().upper())).first()


def series_by_code(session: Session, code: str) -> Series:
    """The series of that code, open or closed."""
    series = find_series(session, code)
    if series is None:
        raise NotFound(_l("The series »%(code)s« does not exist.", code=code))
    return series


def _clean_name(name: str | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_l("Give the name of the series."))
    if len(name) > 200:
        raise ValidationError(_l("The name of the series may be at most 200 characters."))
    return name


def parse_files_from(value: str | date | None) -> date | None:
    """The date from which a series publishes files, as typed (2021-01-01); empty: none."""
    if isinstance(value, date) or value is None:
        return value
    text = value.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(
            _l(
                "»%(value)s« is not a date: write the date from which the series publishes "
                "files as year-month-day, e.g. 2021-01-01.",
                value=text,
            )
        ) from None


def configured_files_from(code: str) -> date | None:
    """The date the instance's ``PUBLIC_FILES_FROM`` gives the series, if any."""
    value = (current_app.config.get("PUBLIC_FILES_FROM") or {}).get(code)
    if value is None:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def files_published_from(series: Series) -> date | None:
    """From which document date the series publishes the files a registrar marks
    published: the series' own date, else ``PUBLIC_FILES_FROM`` (kept for instances that
    set it there); None: it publishes no files."""
    return series.publish_files_from or configured_files_from(series.code)


def create_series(
    session: Session, *, code: str, name: str, publish_files_from: str | date | None = None
) -> Series:
    code = normalise_code(code)
    name = _clean_name(name)
    files_from = parse_files_from(publish_files_from)
    if find_series(session, code) is not None:
        raise ValidationError(_l("The series %(code)s already exists.", code=code))
    series = Series(code=code, name=name, publish_files_from=files_from)
    session.add(series)
    session.flush()
    after = {"code": code, "name": name}
    if files_from is not None:
        after["publish_files_from"] = files_from.isoformat()
    audit.record(session, "series.create", series, after=after)
    return series


def set_files_from(session: Session, series: Series, value: str | date | None) -> Series:
    """Set (or, empty, clear) the date from which the series publishes files."""
    files_from = parse_files_from(value)
    if files_from != series.publish_files_from:
        before = {"publish_files_from": _iso(series.publish_files_from)}
        series.publish_files_from = files_from
        session.add(series)
        session.flush()
        audit.record(
            session,
            "series.files_from",
            series,
            before=before,
            after={"publish_files_from": _iso(files_from)},
        )
    return series


def update_series(
    session: Session, series: Series, *, name: str, publish_files_from: str | date | None
) -> Series:
    """The admin's form: the name and the date from which the series publishes files.
    Both are checked before either is changed."""
    parse_files_from(publish_files_from)
    rename_series(session, series, name=name)
    return set_files_from(session, series, publish_files_from)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def rename_series(session: Session, series: Series, *, name: str) -> Series:
    """The code is part of every case number given, so only the name can change."""
    name = _clean_name(name)
    if name != series.name:
        before = {"name": series.name}
        series.name = name
        session.add(series)
        session.flush()
        audit.record(session, "series.update", series, before=before, after={"name": name})
    return series


def set_series_active(session: Session, series: Series, active: bool) -> Series:
    """A closed series keeps its cases and numbers and takes no new cases."""
    if series.is_active != active:
        series.is_active = active
        session.add(series)
        session.flush()
        audit.record(
            session,
            "series.reactivate" if active else "series.deactivate",
            series,
            before={"is_active": not active},
            after={"is_active": active},
        )
    return series


def list_series(session: Session) -> list[tuple[Series, int]]:
    """Every series with how many cases it holds, open ones first."""
    counts = dict(
        session.exec(select(Case.series_id, func.count(Case.id)).group_by(Case.series_id)).all()
    )
    rows = session.exec(select(Series).order_by(Series.is_active.desc(), Series.code)).all()
    return [(series, counts.get(series.id, 0)) for series in rows]


def series_to_dict(series: Series, case_count: int | None = None) -> dict:
    data = {
        "code": series.code,
        "name": series.name,
        "is_active": series.is_active,
        "publish_files_from": _iso(series.publish_files_from),
    }
    if case_count is not None:
        data["cases"] = case_count
    return data


def active_series_choices(session: Session) -> list[tuple[str, str]]:
    rows = session.exec(select(Series).where(Series.is_active).order_by(Series.code)).all()
    return [(s.code, f"{s.code} – {s.name}") for s in rows]

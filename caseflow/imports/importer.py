"""Importing cases from a previous diarium, keeping their numbers.

The whole file is one transaction: any error names the case and field and nothing is
written. Re-importing the same file changes nothing: a case that exists is matched by
number and only documents it does not have yet are added.

The registers the cases refer to come first, so that a file migrates into an empty
instance: the series and the organisational units it lists are created when missing
(``series``, ``units``). A case's or officer's ``unit`` is matched to the unit register by
name (any letter case); one the file does not list and the instance does not have is added
too, since the old diarium's data is what the authority had.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.auth.models import Role, User
from caseflow.auth.services import normalise_email
from caseflow.cases.models import Case, CaseParty, CaseStatus
from caseflow.cases.numbering import format_number, parse_number, raise_counter_to
from caseflow.cases.series import create_series, find_series, normalise_code
from caseflow.cases.services import case_snapshot, get_series, number_format
from caseflow.common import audit
from caseflow.common.errors import CaseflowError, ValidationError
from caseflow.documents.models import Direction, Document
from caseflow.documents.services import IncomingFile, register_document
from caseflow.documents.storage import FileStore
from caseflow.organisation.services import create_unit, find_unit, get_unit, unit_for_name


def load_import_file(path: Path) -> dict:
    """Read and shape-check the import file; a file that cannot be read is a ValidationError."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationError(
            _l("%(where)s: cannot be read (%(error)s).", where=path, error=exc.strerror)
        ) from exc
    except UnicodeDecodeError as exc:
        raise ValidationError(_l("%(where)s: the file is not UTF-8 text.", where=path)) from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _l(
                "%(where)s: not valid JSON (line %(line)s: %(error)s).",
                where=path,
                line=exc.lineno,
                error=exc.msg,
            )
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise ValidationError(_l('%(where)s: expected an object with a list "cases".', where=path))
    if not isinstance(data.get("series", []), list):
        raise ValidationError(_l('%(where)s: "series" must be a list.', where=path))
    if not isinstance(data.get("units", []), list):
        raise ValidationError(_l('%(where)s: "units" must be a list.', where=path))
    return data


def _date(value, where: str, required: bool = True) -> date | None:
    if value in (None, "") and not required:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationError(
            _l("%(where)s: »%(value)s« is not a date (YYYY-MM-DD).", where=where, value=value)
        ) from exc


def _text(item: dict, key: str, where: str, required: bool = True) -> str | None:
    value = item.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(_l("%(where)s: %(key)s is missing.", where=where, key=key))
        return None
    if not isinstance(value, str):
        raise ValidationError(_l("%(where)s: %(key)s must be text.", where=where, key=key))
    return value.strip()


def _officer(session: Session, item: dict, where: str, cache: dict) -> User | None:
    email = _text(item, "officer_email", where, required=False)
    if not email:
        return None
    email = normalise_email(email)
    if email in cache:
        return cache[email]
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        name = _text(item, "officer_name", where, required=False) or email
        unit = unit_for_name(session, _text(item, "unit", where, required=False), create=True)
        user = User(
            email=email,
            name=name,
            role=Role.OFFICIAL,
            unit_id=unit.id if unit else None,
            is_enabled=False,
        )
        session.add(user)
        session.flush()
        audit.record(session, "user.import", user, after={"email": email, "enabled": False})
    cache[email] = user
    return user


def _document_key(direction, title, received_on, counterpart, message_id):
    return message_id or (direction, title, received_on, counterpart)


def import_cases(session: Session, store: FileStore, data: dict, *, base_dir: Path) -> dict:
    """Import every case of ``data``; return counts for the report."""
    report = {"cases_created": 0, "cases_unchanged": 0, "documents_created": 0, "numbers": []}
    report["series_created"] = import_series(session, data.get("series") or [])
    report["units_created"] = import_units(session, data.get("units") or [])
    officers: dict[str, User] = {}
    seen_numbers: set[str] = set()
    for index, item in enumerate(data["cases"], start=1):
        where = _("case %(index)s", index=index)
        if not isinstance(item, dict):
            raise ValidationError(_l("%(where)s: expected an object.", where=where))
        raw_number = _text(item, "number", where)
        where = _("case %(index)s (%(number)s)", index=index, number=raw_number)
        parsed = parse_number(raw_number, number_format())
        number = format_number(number_format(), parsed.series, parsed.seq, parsed.year)
        if number in seen_numbers:
            raise ValidationError(
                _l("%(where)s: the number occurs twice in the file.", where=where)
            )
        seen_numbers.add(number)
        title = _text(item, "title", where)
        status = item.get("status") or CaseStatus.REGISTERED
        if status not in set(CaseStatus):
            raise ValidationError(
                _l("%(where)s: unknown status »%(status)s«.", where=where, status=status)
            )
        opened = _date(item.get("opened"), f"{where}, opened")
        series = get_series(session, parsed.series)
        case = session.exec(select(Case).where(Case.number == number)).first()
        if case is None:
            officer = _officer(session, item, where, officers)
            case = Case(
                series_id=series.id,
                year=parsed.year,
                seq=parsed.seq,
                number=number,
                title=title,
                status=status,
                opened_on=opened,
                closed_on=_date(item.get("closed"), f"{where}, closed", required=False),
                officer_id=officer.id if officer else None,
                unit=unit_for_name(
                    session, _text(item, "unit", where, required=False), create=True
                ),
                description=_text(item, "description", where, required=False),
            )
            case.parties = [_party(p, f"{where}, parties") for p in item.get("parties") or []]
            session.add(case)
            session.flush()
            raise_counter_to(session, series, parsed.year, parsed.seq)
            audit.record(session, "case.import", case, case=case, after=case_snapshot(case))
            report["cases_created"] += 1
        elif case.title != title:
            raise ValidationError(
                _l(
                    "%(where)s: %(number)s already exists with another title (»%(title)s«).",
                    where=where,
                    number=number,
                    title=case.title,
                )
            )
        else:
            report["cases_unchanged"] += 1
        report["documents_created"] += _import_documents(
            session, store, case, item.get("documents") or [], where, base_dir
        )
        report["numbers"].append(number)
    return report


def import_series(session: Session, entries: list) -> list[str]:
    """Create the listed series that do not exist yet; return their codes.

    The codes and names follow the series register's rules (``cases/series.py``). A series
    that exists is kept as it is, but it must have the name the file gives it: a different
    name means the file and the instance mean different series by one code.
    """
    created, seen = [], set()
    for index, raw in enumerate(entries, start=1):
        where = _("series %(index)s", index=index)
        if not isinstance(raw, dict):
            raise ValidationError(_l("%(where)s: expected an object.", where=where))
        raw_code, name = _text(raw, "code", where), _text(raw, "name", where)
        where = _("series %(index)s (%(code)s)", index=index, code=raw_code)
        try:
            code = normalise_code(raw_code)
            if code in seen:
                raise ValidationError(_l("the code occurs twice in the file."))
            seen.add(code)
            series = find_series(session, code)
            if series is None:
                create_series(session, code=code, name=name)
                created.append(code)
            elif series.name != " ".join(name.split()):
                raise ValidationError(
                    _l("the series exists with another name (»%(name)s«).", name=series.name)
                )
        except ValidationError as exc:
            raise ValidationError(_l("%(where)s: %(error)s", where=where, error=str(exc))) from exc
    return created


def import_units(session: Session, entries: list) -> list[str]:
    """Create the listed units that do not exist yet (parents first); return their names.

    Each entry is ``{"name": …}`` with an optional ``"parent"`` naming another unit, listed
    earlier in the file or already in the instance.
    """
    created = []
    for index, raw in enumerate(entries, start=1):
        where = _("unit %(index)s", index=index)
        if not isinstance(raw, dict):
            raise ValidationError(_l("%(where)s: expected an object.", where=where))
        name = _text(raw, "name", where)
        parent_name = _text(raw, "parent", where, required=False)
        try:
            parent = get_unit(session, parent_name) if parent_name else None
            if find_unit(session, name) is None:
                created.append(create_unit(session, name=name, parent=parent).name)
        except CaseflowError as exc:
            where = _("unit %(index)s (%(name)s)", index=index, name=name)
            raise ValidationError(_l("%(where)s: %(error)s", where=where, error=str(exc))) from exc
    return created


def _party(raw, where: str) -> CaseParty:
    if not isinstance(raw, dict):
        raise ValidationError(_l("%(where)s: expected an object.", where=where))
    party = CaseParty(
        name=_text(raw, "name", where, required=False),
        organisation=_text(raw, "organisation", where, required=False),
        email=_text(raw, "email", where, required=False),
    )
    if not (party.name or party.organisation or party.email):
        raise ValidationError(
            _l("%(where)s: a counterpart needs a name, organisation or e-mail.", where=where)
        )
    return party


def _import_documents(session, store, case, documents, where, base_dir: Path) -> int:
    if not isinstance(documents, list):
        raise ValidationError(_l("%(where)s: documents must be a list.", where=where))
    existing = {
        _document_key(d.direction, d.title, d.received_on, d.counterpart, d.message_id)
        for d in session.exec(select(Document).where(Document.case_id == case.id)).all()
    }
    created = 0
    for n, raw in enumerate(documents, start=1):
        dwhere = _("%(where)s, document %(index)s", where=where, index=n)
        if not isinstance(raw, dict):
            raise ValidationError(_l("%(where)s: expected an object.", where=dwhere))
        direction = _text(raw, "direction", dwhere)
        if direction not in set(Direction):
            raise ValidationError(
                _l("%(where)s: direction must be incoming, outgoing or internal.", where=dwhere)
            )
        title = _text(raw, "title", dwhere)
        received_on = _date(raw.get("date"), f"{dwhere}, date")
        counterpart = _text(raw, "counterpart", dwhere)
        message_id = _text(raw, "message_id", dwhere, required=False)
        key = _document_key(direction, title, received_on, counterpart, message_id)
        if key in existing:
            continue
        files = []
        for name in raw.get("files") or []:
            path = (base_dir / str(name)).resolve()
            if not path.is_relative_to(base_dir.resolve()):
                raise ValidationError(
                    _l(
                        "%(where)s: the file %(name)s lies outside the import folder.",
                        where=dwhere,
                        name=name,
                    )
                )
            if not path.is_file():
                raise ValidationError(
                    _l(
                        "%(where)s: the file %(name)s is not next to the import file.",
                        where=dwhere,
                        name=name,
                    )
                )
            files.append(IncomingFile(path.name, path.read_bytes()))
        register_document(
            session,
            store,
            case=case,
            direction=direction,
            title=title,
            counterpart=counterpart,
            received_on=received_on,
            message_id=message_id,
            files=files,
        )
        existing.add(key)
        created += 1
    return created

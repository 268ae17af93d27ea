"""The structure as a file: CSV with a header row, or JSON; imported whole, exported whole.

Columns (CSV) and keys (JSON) — only ``code`` and ``title`` are required:

``code, title, description, parent_code, retention, retention_years, retention_decision,
secrecy_note, active``

``parent_code`` is the code of the parent class; left empty it is derived from the code
("2.3" for "2.3.1"). ``retention`` is ``bevara`` or ``gallra``; ``gallra`` needs
``retention_years`` and ``retention_decision``. ``active`` is ``true`` or ``false``
(a class that exists keeps its state when the column is left out). JSON is a list of such
objects, or an object ``{"classes": [...]}``; an object may hold its sub-classes in a list
``children``, whose parent is then the enclosing class.

An import is one transaction: an error names the line (CSV) or entry (JSON) and nothing is
written. A code that exists is updated; classes not in the file are left as they are.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.classification import services
from caseflow.classification.models import ClassificationClass
from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.timeutil import now

COLUMNS = (
    "code",
    "title",
    "description",
    "parent_code",
    "retention",
    "retention_years",
    "retention_decision",
    "secrecy_note",
    "active",
)
_TRUE = {"true", "1", "yes", "ja", "sant"}
_FALSE = {"false", "0", "no", "nej", "falskt"}


@dataclass
class Entry:
    """One class as a file gives it, and where: "line 4" or "entry 2.1"."""

    where: object
    values: dict


def _fail(where, problem) -> ValidationError:
    return ValidationError(_l("%(where)s: %(problem)s", where=where, problem=problem))


# -- reading ---------------------------------------------------------------------------------


def read_entries(path: Path) -> list[Entry]:
    """Read a CSV or JSON file (told apart by its first character)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_l("%(where)s: the file is not UTF-8 text.", where=path)) from exc
    except OSError as exc:
        raise ValidationError(_l("%(where)s: the file cannot be read.", where=path)) from exc
    if text.lstrip()[:1] in ("[", "{"):
        return parse_json(text, path)
    return parse_csv(text)


def parse_csv(text: str) -> list[Entry]:
    first = text.split("\n", 1)[0]
    # Swedish spreadsheets save CSV with semicolons.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ValidationError(_l("The file is empty.")) from None
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise _fail(_l("line 1"), _l("unknown column »%(name)s«.", name=unknown[0]))
    for required in ("code", "title"):
        if required not in header:
            raise _fail(_l("line 1"), _l("the column »%(name)s« is missing.", name=required))
    entries = []
    try:
        for row in reader:
            where = _l("line %(number)s", number=reader.line_num)
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise _fail(
                    where,
                    _l("%(found)s fields where the header has %(expected)s.",
                       found=len(row), expected=len(header)),
                )  # fmt: skip
            entries.append(Entry(where, dict(zip(header, row, strict=True))))
    except csv.Error as exc:
        raise _fail(_l("line %(number)s", number=reader.line_num), str(exc)) from exc
    return entries


def parse_json(text: str, path) -> list[Entry]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            _l("%(where)s: not valid JSON (line %(line)s: %(error)s).",
               where=path, line=exc.lineno, error=exc.msg)
        ) from exc  # fmt: skip
    if isinstance(data, dict):
        data = data.get("classes")
    if not isinstance(data, list):
        raise ValidationError(
            _l('%(where)s: expected a list of classes or an object with a list "classes".',
               where=path)
        )  # fmt: skip
    entries: list[Entry] = []
    _walk_json(data, "", None, entries)
    return entries


def _walk_json(items: list, prefix: str, parent_code, entries: list[Entry]) -> None:
    for number, item in enumerate(items, start=1):
        label = f"{prefix}{number}"
        where = _l("entry %(number)s", number=label)
        if not isinstance(item, dict):
            raise _fail(where, _l("expected an object with code and title."))
        unknown = [k for k in item if k not in COLUMNS and k != "children"]
        if unknown:
            raise _fail(where, _l("unknown key »%(name)s«.", name=unknown[0]))
        values = {k: v for k, v in item.items() if k != "children"}
        for key, value in values.items():
            if value is not None and not isinstance(value, str | int | bool):
                raise _fail(where, _l("%(key)s must be text or a number.", key=key))
        if parent_code and not values.get("parent_code"):
            values["parent_code"] = parent_code
        entries.append(Entry(where, values))
        children = item.get("children") or []
        if not isinstance(children, list):
            raise _fail(where, _l("children must be a list."))
        _walk_json(children, f"{label}.", str(values.get("code") or "").strip(), entries)


def _active(value, where) -> bool | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise _fail(where, _l("active must be true or false, not »%(value)s«.", value=value))


# -- importing -------------------------------------------------------------------------------


def _as_values(cls: ClassificationClass) -> dict:
    """A class's values in the file's keys (what a re-import starts from)."""
    return {
        "title": cls.title,
        "description": cls.description,
        "retention": services.RETENTION_EXPORT.get(cls.retention_action),
        "retention_years": cls.retention_years,
        "retention_decision": cls.retention_decision,
        "secrecy_note": cls.secrecy_note,
    }


def import_classes(session: Session, entries: list[Entry]) -> dict:
    """Create or update every class the entries give, in one go; link old case codes."""
    codes: dict[str, object] = {}
    for entry in entries:
        try:
            code = services.normalise_code(entry.values.get("code"))
        except ValidationError as exc:
            raise _fail(entry.where, exc.args[0]) from exc
        if code in codes:
            raise _fail(
                entry.where, _l("the code %(code)s is also on %(other)s.", code=code,
                                other=codes[code])
            )  # fmt: skip
        codes[code] = entry.where
        entry.values["code"] = code
    existing = {c.code: c for c in services.all_classes(session)}
    befores: dict[str, dict] = {}
    report = {"created": 0, "updated": 0, "unchanged": 0}
    # First every class with its values, then the parents: a file may name a parent below
    # its children.
    for entry in entries:
        code = entry.values["code"]
        cls = existing.get(code)
        # A column the file leaves out keeps what the class has.
        values = dict(_as_values(cls), **entry.values) if cls is not None else entry.values
        try:
            cleaned = services.clean_values(dict(values, retention_action=values.get("retention")))
        except ValidationError as exc:
            raise _fail(entry.where, exc.args[0]) from exc
        active = _active(entry.values.get("active"), entry.where)
        if cls is None:
            cls = ClassificationClass(code=code, **cleaned)
            cls.is_active = True if active is None else active
            session.add(cls)
            existing[code] = cls
        else:
            befores[code] = services.snapshot(cls, session)
            for name, value in cleaned.items():
                setattr(cls, name, value)
            if active is not None:
                cls.is_active = active
    session.flush()
    for entry in entries:
        cls = existing[entry.values["code"]]
        if cls.code in befores and "parent_code" not in entry.values:
            continue
        try:
            cls.parent_id = services.resolve_parent(
                session, cls.code, entry.values.get("parent_code")
            )
            services.check_parent(session, cls, cls.parent_id)
        except ValidationError as exc:
            raise _fail(entry.where, exc.args[0]) from exc
    session.flush()
    for entry in entries:
        cls = existing[entry.values["code"]]
        if not cls.is_active and services.active_children(session, cls):
            raise _fail(
                entry.where, _l("Deactivate the sub-classes of %(code)s first.", code=cls.code)
            )
    for entry in entries:
        cls = existing[entry.values["code"]]
        after = services.snapshot(cls, session)
        before = befores.get(cls.code)
        if before is None:
            report["created"] += 1
            audit.record(session, "classification.create", cls, after=after)
        elif before != after:
            report["updated"] += 1
            cls.updated_at = now()
            audit.record(session, "classification.update", cls, before=before, after=after)
        else:
            report["unchanged"] += 1
    session.flush()
    report["cases_linked"] = services.run_after_import(session)
    return report


# -- exporting -------------------------------------------------------------------------------


def export_rows(session: Session) -> list[dict]:
    """Every class in tree order, in the import's columns: an export imports back as it was."""
    classes = services.all_classes(session)
    codes = {c.id: c.code for c in classes}
    rows = []
    for row in services.build_tree(classes):
        cls = row["cls"]
        rows.append(
            {
                "code": cls.code,
                "title": cls.title,
                "description": cls.description or "",
                "parent_code": codes.get(cls.parent_id, ""),
                "retention": services.RETENTION_EXPORT.get(cls.retention_action, ""),
                "retention_years": cls.retention_years,
                "retention_decision": cls.retention_decision or "",
                "secrecy_note": cls.secrecy_note or "",
                "active": cls.is_active,
            }
        )
    return rows


def rows_to_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            [
                ("true" if row[c] else "false")
                if c == "active"
                else ("" if row[c] is None else row[c])
                for c in COLUMNS
            ]
        )
    return out.getvalue()


def rows_to_json(rows: list[dict]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)

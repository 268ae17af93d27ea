"""Keeping the classification structure: classes, their tree and their retention rules.

Services flush and never commit. Every change is audited with before and after.

The structure sits below cases: it never asks about cases itself. The cases domain
registers, in its ``init_app``, how many cases use a class (:func:`register_usage_check`)
and what to do once a structure has been imported (:func:`register_after_import`: link the
cases whose old free-text code is now a class).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from caseflow.classification.models import ClassificationClass, ClassKind, RetentionAction
from caseflow.common import audit
from caseflow.common.errors import NotFound, ValidationError
from caseflow.common.timeutil import now

CODE_PATTERN = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$")
#: What a person may write for the retention action, and what is stored.
RETENTION_WORDS = {
    "bevara": RetentionAction.PRESERVE,
    "preserve": RetentionAction.PRESERVE,
    "gallra": RetentionAction.DISPOSE,
    "dispose": RetentionAction.DISPOSE,
}
#: The word each action is written with in files (the Swedish term, as in a gallringsbeslut).
RETENTION_EXPORT = {RetentionAction.PRESERVE: "bevara", RetentionAction.DISPOSE: "gallra"}
#: Fields the admin sets (the code is fixed once the class exists).
FIELDS = (
    "title",
    "description",
    "parent_id",
    "retention_action",
    "retention_years",
    "retention_decision",
    "secrecy_note",
)

_USAGE_KEY = "caseflow.classification_usage"
_AFTER_IMPORT_KEY = "caseflow.classification_after_import"


# -- rules registered by higher domains -----------------------------------------------------


def register_usage_check(app: Flask, check: Callable[[Session, int], int]) -> None:
    """Let a domain say how many of its records use a class: ``check(session, class_id)``."""
    app.extensions.setdefault(_USAGE_KEY, []).append(check)


def register_after_import(app: Flask, hook: Callable[[Session], int]) -> None:
    """Run ``hook(session)`` after an import; it returns how many records it linked."""
    app.extensions.setdefault(_AFTER_IMPORT_KEY, []).append(hook)


def usage_count(session: Session, cls: ClassificationClass) -> int:
    """How many records (cases) use ``cls``."""
    return sum(check(session, cls.id) for check in current_app.extensions.get(_USAGE_KEY, []))


def run_after_import(session: Session) -> int:
    return sum(hook(session) for hook in current_app.extensions.get(_AFTER_IMPORT_KEY, []))


# -- codes, values and the tree ---------------------------------------------------------------


def normalise_code(code) -> str:
    """The code as stored, or a ValidationError saying what a code looks like."""
    code = str(code or "").strip()
    if not code:
        raise ValidationError(_l("The class code is missing."))
    if len(code) > 50 or not CODE_PATTERN.match(code):
        raise ValidationError(
            _l(
                "»%(code)s« is not a class code: write segments of digits or letters "
                "separated by dots, e.g. 2.3.1.",
                code=code,
            )
        )
    return code


def parent_code_of(code: str) -> str | None:
    """The parent's code a code implies: "2.3" for "2.3.1", none for "2"."""
    return code.rsplit(".", 1)[0] if "." in code else None


def code_sort_key(code: str) -> tuple:
    """Sort "2.10" after "2.9": numbers as numbers, letters as text."""
    return tuple((0, int(s), "") if s.isdigit() else (1, 0, s.casefold()) for s in code.split("."))


def parse_retention_action(value) -> str | None:
    word = str(value or "").strip().casefold()
    if not word:
        return None
    if word not in RETENTION_WORDS:
        raise ValidationError(
            _l("»%(value)s« is not a retention action: write bevara or gallra.", value=value)
        )
    return RETENTION_WORDS[word].value


def _text(value, limit: int, name) -> str | None:
    text = str(value).strip() if value is not None else ""
    if len(text) > limit:
        raise ValidationError(
            _l("%(field)s may be at most %(limit)s characters long.", field=name, limit=limit)
        )
    return text or None


def clean_values(values: dict) -> dict:
    """Check the admin's values of a class; the retention rule must be whole."""
    title = _text(values.get("title"), 300, _l("The title"))
    if not title:
        raise ValidationError(_l("The class title is missing."))
    action = parse_retention_action(values.get("retention_action"))
    years = values.get("retention_years")
    if isinstance(years, str):
        years = years.strip() or None
        if years is not None and not years.isdigit():
            raise ValidationError(
                _l("The retention period must be a whole number of years, not »%(value)s«.",
                   value=years)
            )  # fmt: skip
    years = int(years) if years is not None else None
    if years is not None and not 0 <= years <= 999:
        raise ValidationError(_l("The retention period must be between 0 and 999 years."))
    decision = _text(values.get("retention_decision"), 200, _l("The retention decision"))
    if action == RetentionAction.DISPOSE and years is None:
        raise ValidationError(
            _l("Give the number of years after which the records are disposed of.")
        )
    if action == RetentionAction.DISPOSE and not decision:
        raise ValidationError(
            _l("Give the decision the disposal rests on, e.g. RA-MS 2020:1 or your own decision.")
        )
    if action != RetentionAction.DISPOSE and years is not None:
        raise ValidationError(
            _l("A retention period is given only when the records are disposed of.")
        )
    if action is None and decision:
        raise ValidationError(_l("Choose bevara or gallra for the retention decision."))
    return {
        "title": title,
        "description": _text(values.get("description"), 20000, _l("The description")),
        "retention_action": action,
        "retention_years": years,
        "retention_decision": decision,
        "secrecy_note": _text(values.get("secrecy_note"), 200, _l("The secrecy note")),
    }


def snapshot(cls: ClassificationClass, session: Session | None = None) -> dict:
    """What the audit trail records of a class."""
    data = {name: getattr(cls, name) for name in FIELDS}
    data.update(code=cls.code, is_active=cls.is_active)
    if session is not None and cls.parent_id:
        parent = session.get(ClassificationClass, cls.parent_id)
        data["parent_code"] = parent.code if parent else None
    return data


def all_classes(session: Session) -> list[ClassificationClass]:
    rows = session.exec(select(ClassificationClass)).all()
    return sorted(rows, key=lambda c: code_sort_key(c.code))


def get_class(session: Session, class_id: int) -> ClassificationClass:
    cls = session.get(ClassificationClass, class_id)
    if cls is None:
        raise NotFound(_l("The class does not exist."))
    return cls


def get_class_by_code(session: Session, code: str) -> ClassificationClass:
    code = str(code or "").strip()
    cls = session.exec(select(ClassificationClass).where(ClassificationClass.code == code)).first()
    if cls is None:
        raise NotFound(_l("The class %(code)s does not exist.", code=code))
    return cls


def active_children(session: Session, cls: ClassificationClass) -> list[ClassificationClass]:
    return list(
        session.exec(
            select(ClassificationClass).where(
                ClassificationClass.parent_id == cls.id, ClassificationClass.is_active
            )
        ).all()
    )


def build_tree(classes: list[ClassificationClass]) -> list[dict]:
    """The classes in tree order, each with its depth, kind and path of ancestors."""
    by_parent: dict[int | None, list[ClassificationClass]] = {}
    for cls in classes:
        by_parent.setdefault(cls.parent_id, []).append(cls)
    rows: list[dict] = []

    def walk(parent_id, depth, path):
        for cls in sorted(by_parent.get(parent_id, []), key=lambda c: code_sort_key(c.code)):
            has_active_children = any(c.is_active for c in by_parent.get(cls.id, []))
            if not has_active_children:
                kind = ClassKind.PROCESS
            else:
                kind = ClassKind.AREA if depth == 1 else ClassKind.GROUP
            rows.append({"cls": cls, "depth": depth, "kind": kind, "path": path})
            walk(cls.id, depth + 1, [*path, cls])

    walk(None, 1, [])
    return rows


def is_process(session: Session, cls: ClassificationClass) -> bool:
    """A process is a class without active sub-classes: what a case is classified by."""
    return not active_children(session, cls)


def require_process(session: Session, class_id: int) -> ClassificationClass:
    """The class a case may be given: it exists, is active and is a process."""
    cls = get_class(session, class_id)
    if not cls.is_active:
        raise ValidationError(_l("The class %(code)s is no longer in use.", code=cls.code))
    if not is_process(session, cls):
        raise ValidationError(
            _l("%(label)s is not a process: choose one of its processes.", label=cls.label)
        )
    return cls


def process_by_code(session: Session, code: str) -> ClassificationClass:
    """The process a case names by its code (``caseflow case create --class 2.3.1``)."""
    return require_process(session, get_class_by_code(session, code).id)


def process_options(session: Session, *, keep_id: int | None = None) -> list[tuple]:
    """Every active process as (id, "2.3.1 Title", group), the group being the path of its
    area and process group ("2 Area › 2.3 Group"). ``keep_id`` stays an option even when it
    is no longer active (an existing case keeps its class when it is edited)."""
    options = []
    for row in build_tree(all_classes(session)):
        cls = row["cls"]
        chosen = cls.id == keep_id
        if row["kind"] != ClassKind.PROCESS:
            continue
        in_use = cls.is_active and all(a.is_active for a in row["path"])
        if not (in_use or chosen):
            continue
        group = " › ".join(a.label for a in row["path"]) or str(_l("Top level"))
        options.append((cls.id, cls.label, group))
    return options


# -- changes ---------------------------------------------------------------------------------


def check_parent(session: Session, cls: ClassificationClass, parent_id: int | None) -> None:
    seen = set()
    current = parent_id
    while current is not None:
        if current == cls.id or current in seen:
            raise ValidationError(
                _l("%(code)s cannot be placed under itself or one of its sub-classes.",
                   code=cls.code)
            )  # fmt: skip
        seen.add(current)
        parent = get_class(session, current)
        current = parent.parent_id


def resolve_parent(session: Session, code: str, parent_code: str | None) -> int | None:
    """The parent's id: the one named, else the one the code implies ("2.3" for "2.3.1")."""
    parent_code = str(parent_code or "").strip() or parent_code_of(code)
    if parent_code is None:
        return None
    parent = session.exec(
        select(ClassificationClass).where(ClassificationClass.code == parent_code)
    ).first()
    if parent is None:
        raise ValidationError(
            _l("The parent class %(parent)s of %(code)s does not exist.",
               parent=parent_code, code=code)
        )  # fmt: skip
    return parent.id


def create_class(session: Session, *, code: str, parent_code: str | None = None, **values):
    """Add a class; its parent is the one named, else the one its code implies."""
    code = normalise_code(code)
    if session.exec(select(ClassificationClass).where(ClassificationClass.code == code)).first():
        raise ValidationError(_l("The class code %(code)s is already used.", code=code))
    cleaned = clean_values(values)
    cls = ClassificationClass(
        code=code, parent_id=resolve_parent(session, code, parent_code), **cleaned
    )
    session.add(cls)
    session.flush()
    audit.record(session, "classification.create", cls, after=snapshot(cls, session))
    return cls


def update_class(
    session: Session, cls: ClassificationClass, *, parent_code: str | None = None, **values
):
    """Change a class's title, description, parent, retention rule or secrecy note."""
    before = snapshot(cls, session)
    cleaned = clean_values(values)
    parent_id = resolve_parent(session, cls.code, parent_code)
    check_parent(session, cls, parent_id)
    for name, value in cleaned.items():
        setattr(cls, name, value)
    cls.parent_id = parent_id
    after = snapshot(cls, session)
    if after == before:
        return cls
    cls.updated_at = now()
    session.flush()
    audit.record(session, "classification.update", cls, before=before, after=after)
    return cls


def set_class_active(session: Session, cls: ClassificationClass, active: bool):
    """Deactivate a class (no new case may choose it) or take it into use again."""
    if cls.is_active == active:
        return cls
    if not active and active_children(session, cls):
        raise ValidationError(_l("Deactivate the sub-classes of %(code)s first.", code=cls.code))
    if active and cls.parent_id and not get_class(session, cls.parent_id).is_active:
        raise ValidationError(
            _l("Take the parent class of %(code)s into use first.", code=cls.code)
        )
    before = snapshot(cls, session)
    cls.is_active = active
    cls.updated_at = now()
    session.flush()
    action = "classification.reactivate" if active else "classification.deactivate"
    audit.record(session, action, cls, before=before, after=snapshot(cls, session))
    return cls


def remove_class(session: Session, cls: ClassificationClass) -> None:
    """Remove a class nobody uses; a class in use is only ever deactivated."""
    used = usage_count(session, cls)
    if used:
        raise ValidationError(
            _l("%(code)s is used by %(count)s cases and cannot be removed; deactivate it instead.",
               code=cls.code, count=used)
        )  # fmt: skip
    has_children = session.exec(
        select(ClassificationClass.id).where(ClassificationClass.parent_id == cls.id)
    ).first()
    if has_children:
        raise ValidationError(_l("%(code)s has sub-classes and cannot be removed.", code=cls.code))
    audit.record(session, "classification.remove", cls, before=snapshot(cls, session))
    session.delete(cls)
    session.flush()

"""Corrections (rättelser): the reason they carry and how the timeline reads them.

A correction changes registration data after the fact. Every domain that corrects
something records ONE audit event per correction with :func:`record_correction`: the
values before and after, the reason, and which of the changed values were secret. The
timeline then reads the event as "Rättelse: Ärendemening ändrad från … till … — skäl: …"
through :func:`describe`, masking the secret values for readers who may not see them
(:mod:`caseflow.common.projection`).

A domain names its fields for the timeline with :func:`register_field_labels` in its
``init_app``; a changed field with no label (an internal id) is left out of the text.
"""

from __future__ import annotations

import json
from datetime import date

from flask import Flask
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from caseflow.common import audit
from caseflow.common.errors import ValidationError
from caseflow.common.projection import Audience, mask

#: The key under which a correction's reason and secrecy travel in the audit event's after.
CORRECTION_KEY = "correction"
_LABELS_KEY = "caseflow.correction_labels"
REASON_MAX = 500


def register_field_labels(app: Flask, object_type: str, labels: dict) -> None:
    """Name ``object_type``'s correctable fields for the timeline (field → lazy text)."""
    app.extensions.setdefault(_LABELS_KEY, {}).setdefault(object_type, {}).update(labels)


def field_labels(app: Flask, object_type: str) -> dict:
    return app.extensions.get(_LABELS_KEY, {}).get(object_type, {})


def require_reason(reason: str | None) -> str:
    """The reason of a correction, trimmed; refused when missing or too long."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_l("Give the reason for the correction."))
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _l("The reason may be at most %(max)s characters long.", max=REASON_MAX)
        )
    return reason


def changed_fields(before: dict, after: dict) -> list[str]:
    """The fields whose value differs, in the order of ``after``."""
    return [
        name
        for name, value in after.items()
        if name != CORRECTION_KEY and name in before and before[name] != value
    ]


def refuse_if_unchanged(before: dict, after: dict) -> None:
    if not changed_fields(before, after):
        raise ValidationError(_l("Nothing was changed."))


def record_correction(
    session: Session,
    action: str,
    obj,
    *,
    case,
    before: dict,
    after: dict,
    reason: str,
    secret_fields: set[str] | frozenset[str] = frozenset(),
    provision: str | None = None,
    actor=None,
) -> None:
    """One audit event for one correction: before and after, the reason, and which changed
    values are secret (under ``provision``), so the timeline can mask them."""
    secret = sorted(set(changed_fields(before, after)) & set(secret_fields))
    note = {"reason": reason, "secret": secret, "provision": provision}
    audit.record(
        session,
        action,
        obj,
        case=case,
        before=before,
        after={**after, CORRECTION_KEY: note},
        actor=actor,
    )


def _shown(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_date(date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def describe(app: Flask, event, audience: Audience) -> str | None:
    """The timeline's sentence for a correction event, or None for any other event.

    Secret values are masked for everyone but the holder of the secrets.
    """
    if not event.after or not event.before:
        return None
    after = json.loads(event.after)
    if not isinstance(after, dict) or CORRECTION_KEY not in after:
        return None
    before = json.loads(event.before)
    note = after[CORRECTION_KEY]
    labels = field_labels(app, event.object_type)
    hidden = set(note.get("secret") or []) if audience != Audience.HOLDER else set()
    parts = []
    for name in changed_fields(before, after):
        if name not in labels:
            continue
        old, new = before[name], after[name]
        if name in hidden:
            old = new = mask(note.get("provision"))
        else:
            old, new = _shown(old), _shown(new)
        parts.append(
            _(
                "%(field)s changed from %(before)s to %(after)s",
                field=labels[name],
                before=old,
                after=new,
            )
        )
    return _(
        "Correction: %(changes)s — reason: %(reason)s",
        changes="; ".join(parts) or _("registration data"),
        reason=note.get("reason") or "—",
    )

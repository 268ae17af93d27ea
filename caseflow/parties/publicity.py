"""Whether a sender or recipient written as free text names an organisation of the
register: the public may read an organisation's name (and the name of someone writing for
one), not a private person's (:mod:`caseflow.common.publicity`)."""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from caseflow.parties.models import Party, PartyKind

_CACHE_KEY = "caseflow.organisation_names"


def organisation_names(session: Session) -> frozenset[str]:
    """The register's organisations' names, case-folded; read once per transaction (a
    postlista of a hundred documents asks once)."""
    names = session.info.get(_CACHE_KEY)
    if names is None:
        rows = session.exec(
            select(Party.name).where(
                Party.kind == PartyKind.ORGANISATION, Party.merged_into_id.is_(None)
            )
        )
        names = session.info[_CACHE_KEY] = frozenset(n.casefold().strip() for n in rows)
    return names


def names_an_organisation(doc, text: str) -> bool:
    """``text`` is an organisation's name, or one of its comma-separated parts is
    ("Susanna Löfgren, Länsstyrelsen Jämtlands län")."""
    session = object_session(doc)
    if session is None or not text:
        return False
    names = organisation_names(session)
    parts = {text.casefold().strip(), *(p.casefold().strip() for p in text.split(","))}
    return bool(parts & names)


def _forget(session, *_args) -> None:
    session.info.pop(_CACHE_KEY, None)


def register(session_class) -> None:
    """Forget the names when a transaction ends: the next one reads the register again."""
    for name in ("after_commit", "after_soft_rollback"):
        if not event.contains(session_class, name, _forget):
            event.listen(session_class, name, _forget)

"""Gap-free counters in the database, and the insert that ignores an existing row.

A counter is one row per key (series and year, organ and year). Taking the next number
increments it with a single ``UPDATE … RETURNING`` in the caller's transaction: the row
stays locked until that transaction ends (PostgreSQL) or the whole database does
(SQLite's ``BEGIN IMMEDIATE``), and a rollback gives the number back. No ``max()+1``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def insert_ignoring_conflict(session: Session, table, values: dict, key: list[str]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING on PostgreSQL and SQLite; True when a row went in.

    Told by RETURNING, not ``rowcount``: psycopg reports -1 for this statement.
    """
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=key)
        .returning(*(table.c[name] for name in key))
    )
    return session.execute(statement).first() is not None


def next_number(session: Session, model, **key) -> int:
    """Increment the counter row of ``model`` for ``key`` and return it (created at 0)."""
    table = model.__table__
    where = [table.c[name] == value for name, value in key.items()]
    increment = (
        sa.update(table)
        .where(*where)
        .values(last_number=table.c.last_number + 1)
        .returning(table.c.last_number)
    )
    number = session.execute(increment).scalar_one_or_none()
    if number is None:  # the first number of a new year or series
        insert_ignoring_conflict(session, table, {**key, "last_number": 0}, list(key))
        number = session.execute(increment).scalar_one()
    return number


def raise_to(session: Session, model, number: int, **key) -> None:
    """Make sure the next number of the counter comes after ``number``."""
    table = model.__table__
    insert_ignoring_conflict(session, table, {**key, "last_number": 0}, list(key))
    where = [table.c[name] == value for name, value in key.items()]
    session.execute(
        sa.update(table).where(*where, table.c.last_number < number).values(last_number=number)
    )

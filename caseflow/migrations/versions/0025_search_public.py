"""search: a column of what the public may read, and an index for filtered searches

``search_entry.public_text`` holds the stems of what the e-diarium shows (the PUBLIC
projection); the full-text index covers it as a third column: SQLite's FTS5 table is made
again with three columns (and filled again from ``search_entry``), PostgreSQL gets a third
generated ``tsvector`` column with a GIN index. The column starts empty: run
``caseflow search reindex`` after upgrading an instance that already holds cases.

(series_code, dated_on, id) lets a search within a series walk the newest entries of that
series instead of all of them.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

_COLUMNS = ("open_text", "held_text", "public_text")


def _fts_triggers(columns: tuple[str, ...]) -> tuple[str, ...]:
    # Only this module's own column names are put together here.
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return (
        f"""CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
            INSERT INTO search_fts(rowid, {names}) VALUES (new.id, {new});
        END""",  # noqa: S608
        f"""CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
            INSERT INTO search_fts(search_fts, rowid, {names}) VALUES ('delete', old.id, {old});
        END""",  # noqa: S608
        f"""CREATE TRIGGER search_entry_au AFTER UPDATE OF {names} ON search_entry BEGIN
            INSERT INTO search_fts(search_fts, rowid, {names}) VALUES ('delete', old.id, {old});
            INSERT INTO search_fts(rowid, {names}) VALUES (new.id, {new});
        END""",  # noqa: S608
    )


def _make_fts(columns: tuple[str, ...]) -> None:
    for name in ("search_entry_ai", "search_entry_ad", "search_entry_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS search_fts")
    op.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({', '.join(columns)}, "
        "content='search_entry', content_rowid='id', "
        'tokenize="unicode61 remove_diacritics 0")'
    )
    for trigger in _fts_triggers(columns):
        op.execute(trigger)
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:  # the triggers name search_entry's columns: away while the table changes
        for name in ("search_entry_ai", "search_entry_ad", "search_entry_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("search_entry") as batch:
        batch.add_column(
            sa.Column("public_text", sa.Text(), nullable=False, server_default=sa.text("''"))
        )
        batch.create_index(
            "ix_search_entry_series_code_dated_on_id", ["series_code", "dated_on", "id"]
        )
    if sqlite:
        _make_fts(_COLUMNS)
    else:
        op.execute(
            "ALTER TABLE search_entry ADD COLUMN public_tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', public_text)) STORED"
        )
        op.execute("CREATE INDEX ix_search_entry_public_tsv ON search_entry USING gin (public_tsv)")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        for name in ("search_entry_ai", "search_entry_ad", "search_entry_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_entry_public_tsv")
        op.execute("ALTER TABLE search_entry DROP COLUMN IF EXISTS public_tsv")
    with op.batch_alter_table("search_entry") as batch:
        batch.drop_index("ix_search_entry_series_code_dated_on_id")
        batch.drop_column("public_text")
    if sqlite:
        _make_fts(_COLUMNS[:2])

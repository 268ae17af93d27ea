"""search: the index entries, the full-text index over them, and extracted file text

SQLite gets an FTS5 table over ``search_entry``'s two token columns (external content:
the tokens are stored once, in ``search_entry``; triggers keep the index in step). The
tokens are already lower-cased and stemmed by caseflow, so FTS5 only splits on spaces;
``remove_diacritics 0`` keeps å, ä and ö letters of their own. PostgreSQL gets two
generated ``tsvector`` columns over the same tokens with the ``simple`` configuration
(no stop-words, no second stemmer) and GIN indexes.

Nothing is indexed here: ``caseflow search reindex`` (and the indexer on first use) fills
the index from the cases, documents and mail already stored.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

_FTS_TRIGGERS = (
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_fts(rowid, open_text, held_text)
        VALUES (new.id, new.open_text, new.held_text);
    END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, open_text, held_text)
        VALUES ('delete', old.id, old.open_text, old.held_text);
    END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE OF open_text, held_text ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, open_text, held_text)
        VALUES ('delete', old.id, old.open_text, old.held_text);
        INSERT INTO search_fts(rowid, open_text, held_text)
        VALUES (new.id, new.open_text, new.held_text);
    END""",
)


def upgrade() -> None:
    op.create_table(
        "search_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("series_code", sa.String(length=20), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=True),
        sa.Column("direction", sa.String(length=10), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("class_id", sa.Integer(), nullable=True),
        sa.Column("dated_on", sa.Date(), nullable=True),
        sa.Column("is_voided", sa.Boolean(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("open_text", sa.Text(), nullable=False),
        sa.Column("held_text", sa.Text(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entry")),
        sa.UniqueConstraint("kind", "target_id", name="uq_search_entry_kind_target_id"),
    )
    with op.batch_alter_table("search_entry") as batch:
        batch.create_index(batch.f("ix_search_entry_case_id"), ["case_id"], unique=False)
        batch.create_index(batch.f("ix_search_entry_officer_id"), ["officer_id"], unique=False)
        batch.create_index(batch.f("ix_search_entry_number"), ["number"], unique=False)
        batch.create_index("ix_search_entry_dated_on_id", ["dated_on", "id"], unique=False)

    op.create_table(
        "file_text",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("mime_type", sa.String(length=255), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extracted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["sha256"], ["file_blob.sha256"], name=op.f("fk_file_text_sha256_file_blob")
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_file_text")),
    )
    with op.batch_alter_table("file_text") as batch:
        batch.create_index(batch.f("ix_file_text_status"), ["status"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(open_text, held_text, "
            "content='search_entry', content_rowid='id', "
            'tokenize="unicode61 remove_diacritics 0")'
        )
        for trigger in _FTS_TRIGGERS:
            op.execute(trigger)
    else:
        for column in ("open", "held"):
            op.execute(
                f"ALTER TABLE search_entry ADD COLUMN {column}_tsv tsvector "
                f"GENERATED ALWAYS AS (to_tsvector('simple', {column}_text)) STORED"
            )
            op.execute(
                f"CREATE INDEX ix_search_entry_{column}_tsv ON search_entry "
                f"USING gin ({column}_tsv)"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("search_entry_ai", "search_entry_ad", "search_entry_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("file_text")
    op.drop_table("search_entry")

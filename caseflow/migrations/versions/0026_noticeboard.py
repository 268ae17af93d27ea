"""noticeboard: the official notice board's notices and their files

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import caseflow.db

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str, key: str = "id"):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{key}"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("organ_id", sa.Integer(), nullable=True),
        sa.Column("organ_name", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("meeting_starts_at", caseflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("meeting_place", sa.String(length=200), nullable=True),
        sa.Column("paragraphs", sa.String(length=100), nullable=True),
        sa.Column("attested_on", sa.Date(), nullable=True),
        sa.Column("delegated_decision_id", sa.Integer(), nullable=True),
        sa.Column("case_number", sa.String(length=60), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("delegation_code", sa.String(length=20), nullable=True),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.Column("take_down_on", sa.Date(), nullable=False),
        sa.Column("appeal_ends_on", sa.Date(), nullable=True),
        sa.Column("kept_at", sa.String(length=500), nullable=True),
        sa.Column("agenda", sa.Text(), nullable=True),
        sa.Column("posted_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("posted_by_id", sa.Integer(), nullable=True),
        sa.Column("taken_down_at", caseflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("taken_down_by_id", sa.Integer(), nullable=True),
        sa.Column("take_down_reason", sa.Text(), nullable=True),
        _fk("notice", "organ_id", "organ"),
        _fk("notice", "meeting_id", "meeting"),
        _fk("notice", "delegated_decision_id", "delegated_decision"),
        _fk("notice", "posted_by_id", "user_account"),
        _fk("notice", "taken_down_by_id", "user_account"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice")),
    )
    with op.batch_alter_table("notice") as batch:
        for column in ("meeting_id", "posted_on", "take_down_on"):
            batch.create_index(batch.f(f"ix_notice_{column}"), [column], unique=False)
    op.create_table(
        "notice_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mime_type", sa.String(length=100), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("is_sealed", sa.Boolean(), nullable=False),
        sa.Column("created_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        _fk("notice_file", "notice_id", "notice"),
        _fk("notice_file", "sha256", "file_blob", "sha256"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notice_file")),
    )
    with op.batch_alter_table("notice_file") as batch:
        batch.create_index(batch.f("ix_notice_file_notice_id"), ["notice_id"], unique=False)


def downgrade() -> None:
    op.drop_table("notice_file")
    op.drop_table("notice")

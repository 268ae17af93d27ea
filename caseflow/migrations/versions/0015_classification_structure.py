"""the classification structure (klassificeringsstruktur) and each case's process

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

The free-text ``case_file.classification_code`` stays: it is the old code that
``caseflow classification import`` matches to the structure, and the admin's list of
unclassified cases shows what did not match.
"""

import sqlalchemy as sa
from alembic import op

import caseflow.db


revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classification_class",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("system_id", sa.String(length=36), nullable=False),
        sa.Column("retention_action", sa.String(length=10), nullable=True),
        sa.Column("retention_years", sa.Integer(), nullable=True),
        sa.Column("retention_decision", sa.String(length=200), nullable=True),
        sa.Column("secrecy_note", sa.String(length=200), nullable=True),
        sa.Column("created_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["classification_class.id"],
            name=op.f("fk_classification_class_parent_id_classification_class"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_class")),
        sa.UniqueConstraint("code", name=op.f("uq_classification_class_code")),
        sa.UniqueConstraint("system_id", name=op.f("uq_classification_class_system_id")),
    )
    op.create_index(
        op.f("ix_classification_class_parent_id"), "classification_class", ["parent_id"]
    )
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("class_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_case_file_class_id_classification_class"),
            "classification_class",
            ["class_id"],
            ["id"],
        )
        batch_op.create_index(batch_op.f("ix_case_file_class_id"), ["class_id"])


def downgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_file_class_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_case_file_class_id_classification_class"), type_="foreignkey"
        )
        batch_op.drop_column("class_id")
    op.drop_index(op.f("ix_classification_class_parent_id"), table_name="classification_class")
    op.drop_table("classification_class")

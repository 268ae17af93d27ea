"""corrections: a moved document's old number, and which file a new version replaces

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op


revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moved_to_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("moved_to_number", sa.String(length=60), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_document_moved_to_id_document"), "document", ["moved_to_id"], ["id"]
        )
    with op.batch_alter_table("document_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_document_file_replaces_id_document_file"),
            "document_file",
            ["replaces_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("document_file", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_document_file_replaces_id_document_file"), type_="foreignkey"
        )
        batch_op.drop_column("replaces_id")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_document_moved_to_id_document"), type_="foreignkey")
        batch_op.drop_column("moved_to_number")
        batch_op.drop_column("moved_to_id")

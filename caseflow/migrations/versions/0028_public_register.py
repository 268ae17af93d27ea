"""public: published files of the e-diarium, and the public generation counter

``public_file`` holds the documents whose files a registrar published; ``public_generation``
is one row whose number is raised with every change the public pages show (the response
cache is keyed by it), seeded here at 0.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "public_file",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_public_file_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["user_account.id"],
            name=op.f("fk_public_file_published_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_public_file")),
    )
    generation = op.create_table(
        "public_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_public_generation")),
    )
    op.bulk_insert(generation, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("public_generation")
    op.drop_table("public_file")

"""documents: an index on when they were registered, for the day's list (postlista)

Without it the public postlista of a day reads every document (167 ms at a million).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-03
"""

from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.create_index("ix_document_registered_at_id", ["registered_at", "id"])


def downgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.drop_index("ix_document_registered_at_id")

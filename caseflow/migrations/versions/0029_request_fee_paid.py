"""the day the fee for a request for documents was paid

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fee_paid_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("document_request", schema=None) as batch_op:
        batch_op.drop_column("fee_paid_on")

"""login throttle: a login attempt also records the good login of an account from a client

Revision ID: 0021
Revises: 0017
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("succeeded", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.alter_column("succeeded", server_default=None)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM login_attempt WHERE succeeded"))
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_column("succeeded")

"""requests for documents: the form they were sent with, so that a form makes one request

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("form_nonce", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_document_request_form_nonce"), ["form_nonce"]
        )


def downgrade() -> None:
    with op.batch_alter_table("document_request", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_document_request_form_nonce"), type_="unique")
        batch_op.drop_column("form_nonce")

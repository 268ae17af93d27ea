"""audit keyed chain: each event says how its link was computed (scheme, key id), and the
chain head holds the seal (the head when keying started, with its keyed MAC)

The events already written keep their plain SHA-256 links (scheme 1): the first keyed
write seals them, and ``caseflow audit verify`` checks them by the old rule up to the seal.
Adding columns rewrites no row, so the append-only triggers stay as they are.

Revision ID: 0022
Revises: 0017
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both databases: a batch rebuild of audit_event on SQLite would
    # drop its append-only triggers.
    op.add_column(
        "audit_event", sa.Column("scheme", sa.Integer(), nullable=False, server_default="1")
    )
    op.add_column("audit_event", sa.Column("key_id", sa.String(length=16), nullable=True))
    op.add_column("audit_head", sa.Column("sealed_seq", sa.Integer(), nullable=True))
    op.add_column("audit_head", sa.Column("sealed_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_head", sa.Column("key_id", sa.String(length=16), nullable=True))
    op.add_column("audit_head", sa.Column("seal_mac", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        for column in ("seal_mac", "key_id", "sealed_hash", "sealed_seq"):
            batch_op.drop_column(column)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite rebuilds the table to drop a column, and a rebuilt table has no triggers.
        from caseflow.common.audit import APPEND_ONLY_SQL

        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        with op.batch_alter_table("audit_event", schema=None) as batch_op:
            batch_op.drop_column("key_id")
            batch_op.drop_column("scheme")
        for statement in APPEND_ONLY_SQL["sqlite"]:
            op.execute(statement)
    else:
        op.drop_column("audit_event", "key_id")
        op.drop_column("audit_event", "scheme")

"""mail: the sha256 of each message's canonical form, indexed

"The same message" is decided on a canonical form (``caseflow.mail.canonical``): the
same mail read from a .eml file, an mbox, a maildir or IMAP is one message. Rows stored
before this revision get their hash from intake (``caseflow.mail.backfill``) before it
stores anything new, not here: a migration knows the database, not the file store the
raw bytes are in (it runs from ``caseflow db upgrade``, from the test fixtures, from a
restore), and hashing every stored mail inside the schema change would hold the table
for as long as that takes.

Revision ID: 0023
Revises: 0017
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mail_message") as batch:
        batch.add_column(sa.Column("canonical_sha256", sa.String(length=64), nullable=True))
        batch.create_index(
            batch.f("ix_mail_message_canonical_sha256"), ["canonical_sha256"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mail_message") as batch:
        batch.drop_index(batch.f("ix_mail_message_canonical_sha256"))
        batch.drop_column("canonical_sha256")

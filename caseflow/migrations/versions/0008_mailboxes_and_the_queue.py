"""mailboxes (IMAP) and the registrar's mail queue

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from alembic import op
import sqlalchemy as sa
import caseflow.db


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mailbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=254), nullable=True),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("port", sa.Integer(), nullable=False),
        sa.Column("security", sa.String(length=10), nullable=False),
        sa.Column("username", sa.String(length=254), nullable=False),
        sa.Column("password_encrypted", sa.Text(), nullable=False),
        sa.Column("folder", sa.String(length=200), nullable=False),
        sa.Column("processed_folder", sa.String(length=200), nullable=False),
        sa.Column("failed_folder", sa.String(length=200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("lease_holder", sa.String(length=100), nullable=True),
        sa.Column("lease_until", caseflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_polled_at", caseflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_result", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mailbox")),
        sa.UniqueConstraint("name", name=op.f("uq_mailbox_name")),
    )
    # Rows stored before this revision: their Message-ID is the one to compare.
    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("raw_format", sa.String(length=12), nullable=False, server_default="rfc822")
        )
        batch_op.add_column(sa.Column("mailbox_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("imap_folder", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("imap_uidvalidity", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("imap_uid", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("moved_to", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("from_name", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("original_from_name", sa.String(length=300), nullable=True))
        batch_op.add_column(
            sa.Column("attachment_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("header_message_id", sa.String(length=998), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("delivered_at", caseflow.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("handled_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("handled_at", caseflow.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_mail_message_mailbox_id_mailbox"), "mailbox", ["mailbox_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_mail_message_handled_by_id_user_account"),
            "user_account",
            ["handled_by_id"],
            ["id"],
        )
        batch_op.create_index(batch_op.f("ix_mail_message_mailbox_id"), ["mailbox_id"])
        batch_op.create_index(
            batch_op.f("ix_mail_message_header_message_id"), ["header_message_id"]
        )
        batch_op.create_index("ix_mail_message_status_received", ["status", "received_at"])
    op.execute("UPDATE mail_message SET header_message_id = message_id")
    with op.batch_alter_table("case_party", schema=None) as batch_op:
        batch_op.create_index("ix_case_party_email_case", ["email", "case_id"])


def downgrade() -> None:
    with op.batch_alter_table("case_party", schema=None) as batch_op:
        batch_op.drop_index("ix_case_party_email_case")
    with op.batch_alter_table("mail_message", schema=None) as batch_op:
        batch_op.drop_index("ix_mail_message_status_received")
        batch_op.drop_index(batch_op.f("ix_mail_message_header_message_id"))
        batch_op.drop_index(batch_op.f("ix_mail_message_mailbox_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_mail_message_handled_by_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_mail_message_mailbox_id_mailbox"), type_="foreignkey"
        )
        for name in (
            "handled_at", "handled_by_id", "attempts", "delivered_at", "header_message_id",
            "attachment_count", "original_from_name", "from_name",
            "moved_to", "imap_uid", "imap_uidvalidity", "imap_folder", "mailbox_id", "raw_format",
        ):  # fmt: skip
            batch_op.drop_column(name)
    op.drop_table("mailbox")

"""elected members' accounts and digital justering

A member of a body in the register may have an account (role "member"); a meeting
records when its protocol was sent for digital justering, and each person asked to attest
it (the chair and the chosen attesters) has a row with their attestation.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import caseflow.db

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    with op.batch_alter_table("organ_member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_organ_member_user_id_user_account"), "user_account", ["user_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_organ_member_user_id"), ["user_id"])
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "sent_for_justering_at", caseflow.db.UTCDateTime(timezone=True), nullable=True
            )
        )
    op.create_table(
        "meeting_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("is_chair", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("signed_at", caseflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("signed_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawn_at", caseflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("notice_status", sa.String(length=12), nullable=False),
        sa.Column("notice_error", sa.String(length=40), nullable=True),
        _fk("meeting_signature", "meeting_id", "meeting"),
        _fk("meeting_signature", "member_id", "organ_member"),
        _fk("meeting_signature", "signed_by_id", "user_account"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_signature")),
        sa.UniqueConstraint("meeting_id", "member_id", name="uq_meeting_signature_member"),
    )
    op.create_index(op.f("ix_meeting_signature_meeting_id"), "meeting_signature", ["meeting_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_meeting_signature_meeting_id"), table_name="meeting_signature")
    op.drop_table("meeting_signature")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("sent_for_justering_at")
    with op.batch_alter_table("organ_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organ_member_user_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_organ_member_user_id_user_account"), type_="foreignkey"
        )
        batch_op.drop_column("user_id")

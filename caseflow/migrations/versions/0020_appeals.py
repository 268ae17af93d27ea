"""appeals of decisions, the record that a decision gained legal force, and a delegated
decision's own notice on the notice board

Revision ID: 0020
Revises: 0017
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import caseflow.db

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    with op.batch_alter_table("delegated_decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notice_posted_on", sa.Date(), nullable=True))
    op.create_table(
        "appeal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("delegated_decision_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("appellant", sa.String(length=200), nullable=False),
        sa.Column("case_party_id", sa.Integer(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("created_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("ended_how", sa.String(length=10), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "(agenda_item_id IS NULL) <> (delegated_decision_id IS NULL)",
            name=op.f("ck_appeal_one_decision"),
        ),
        _fk("appeal", "case_id", "case_file"),
        _fk("appeal", "agenda_item_id", "agenda_item"),
        _fk("appeal", "delegated_decision_id", "delegated_decision"),
        _fk("appeal", "case_party_id", "case_party"),
        _fk("appeal", "document_id", "document"),
        _fk("appeal", "created_by_id", "user_account"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appeal")),
    )
    with op.batch_alter_table("appeal", schema=None) as batch_op:
        for column in ("case_id", "agenda_item_id", "delegated_decision_id"):
            batch_op.create_index(batch_op.f(f"ix_appeal_{column}"), [column], unique=False)
    op.create_table(
        "legal_force_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("delegated_decision_id", sa.Integer(), nullable=True),
        sa.Column("final_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("mailed_at", caseflow.db.UTCDateTime(timezone=True), nullable=True),
        _fk("legal_force_notice", "case_id", "case_file"),
        _fk("legal_force_notice", "agenda_item_id", "agenda_item"),
        _fk("legal_force_notice", "delegated_decision_id", "delegated_decision"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_force_notice")),
        sa.UniqueConstraint("agenda_item_id", name=op.f("uq_legal_force_notice_agenda_item_id")),
        sa.UniqueConstraint(
            "delegated_decision_id", name=op.f("uq_legal_force_notice_delegated_decision_id")
        ),
    )
    with op.batch_alter_table("legal_force_notice", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_legal_force_notice_case_id"), ["case_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("legal_force_notice")
    op.drop_table("appeal")
    with op.batch_alter_table("delegated_decision", schema=None) as batch_op:
        batch_op.drop_column("notice_posted_on")

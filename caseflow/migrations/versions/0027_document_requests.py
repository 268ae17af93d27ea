"""requests for public documents (begäran om allmän handling), their items and counter

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

import caseflow.db

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    op.create_table(
        "document_request_counter",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_document_request_counter")),
    )
    when = caseflow.db.UTCDateTime(timezone=True)
    op.create_table(
        "document_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("received_at", when, nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("requester_name", sa.String(length=200), nullable=True),
        sa.Column("delivery", sa.String(length=10), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("postal_address", sa.String(length=500), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("mail_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("internal_note", sa.Text(), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("fee", sa.Integer(), nullable=True),
        sa.Column("decided_at", when, nullable=True),
        sa.Column("delivered_at", when, nullable=True),
        sa.Column("delivery_error", sa.String(length=30), nullable=True),
        sa.Column("delivery_attempted_at", when, nullable=True),
        sa.Column("written_decision_asked_at", when, nullable=True),
        sa.Column("written_decision_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", when, nullable=True),
        _fk("document_request", "mail_id", "mail_message"),
        _fk("document_request", "case_id", "case_file"),
        _fk("document_request", "assigned_to_id", "user_account"),
        _fk("document_request", "written_decision_id", "document"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_request")),
        sa.UniqueConstraint("year", "seq", name="uq_document_request_year_seq"),
        sa.UniqueConstraint("number", name=op.f("uq_document_request_number")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_document_request_token_hash")),
    )
    with op.batch_alter_table("document_request", schema=None) as batch_op:
        for column in ("status", "due_on", "case_id", "assigned_to_id"):
            batch_op.create_index(
                batch_op.f(f"ix_document_request_{column}"), [column], unique=False
            )
    op.create_table(
        "document_request_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("wanted", sa.String(length=2000), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=True),
        sa.Column("provision", sa.String(length=200), nullable=True),
        sa.Column("redacted_document_id", sa.Integer(), nullable=True),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("decided_at", when, nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        _fk("document_request_item", "request_id", "document_request"),
        _fk("document_request_item", "document_id", "document"),
        _fk("document_request_item", "redacted_document_id", "document"),
        _fk("document_request_item", "decided_by_id", "user_account"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_request_item")),
    )
    with op.batch_alter_table("document_request_item", schema=None) as batch_op:
        for column in ("request_id", "document_id"):
            batch_op.create_index(
                batch_op.f(f"ix_document_request_item_{column}"), [column], unique=False
            )


def downgrade() -> None:
    op.drop_table("document_request_item")
    op.drop_table("document_request")
    op.drop_table("document_request_counter")

"""one row per recipient of a dispatch

Each address of an existing dispatch becomes a recipient row: a sent dispatch's addresses
accepted (served on the day it was sent), a failed one's failed with the dispatch's reason,
one left "sending" uncertain. A sent dispatch is complete from the moment it was sent.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

import json
from datetime import UTC
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import caseflow.db

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_LOCAL = ZoneInfo("Europe/Stockholm")


def _fk(table: str, column: str, target: str, key: str = "id"):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.{key}"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    with op.batch_alter_table("dispatch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("completed_at", caseflow.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            op.f("fk_dispatch_created_by_id_user_account"),
            "user_account",
            ["created_by_id"],
            ["id"],
        )
    op.create_table(
        "dispatch_recipient",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispatch_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("postal_address", sa.Text(), nullable=True),
        sa.Column("is_hidden", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("error_code", sa.String(length=20), nullable=True),
        sa.Column("error_detail", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", caseflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("next_retry_at", caseflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("accepted_at", caseflow.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("posted_on", sa.Date(), nullable=True),
        sa.Column("posted_by_id", sa.Integer(), nullable=True),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("letter_sha256", sa.String(length=64), nullable=True),
        sa.Column("letter_filename", sa.String(length=300), nullable=True),
        _fk("dispatch_recipient", "dispatch_id", "dispatch"),
        _fk("dispatch_recipient", "party_id", "party"),
        _fk("dispatch_recipient", "posted_by_id", "user_account"),
        _fk("dispatch_recipient", "letter_sha256", "file_blob", "sha256"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_recipient")),
    )
    op.create_index(
        op.f("ix_dispatch_recipient_dispatch_id"), "dispatch_recipient", ["dispatch_id"]
    )
    op.create_index(op.f("ix_dispatch_recipient_status"), "dispatch_recipient", ["status"])
    _rows_from_dispatches()


def _rows_from_dispatches() -> None:
    conn = op.get_bind()
    dispatch = sa.table(
        "dispatch",
        *(sa.column(c) for c in ("id", "recipients", "status", "error", "attempts")),
        sa.column("sent_at", caseflow.db.UTCDateTime(timezone=True)),
        sa.column("created_at", caseflow.db.UTCDateTime(timezone=True)),
        sa.column("completed_at", caseflow.db.UTCDateTime(timezone=True)),
    )
    recipient = sa.table(
        "dispatch_recipient",
        *(
            sa.column(c)
            for c in (
                "dispatch_id",
                "position",
                "name",
                "email",
                "is_hidden",
                "channel",
                "status",
                "error_code",
                "error_detail",
                "attempts",
                "served_on",
            )
        ),  # fmt: skip
        sa.column("last_attempt_at", caseflow.db.UTCDateTime(timezone=True)),
        sa.column("accepted_at", caseflow.db.UTCDateTime(timezone=True)),
    )
    for row in conn.execute(sa.select(dispatch)).all():
        status = {"sent": "accepted", "sending": "uncertain"}.get(row.status, row.status)
        code, detail = _error(row.error) if status == "failed" else (None, None)
        sent_at = _aware(row.sent_at)
        served_on = sent_at.astimezone(_LOCAL).date() if status == "accepted" and sent_at else None
        for position, address in enumerate(json.loads(row.recipients or "[]"), 1):
            conn.execute(
                recipient.insert().values(
                    dispatch_id=row.id,
                    position=position,
                    name=address,
                    email=address,
                    is_hidden=False,
                    channel="email",
                    status=status,
                    error_code=code,
                    error_detail=detail,
                    attempts=row.attempts or 0,
                    last_attempt_at=sent_at or (_aware(row.created_at) if row.attempts else None),
                    accepted_at=sent_at if status == "accepted" else None,
                    served_on=served_on,
                )  # fmt: skip
            )
        if row.status == "sending":
            conn.execute(
                dispatch.update().where(dispatch.c.id == row.id).values(status="uncertain")
            )
        elif row.status == "sent":
            conn.execute(
                dispatch.update().where(dispatch.c.id == row.id).values(completed_at=sent_at)
            )


def _aware(value):
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _error(stored: str | None) -> tuple[str, str | None]:
    try:
        found = json.loads(stored)
        return found["code"], found.get("detail")
    except (ValueError, TypeError, KeyError):
        return "unknown", stored  # recorded before failures had codes


def downgrade() -> None:
    op.execute(sa.text("UPDATE dispatch SET status = 'sending' WHERE status = 'uncertain'"))
    op.drop_index(op.f("ix_dispatch_recipient_status"), table_name="dispatch_recipient")
    op.drop_index(op.f("ix_dispatch_recipient_dispatch_id"), table_name="dispatch_recipient")
    op.drop_table("dispatch_recipient")
    with op.batch_alter_table("dispatch", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_dispatch_created_by_id_user_account"), type_="foreignkey")
        batch_op.drop_column("completed_at")
        batch_op.drop_column("created_by_id")

"""meeting proceedings: §§ without a case, attendance, motions, votes, reservations and
notes, the kallelse, the delegation register and delegated decisions

A meeting whose agenda was "fixed" is now "opened" (its §§ are numbered). The free-text
attendees, motions, reservations and protocol notes become rows: each attendee line a
person on the meeting's list (a member of the body when the name is one), each motion,
reservation and note text one entry, word for word.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

import caseflow.db

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str):
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("opened_at", caseflow.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("ended_at", caseflow.db.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "meeting_attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("affiliation", sa.String(length=100), nullable=True),
        sa.Column("is_present", sa.Boolean(), nullable=False),
        sa.Column("serving_for_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        _fk("meeting_attendee", "meeting_id", "meeting"),
        _fk("meeting_attendee", "member_id", "organ_member"),
        _fk("meeting_attendee", "serving_for_id", "meeting_attendee"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendee")),
    )
    op.create_index(op.f("ix_meeting_attendee_meeting_id"), "meeting_attendee", ["meeting_id"])

    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="case")
        )
        batch_op.add_column(sa.Column("title", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("body", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("is_closed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("public_title", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("decided_by", sa.String(length=20), nullable=True))

    op.create_table(
        "agenda_item_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("attendee_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("serving_for_id", sa.Integer(), nullable=True),
        _fk("agenda_item_attendance", "item_id", "agenda_item"),
        _fk("agenda_item_attendance", "attendee_id", "meeting_attendee"),
        _fk("agenda_item_attendance", "serving_for_id", "meeting_attendee"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_item_attendance")),
        sa.UniqueConstraint("item_id", "attendee_id", name="uq_agenda_item_attendance"),
    )
    op.create_index(
        op.f("ix_agenda_item_attendance_item_id"), "agenda_item_attendance", ["item_id"]
    )
    op.create_table(
        "agenda_motion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("mover", sa.String(length=200), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("attendee_id", sa.Integer(), nullable=True),
        _fk("agenda_motion", "item_id", "agenda_item"),
        _fk("agenda_motion", "attendee_id", "meeting_attendee"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_motion")),
    )
    op.create_index(op.f("ix_agenda_motion_item_id"), "agenda_motion", ["item_id"])
    op.create_table(
        "agenda_vote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("yes_motion_id", sa.Integer(), nullable=False),
        sa.Column("no_motion_id", sa.Integer(), nullable=False),
        sa.Column("is_election", sa.Boolean(), nullable=False),
        sa.Column("casting_vote", sa.String(length=5), nullable=True),
        sa.Column("lot", sa.String(length=5), nullable=True),
        sa.Column("result", sa.String(length=5), nullable=True),
        sa.Column("yes_count", sa.Integer(), nullable=False),
        sa.Column("no_count", sa.Integer(), nullable=False),
        sa.Column("abstain_count", sa.Integer(), nullable=False),
        _fk("agenda_vote", "item_id", "agenda_item"),
        _fk("agenda_vote", "yes_motion_id", "agenda_motion"),
        _fk("agenda_vote", "no_motion_id", "agenda_motion"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_vote")),
        sa.UniqueConstraint("item_id", "round", name="uq_agenda_vote_round"),
    )
    op.create_index(op.f("ix_agenda_vote_item_id"), "agenda_vote", ["item_id"])
    op.create_table(
        "agenda_vote_ballot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("attendee_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=10), nullable=False),
        _fk("agenda_vote_ballot", "vote_id", "agenda_vote"),
        _fk("agenda_vote_ballot", "attendee_id", "meeting_attendee"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_vote_ballot")),
        sa.UniqueConstraint("vote_id", "attendee_id", name="uq_agenda_vote_ballot"),
    )
    op.create_index(op.f("ix_agenda_vote_ballot_vote_id"), "agenda_vote_ballot", ["vote_id"])
    op.create_table(
        "agenda_statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("attendee_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        _fk("agenda_statement", "item_id", "agenda_item"),
        _fk("agenda_statement", "attendee_id", "meeting_attendee"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_statement")),
    )
    op.create_index(op.f("ix_agenda_statement_item_id"), "agenda_statement", ["item_id"])
    op.create_table(
        "meeting_summons",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("unreachable", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("message_id", sa.String(length=250), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("error_code", sa.String(length=40), nullable=True),
        sa.Column("created_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", caseflow.db.UTCDateTime(timezone=True), nullable=True),
        _fk("meeting_summons", "meeting_id", "meeting"),
        _fk("meeting_summons", "created_by_id", "user_account"),
        sa.ForeignKeyConstraint(
            ["sha256"], ["file_blob.sha256"], name=op.f("fk_meeting_summons_sha256_file_blob")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_summons")),
    )
    op.create_index(op.f("ix_meeting_summons_meeting_id"), "meeting_summons", ["meeting_id"])
    op.create_table(
        "delegation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organ_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("matter", sa.String(length=500), nullable=False),
        sa.Column("delegate", sa.String(length=200), nullable=False),
        sa.Column("limits", sa.Text(), nullable=True),
        sa.Column("resting_on", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        _fk("delegation", "organ_id", "organ"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegation")),
    )
    op.create_index(op.f("ix_delegation_organ_id"), "delegation", ["organ_id"])
    op.create_table(
        "delegated_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("delegation_id", sa.Integer(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=200), nullable=False),
        sa.Column("points", sa.Text(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("reported_item_id", sa.Integer(), nullable=True),
        sa.Column("created_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        _fk("delegated_decision", "case_id", "case_file"),
        _fk("delegated_decision", "delegation_id", "delegation"),
        _fk("delegated_decision", "decided_by_id", "user_account"),
        _fk("delegated_decision", "document_id", "document"),
        _fk("delegated_decision", "reported_item_id", "agenda_item"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegated_decision")),
    )
    for column in ("case_id", "delegation_id", "reported_item_id"):
        op.create_index(op.f(f"ix_delegated_decision_{column}"), "delegated_decision", [column])

    _move_free_text(op.get_bind())

    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("attendees")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.drop_column("motions")
        batch_op.drop_column("reservations")
        batch_op.drop_column("protocol_notes")


def _lines(text):
    return [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n") if line.strip()]


def _move_free_text(conn) -> None:
    conn.execute(sa.text("UPDATE meeting SET status = 'opened' WHERE status = 'agenda_fixed'"))
    meetings = conn.execute(
        sa.text("SELECT id, organ_id, attendees, opened_at, created_at FROM meeting")
    ).all()
    for meeting_id, organ_id, attendees, _opened, _created in meetings:
        members = {
            name: (member_id, role, affiliation)
            for member_id, name, role, affiliation in conn.execute(
                sa.text("SELECT id, name, role, affiliation FROM organ_member WHERE organ_id = :o"),
                {"o": organ_id},
            )
        }
        for position, name in enumerate(_lines(attendees), start=1):
            member_id, role, affiliation = members.get(name, (None, "other", None))
            conn.execute(
                sa.text(
                    "INSERT INTO meeting_attendee (meeting_id, member_id, name, role, "
                    "affiliation, is_present, position) VALUES (:m, :mem, :n, :r, :a, :p, :pos)"
                ),
                {
                    "m": meeting_id,
                    "mem": member_id,
                    "n": name[:200],
                    "r": role,
                    "a": affiliation,
                    "p": True,
                    "pos": position,
                },
            )
    items = conn.execute(
        sa.text("SELECT id, motions, reservations, protocol_notes FROM agenda_item")
    ).all()
    for item_id, motions, reservations, notes in items:
        if (motions or "").strip():
            conn.execute(
                sa.text("INSERT INTO agenda_motion (item_id, position, text) VALUES (:i, 1, :t)"),
                {"i": item_id, "t": motions.strip()},
            )
        for kind, text in (("reservation", reservations), ("note", notes)):
            if (text or "").strip():
                conn.execute(
                    sa.text(
                        "INSERT INTO agenda_statement (item_id, kind, name, text) "
                        "VALUES (:i, :k, '', :t)"
                    ),
                    {"i": item_id, "k": kind, "t": text.strip()},
                )


def downgrade() -> None:
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("motions", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("reservations", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("protocol_notes", sa.Text(), nullable=True))
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attendees", sa.Text(), nullable=False, server_default=""))
    _text_back(op.get_bind())
    for table in (
        "delegated_decision",
        "delegation",
        "meeting_summons",
        "agenda_statement",
        "agenda_vote_ballot",
        "agenda_vote",
        "agenda_motion",
        "agenda_item_attendance",
    ):
        op.drop_table(table)
    # §§ without a case have no place in the old schema.
    op.execute("DELETE FROM agenda_item WHERE case_id IS NULL")
    with op.batch_alter_table("agenda_item", schema=None) as batch_op:
        for column in ("decided_by", "public_title", "is_closed", "body", "title", "kind"):
            batch_op.drop_column(column)
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
    op.drop_table("meeting_attendee")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("ended_at")
        batch_op.drop_column("opened_at")
    op.execute("UPDATE meeting SET status = 'agenda_fixed' WHERE status = 'opened'")


def _text_back(conn) -> None:
    """Put the rows back as the text they came from (one line or entry each)."""
    for (meeting_id,) in conn.execute(sa.text("SELECT id FROM meeting")).all():
        names = [
            n
            for (n,) in conn.execute(
                sa.text(
                    "SELECT name FROM meeting_attendee WHERE meeting_id = :m AND is_present "
                    "ORDER BY position, id"
                ),
                {"m": meeting_id},
            )
        ]
        conn.execute(
            sa.text("UPDATE meeting SET attendees = :a WHERE id = :m"),
            {"a": "\n".join(names), "m": meeting_id},
        )
    for (item_id,) in conn.execute(sa.text("SELECT id FROM agenda_item")).all():
        motions = [
            " ".join(x for x in row if x)
            for row in conn.execute(
                sa.text(
                    "SELECT mover, text FROM agenda_motion WHERE item_id = :i ORDER BY position"
                ),
                {"i": item_id},
            )
        ]
        values = {"i": item_id, "m": "\n".join(motions) or None}
        for kind, key in (("reservation", "r"), ("note", "n")):
            rows = conn.execute(
                sa.text(
                    "SELECT name, text FROM agenda_statement WHERE item_id = :i AND kind = :k "
                    "ORDER BY id"
                ),
                {"i": item_id, "k": kind},
            )
            values[key] = "\n".join(" ".join(x for x in row if x) for row in rows) or None
        conn.execute(
            sa.text(
                "UPDATE agenda_item SET motions = :m, reservations = :r, protocol_notes = :n "
                "WHERE id = :i"
            ),
            values,
        )

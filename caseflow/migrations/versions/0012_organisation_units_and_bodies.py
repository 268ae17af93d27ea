"""the organisation profile, the register of units, decision bodies with members

Free-text units on cases and users become rows of the unit register (one per distinct
name, compared without regard to case and spacing); existing bodies keep their meetings.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa
import caseflow.db


revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _holders():
    """The two tables whose free-text unit becomes a reference (as Core tables)."""
    return [
        sa.table(
            name,
            sa.column("unit", sa.String),
            sa.column("unit_id", sa.Integer),
            sa.column("id", sa.Integer),
        )
        for name in ("case_file", "user_account")
    ]


def _units_from_text(bind) -> None:
    """One unit per distinct free-text name, then each case and user pointed at its unit."""
    unit = sa.table(
        "org_unit",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("name_key", sa.String),
        sa.column("is_active", sa.Boolean),
        sa.column("created_at", caseflow.db.UTCDateTime(timezone=True)),
    )
    ids: dict[str, int] = {}
    for table in _holders():
        names = bind.execute(sa.select(table.c.unit).where(table.c.unit.is_not(None)).distinct())
        for (name,) in list(names):
            key = _key(name)
            if key and key not in ids:
                bind.execute(
                    unit.insert().values(
                        name=" ".join(name.split()),
                        name_key=key,
                        is_active=True,
                        created_at=sa.func.now(),
                    )
                )
                # A lightweight table has no primary key, so the new id is read back by key.
                ids[key] = bind.execute(
                    sa.select(unit.c.id).where(unit.c.name_key == key)
                ).scalar_one()
            if key:
                bind.execute(table.update().where(table.c.unit == name).values(unit_id=ids[key]))


def upgrade() -> None:
    op.create_table(
        "organisation_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("org_number", sa.String(length=20), nullable=True),
        sa.Column("postal_address", sa.String(length=500), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("web", sa.String(length=200), nullable=True),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_type", sa.String(length=20), nullable=True),
        sa.Column("updated_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_profile")),
    )
    op.create_table(
        "org_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_key", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["org_unit.id"], name=op.f("fk_org_unit_parent_id_org_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_unit")),
        sa.UniqueConstraint("name_key", name=op.f("uq_org_unit_name_key")),
    )
    op.create_index(op.f("ix_org_unit_parent_id"), "org_unit", ["parent_id"])
    for table in ("case_file", "user_account"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("unit_id", sa.Integer(), nullable=True))
    _units_from_text(op.get_bind())
    for table in ("case_file", "user_account"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_unit_id_org_unit"), "org_unit", ["unit_id"], ["id"]
            )
            batch_op.create_index(batch_op.f(f"ix_{table}_unit_id"), ["unit_id"])
            batch_op.drop_column("unit")

    with op.batch_alter_table("organ", schema=None) as batch_op:
        batch_op.add_column(sa.Column("short_name", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("series_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_organ_series_id_series"), "series", ["series_id"], ["id"]
        )
    op.create_table(
        "organ_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organ_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("term_from", sa.Date(), nullable=False),
        sa.Column("term_to", sa.Date(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("affiliation", sa.String(length=100), nullable=True),
        sa.Column("created_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organ_id"], ["organ.id"], name=op.f("fk_organ_member_organ_id_organ")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organ_member")),
    )
    op.create_index(op.f("ix_organ_member_organ_id"), "organ_member", ["organ_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_organ_member_organ_id"), table_name="organ_member")
    op.drop_table("organ_member")
    with op.batch_alter_table("organ", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_organ_series_id_series"), type_="foreignkey")
        batch_op.drop_column("is_active")
        batch_op.drop_column("series_id")
        batch_op.drop_column("short_name")
    for table in ("case_file", "user_account"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("unit", sa.String(length=200), nullable=True))
        holder = sa.table(table, sa.column("unit", sa.String), sa.column("unit_id", sa.Integer))
        unit = sa.table("org_unit", sa.column("id", sa.Integer), sa.column("name", sa.String))
        op.execute(
            holder.update().values(
                unit=sa.select(unit.c.name).where(unit.c.id == holder.c.unit_id).scalar_subquery()
            )
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_unit_id"))
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_unit_id_org_unit"), type_="foreignkey")
            batch_op.drop_column("unit_id")
    op.drop_index(op.f("ix_org_unit_parent_id"), table_name="org_unit")
    op.drop_table("org_unit")
    op.drop_table("organisation_profile")

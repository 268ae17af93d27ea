"""the parties register (kontaktregister): organisations, persons, e-mail domains; cases'
counterparts and documents' senders or recipients linked to it

Existing counterparts move into the register: a case's parties and a document's
counterpart text become parties, recognised as the same by the lower-cased e-mail
address, else by exactly the same name (and organisation). A counterpart without an
address and without a person's name becomes an organisation. Secret counterparts (of a
case whose parties are secret, or marked secret on the document) are left out: the
register is read by more people than the case. The registered text is never changed.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

import re
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import caseflow.db

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("is_protected", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("org_number", sa.String(length=30), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("postal_address", sa.Text(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("created_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", caseflow.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["party.id"], name=op.f("fk_party_organisation_id_party")
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["party.id"], name=op.f("fk_party_merged_into_id_party")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party")),
    )
    op.create_index(op.f("ix_party_name"), "party", ["name"])
    op.create_index(op.f("ix_party_email"), "party", ["email"])
    op.create_index(op.f("ix_party_organisation_id"), "party", ["organisation_id"])
    op.create_table(
        "party_domain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["party.id"], name=op.f("fk_party_domain_organisation_id_party")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_party_domain")),
        sa.UniqueConstraint("domain", name=op.f("uq_party_domain_domain")),
    )
    op.create_index(op.f("ix_party_domain_organisation_id"), "party_domain", ["organisation_id"])
    for table in ("case_party", "document"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("party_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f(f"fk_{table}_party_id_party"), "party", ["party_id"], ["id"]
            )
            batch_op.create_index(batch_op.f(f"ix_{table}_party_id"), ["party_id"])
    _fill_the_register(op.get_bind())


_PARTY = sa.table(
    "party",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("name", sa.String),
    sa.column("email", sa.String),
    sa.column("organisation_id", sa.Integer),
    sa.column("is_protected", sa.Boolean),
    sa.column("created_at", caseflow.db.UTCDateTime(timezone=True)),
    sa.column("updated_at", caseflow.db.UTCDateTime(timezone=True)),
)
_CASE = sa.table("case_file", sa.column("id"), sa.column("parties_are_secret"))
_CASE_PARTY = sa.table(
    "case_party",
    sa.column("id"),
    sa.column("case_id"),
    sa.column("name"),
    sa.column("organisation"),
    sa.column("email"),
    sa.column("party_id"),
)
_DOCUMENT = sa.table(
    "document",
    sa.column("id"),
    sa.column("case_id"),
    sa.column("counterpart"),
    sa.column("counterpart_email"),
    sa.column("counterpart_is_secret"),
    sa.column("party_id"),
)


class _Register:
    """The parties made so far, by address, by (name, organisation) and organisations by name."""

    def __init__(self, conn):
        self.conn = conn
        self.by_email: dict[str, int] = {}
        self.persons: dict[tuple, int] = {}
        self.organisations: dict[str, int] = {}
        self.at = datetime.now(UTC)

    def _insert(self, kind, name, email=None, organisation_id=None) -> int:
        party_id = self.conn.execute(
            _PARTY.insert()
            .values(
                kind=kind,
                name=name[:200],
                email=email,
                organisation_id=organisation_id,
                is_protected=False,
                created_at=self.at,
                updated_at=self.at,
            )
            .returning(_PARTY.c.id)
        ).scalar_one()
        if email:
            self.by_email.setdefault(email, party_id)
        return party_id

    def organisation(self, name: str, email: str | None = None) -> int:
        if name not in self.organisations:
            self.organisations[name] = self._insert("organisation", name, email)
        return self.organisations[name]

    def party(self, name: str | None, organisation: str | None, email: str | None) -> int | None:
        name, organisation = (name or "").strip(), (organisation or "").strip()
        email = (email or "").strip().lower() or None
        if email and email in self.by_email:
            return self.by_email[email]
        if name:
            org_id = self.organisation(organisation) if organisation else None
            key = (name, org_id)
            if key in self.persons and not email:
                return self.persons[key]
            party_id = self._insert("person", name, email, org_id)
            self.persons.setdefault(key, party_id)
            return party_id
        if organisation:
            return self.organisation(organisation, email)
        if email:
            return self._insert("person", email, email)
        return None


def _fill_the_register(conn) -> None:
    register = _Register(conn)
    rows = conn.execute(
        sa.select(
            _CASE_PARTY.c.id, _CASE_PARTY.c.name, _CASE_PARTY.c.organisation, _CASE_PARTY.c.email
        )
        .select_from(_CASE_PARTY.join(_CASE, _CASE.c.id == _CASE_PARTY.c.case_id))
        .where(_CASE.c.parties_are_secret == sa.false())
        .order_by(_CASE_PARTY.c.id)
    ).all()
    for row_id, name, organisation, email in rows:
        party_id = register.party(name, organisation, email)
        if party_id is not None:
            conn.execute(
                _CASE_PARTY.update().where(_CASE_PARTY.c.id == row_id).values(party_id=party_id)
            )
    documents = conn.execute(
        sa.select(_DOCUMENT.c.id, _DOCUMENT.c.counterpart, _DOCUMENT.c.counterpart_email)
        .select_from(_DOCUMENT.outerjoin(_CASE, _CASE.c.id == _DOCUMENT.c.case_id))
        .where(
            _DOCUMENT.c.counterpart_is_secret == sa.false(),
            sa.or_(_CASE.c.id.is_(None), _CASE.c.parties_are_secret == sa.false()),
        )
        .order_by(_DOCUMENT.c.id)
    ).all()
    for doc_id, counterpart, email in documents:
        # "Susanna Löfgren <susanna.lofgren@…>" as intake once wrote it: the name.
        name = re.sub(r"\s*<[^>]*>\s*$", "", counterpart or "").strip()
        if email:
            party_id = register.party(name or None, None, email)
        elif name:
            party_id = register.persons.get((name, None)) or register.organisation(name)
        else:
            continue
        conn.execute(_DOCUMENT.update().where(_DOCUMENT.c.id == doc_id).values(party_id=party_id))


def downgrade() -> None:
    for table in ("document", "case_party"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_party_id"))
            batch_op.drop_constraint(batch_op.f(f"fk_{table}_party_id_party"), type_="foreignkey")
            batch_op.drop_column("party_id")
    op.drop_index(op.f("ix_party_domain_organisation_id"), table_name="party_domain")
    op.drop_table("party_domain")
    op.drop_index(op.f("ix_party_organisation_id"), table_name="party")
    op.drop_index(op.f("ix_party_email"), table_name="party")
    op.drop_index(op.f("ix_party_name"), table_name="party")
    op.drop_table("party")

"""Running Alembic from caseflow: ``caseflow db upgrade`` and the test fixtures use this."""

import functools
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError as AlembicError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` to ``revision`` (default: the newest)."""
    command.upgrade(alembic_config(url), revision)


@functools.cache
def head_revisions() -> frozenset[str]:
    """The revisions this code migrates a database to (one head, unless branches meet)."""
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def is_known_revision(revision: str) -> bool:
    """Whether ``revision`` is one of this code's migrations (an older one, or a head)."""
    try:
        script = ScriptDirectory.from_config(alembic_config("sqlite://"))
        return script.get_revision(revision) is not None
    except AlembicError:
        return False


def current_revisions(connection: sa.Connection) -> frozenset[str] | None:
    """The revisions the database was migrated to; None when it was never migrated."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return frozenset(
        row[0] for row in connection.exec_driver_sql("SELECT version_num FROM alembic_version")
    )

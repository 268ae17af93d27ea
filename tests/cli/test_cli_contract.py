"""Every ``caseflow`` command keeps the contract: one line on stderr, exit 2, nothing written.

The commands are found by walking the command tree of the app, so a command a domain adds
later is tried here without anyone listing it. Each one meets a database it cannot use
(never migrated, migrated by an older caseflow, a server that is down) and bad input (an
unknown option, an unknown case number, a missing file, an unknown or empty ``--as``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import current_app
from flask.cli import ScriptInfo

from caseflow import create_app
from caseflow.cli import cli
from caseflow.common.cli import (
    MIGRATED_DATABASE,
    NO_DATABASE,
    REACHABLE_DATABASE,
    database_need,
)

#: Commands that run where the others are refused: what they need instead, and why. A
#: command listed here but not in the tree (yet) is left alone.
RUN_WITHOUT_A_MIGRATED_DATABASE = {
    ("init",): (NO_DATABASE, "it creates the instance folder, before there is any database"),
    ("converter",): (NO_DATABASE, "it converts files with LibreOffice, never the database"),
    ("db", "upgrade"): (REACHABLE_DATABASE, "migrating an older or empty database is its job"),
    ("backup", "create"): (REACHABLE_DATABASE, "the backup before `db upgrade` is of the old"),
    ("backup", "restore"): (REACHABLE_DATABASE, "it restores into a new, empty database"),
    ("backup", "verify"): (NO_DATABASE, "it reads the backup folder, never the database"),
    ("seal", "create-demo"): (NO_DATABASE, "it writes a key file, before there is any database"),
    ("seal", "show"): (NO_DATABASE, "it reads the configured seal file, never the database"),
    ("excerpt", "verify"): (NO_DATABASE, "anyone checks a PDF's seal; it reads only the file"),
}

#: The password in the address of a database server that is down: never to be printed.
DOWN_PASSWORD = "hemligt-lösen"  # noqa: S105 - a made-up password the output must not show
DOWN_URL = f"postgresql+psycopg://caseflow:{DOWN_PASSWORD}@127.0.0.1:1/caseflow"


@pytest.fixture(autouse=True)
def no_app_context_left_behind():
    """A command pops every app context it pushed, also when it fails or shows its help."""
    yield
    assert not current_app, "a command left its app context pushed"


def leaf_commands(create_app_for_cli) -> list[tuple[tuple[str, ...], click.Command, str]]:
    """Every command that runs something: its path (``("mail", "mailbox", "add")``), the
    command, and what it needs of the database (as marked on it or on its group)."""
    found = []
    ctx = click.Context(cli, info_name="caseflow", obj=ScriptInfo(create_app=create_app_for_cli))
    with ctx:

        def walk(group, path, inherited):
            for name in group.list_commands(ctx):
                command = group.get_command(ctx, name)
                need = database_need(command, inherited)
                if isinstance(command, click.Group):
                    walk(command, (*path, name), need)
                else:
                    found.append(((*path, name), command, need))

        walk(cli, (), MIGRATED_DATABASE)
    assert len(found) > 10, found  # the domains' commands are there, not only the group's own
    return found


def test_the_commands_that_need_less_of_the_database_are_listed_with_their_reason(app):
    needs = {path: need for path, _command, need in leaf_commands(lambda: app)}
    marked = {path: need for path, need in needs.items() if need != MIGRATED_DATABASE}
    listed = {
        path: need
        for path, (need, _why) in RUN_WITHOUT_A_MIGRATED_DATABASE.items()
        if path in needs
    }
    assert marked == listed


def _value(param: click.Parameter, *, bad: bool, folder: Path) -> str:
    """A value that parses; with ``bad``, one the command must refuse."""
    kind = param.type
    if isinstance(kind, click.Path):
        existing_file = folder / "input.json"
        existing_file.write_text("{}", encoding="utf-8")
        if bad and kind.exists:  # something to read that is not there
            return str(folder / "no-such-folder" / "no-such-file.json")
        if bad:  # somewhere to write that cannot be made: beneath a file
            return str(existing_file / "output")
        if not kind.file_okay:
            (folder / "input-folder").mkdir(exist_ok=True)
            return str(folder / "input-folder")
        return str(existing_file)
    if isinstance(kind, click.Choice):
        return str(kind.choices[0])
    if isinstance(kind, (click.types.IntParamType, click.IntRange)):
        return "1"
    if isinstance(param, click.Argument):
        return "XX/999/2021"  # a case number (or code) nobody has
    return "" if bad else "x@example.se"  # an empty required text: a name, a title, a host


def command_line(path, command, *, bad: bool, folder: Path, as_user: str | None = None):
    """``path`` with every required parameter given; None when ``bad`` finds nothing to spoil."""
    args, spoiled = list(path), False
    for param in command.params:
        if isinstance(param, click.Argument) and param.required:
            args.append(_value(param, bad=bad, folder=folder))
            spoiled = spoiled or bad
        elif isinstance(param, click.Option) and "--as" in param.opts:
            if as_user is not None or param.required:
                args += ["--as", as_user if as_user is not None else "x@example.se"]
                spoiled = spoiled or as_user is not None
        elif isinstance(param, click.Option) and param.required:
            if param.is_flag:
                args.append(param.opts[0])
            else:
                args += [param.opts[0], _value(param, bad=bad, folder=folder)]
                spoiled = spoiled or bad
    if bad and not spoiled:
        return None
    return args


def fingerprint(app) -> dict:
    """What a refused command must leave as it was: every table's rows and the file store."""
    engine = sa.create_engine(app.config["DATABASE_URL"], poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            rows = {
                t: connection.execute(sa.select(sa.func.count()).select_from(sa.table(t))).scalar()
                for t in tables
            }
    finally:
        engine.dispose()
    files = Path(app.config["FILES_DIR"])
    stored = sorted(str(p) for p in files.rglob("*")) if files.exists() else []
    return {"rows": rows, "files": stored}


def assert_refused(result, args, *containing: str) -> None:
    """Exit 2, exactly one line on stderr, nothing on stdout, no traceback anywhere."""
    assert result.exit_code == 2, (args, result.exit_code, result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, (args, result.stderr)
    assert lines[0].startswith("caseflow: error: "), (args, lines)
    assert result.stdout == "", (args, result.stdout)
    assert "Traceback" not in result.output, (args, result.output)
    for text in containing:
        assert text in lines[0], (args, lines[0])


def _app_on(url: str, tmp_path: Path, *, configured: bool = True):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key" if configured else None,
            "DATABASE_URL": url,
            "FILES_DIR": str(tmp_path / "instance" / "files"),
        },
        instance_path=str(tmp_path / "instance"),
    )


@pytest.fixture
def unusable(request, database_backend, database_url, tmp_path):
    """How a command builds its app, what the message names, the app to look into (or
    None), and which commands are refused: all that need the database, or those that
    need it migrated. Every command's --help works all the same."""
    everything = {REACHABLE_DATABASE, MIGRATED_DATABASE}
    state = request.param
    kind = database_backend[0]
    sqlite_url = f"sqlite:///{tmp_path / 'instance' / 'caseflow.sqlite'}"
    if state == "not initialised":  # no instance folder, no config, no secret key

        def not_configured():
            return _app_on(sqlite_url, tmp_path, configured=False)

        yield not_configured, "caseflow init", None, everything
        return
    if state == "down":
        app = _app_on(DOWN_URL, tmp_path)
        yield (lambda: app), "127.0.0.1:1", None, everything
        return
    if state == "never migrated" and kind == "sqlite":
        (tmp_path / "instance").mkdir()
        app = _app_on(sqlite_url, tmp_path)
        yield (lambda: app), "caseflow db upgrade", None, {MIGRATED_DATABASE}
        app.extensions["caseflow.engine"].dispose()
        return
    engine = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        if state == "never migrated":  # an empty PostgreSQL database, as createdb leaves it
            connection.exec_driver_sql("DROP SCHEMA public CASCADE")
            connection.exec_driver_sql("CREATE SCHEMA public")
        else:  # migrated by an older caseflow
            connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0010'")
    engine.dispose()
    app = _app_on(database_url, tmp_path)
    yield (lambda: app), "caseflow db upgrade", app, {MIGRATED_DATABASE}
    app.extensions["caseflow.engine"].dispose()  # the database is dropped after the test


@pytest.mark.parametrize(
    "unusable", ["not initialised", "never migrated", "older revision", "down"], indirect=True
)
def test_no_command_runs_on_an_instance_or_database_it_cannot_use(unusable, tmp_path):
    create, named, inspectable, refused_needs = unusable
    instance = tmp_path / "instance"
    had_instance = instance.exists()
    before = fingerprint(inspectable) if inspectable is not None else None
    for path, command, need in leaf_commands(create):
        helped = CliRunner().invoke(cli, [*path, "--help"], obj=ScriptInfo(create_app=create))
        assert helped.exit_code == 0 and "Usage: caseflow" in helped.stdout, (path, helped.output)
        if need not in refused_needs:
            continue
        args = command_line(path, command, bad=False, folder=tmp_path)
        result = CliRunner().invoke(
            cli, args, input="ett långt lösenord\n", obj=ScriptInfo(create_app=create)
        )
        assert_refused(result, args, named)
        assert DOWN_PASSWORD not in result.output
        # Nothing made: no instance folder, no SQLite file (looking into one would make it).
        assert instance.exists() == had_instance, args
        assert not (instance / "caseflow.sqlite").exists(), args
        if before is not None:
            assert fingerprint(inspectable) == before, args


def test_every_command_refuses_bad_input_and_writes_nothing(app, make, tmp_path):
    make.series("RS")
    make.case("Inbjudan att ingå i Myndighetsnätverket")
    make.user("registrar", email="karin.ek@regionjh.se")
    runner = app.test_cli_runner()
    before = fingerprint(app)
    tried = set()
    for path, command, _needs in leaf_commands(lambda: app):
        attempts = [[*path, "--no-such-option"]]
        attempts.append(command_line(path, command, bad=True, folder=tmp_path))
        has_as = any("--as" in getattr(p, "opts", ()) for p in command.params)
        if has_as:
            for who in ("nobody@example.se", "", "  "):
                attempts.append(
                    command_line(path, command, bad=False, folder=tmp_path, as_user=who)
                )
        for args in filter(None, attempts):
            result = runner.invoke(cli, args, input="\n")
            assert_refused(result, args)
            tried.add(path)
        assert fingerprint(app) == before, path
    # The words of the issue: an unknown case number, a missing file, an unknown --as.
    assert {("case", "show"), ("import", "cases"), ("case", "list")} <= tried


def test_usage_errors_are_one_line_too(runner):
    for args in (["case", "create"], ["case", "list", "--status", "pending"], ["no-such"]):
        result = runner.invoke(cli, args)
        assert_refused(result, args)
        assert "Usage:" not in result.output and "--help" in result.stderr


def test_a_group_without_its_command_shows_its_help(runner):
    for args in ([], ["case"], ["mail", "mailbox"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0 and result.stderr == ""
        assert result.stdout.startswith(f"Usage: caseflow {' '.join(args)}".rstrip())


def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_the_log(app, runner):
    @app.cli.command("explode")
    def explode():
        raise RuntimeError("the inner workings of caseflow")

    @app.cli.command("interrupted")
    def interrupted():
        raise KeyboardInterrupt

    result = runner.invoke(cli, ["explode"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    log = Path(app.instance_path) / "logs" / "cli.log"
    assert str(log) in line and "inner workings" not in result.output
    assert "Traceback" in log.read_text() and "the inner workings of caseflow" in log.read_text()
    assert oct(log.stat().st_mode & 0o777) == "0o600"
    assert runner.invoke(cli, ["interrupted"]).exit_code == 130


def test_the_language_of_the_message_is_the_commands(app, runner, make):
    app.config["CLI_LANGUAGE"] = "en"
    english = runner.invoke(cli, ["case", "list", "--as", ""])
    app.config["CLI_LANGUAGE"] = "sv"
    swedish = runner.invoke(cli, ["case", "list", "--as", ""])
    assert "empty" in english.stderr and "tom" in swedish.stderr


def _caseflow(tmp_path, *args, env=None):
    instance = tmp_path / "instance"
    instance.mkdir(exist_ok=True)
    (instance / "config.py").write_text("SECRET_KEY = 'x' * 40\n", encoding="utf-8")
    environment = os.environ | {"CASEFLOW_INSTANCE": str(instance)} | (env or {})
    environment.pop("CASEFLOW_DATABASE_URL", None)
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "caseflow", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_the_real_command_keeps_the_contract(tmp_path):
    never_migrated = _caseflow(tmp_path, "case", "show", "RS/1/2021")
    assert never_migrated.returncode == 2
    assert never_migrated.stderr.splitlines() == [
        "caseflow: error: Databasen är inte uppsatt: kör `caseflow db upgrade`."
    ]
    assert not (tmp_path / "instance" / "caseflow.sqlite").exists()
    down = _caseflow(
        tmp_path,
        "case",
        "list",
        env={"CASEFLOW_DATABASE_URL": DOWN_URL, "CASEFLOW_CLI_LANGUAGE": "en"},
    )
    assert down.returncode == 2 and down.stdout == ""
    (line,) = down.stderr.splitlines()
    assert line.startswith("caseflow: error: The database at 127.0.0.1:1/caseflow cannot be")
    assert DOWN_PASSWORD not in down.stderr


def test_a_logged_error_is_one_line_and_its_traceback_goes_to_the_log(tmp_path):
    # What a job logs with its traceback (a mailbox poll that failed) in a `caseflow`
    # process; pytest routes the log of its own process, so this one runs apart.
    script = (
        "import logging\n"
        "from caseflow.cli_contract import keep_tracebacks_off_the_terminal\n"
        "keep_tracebacks_off_the_terminal()\n"
        "try:\n"
        "    raise OSError('imap.regionjh.se refused the login')\n"
        "except OSError:\n"
        "    logging.getLogger('caseflow.mail.jobs').exception('poll of mailbox 3 failed')\n"
    )
    environment = os.environ | {"TMPDIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment
    )
    (line,) = result.stderr.splitlines()
    assert "caseflow.mail.jobs poll of mailbox 3 failed (details: " in line
    assert "Traceback" not in result.stderr and "refused the login" not in result.stderr
    (log,) = tmp_path.glob("caseflow-cli-*.log")
    assert "Traceback" in log.read_text() and "refused the login" in log.read_text()

"""The CLI contract: words, JSON and exit codes that scripts rely on."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import func, select

from caseflow.auth.models import User
from caseflow.cases.models import Case
from caseflow.cli import cli


def run(runner, *args, input=None):
    return runner.invoke(cli, list(args), input=input)


def _count_rows(make):
    """Cases and users: what a bad command must not have written."""
    make.session.rollback()
    return tuple(
        make.session.exec(select(func.count()).select_from(model)).one() for model in (Case, User)
    )


def test_user_add_with_password_from_stdin(runner, make):
    result = run(
        runner,
        "user",
        "add",
        "--email",
        "Karin.Ek@RegionJH.se",
        "--name",
        "Karin Ek",
        "--role",
        "registrar",
        "--password-stdin",
        "--json",
        input="ett långt lösenord\n",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["email"] == "karin.ek@regionjh.se"
    user = make.session.exec(select(User).where(User.email == "karin.ek@regionjh.se")).one()
    assert user.role == "registrar" and user.password_hash.startswith("$argon2")


def test_case_create_prints_the_new_number_as_json(runner, make):
    make.series("RS")
    make.user("official", email="erik.noaksson@regionjh.se", name="Erik Noaksson")
    result = run(
        runner,
        "case",
        "create",
        "--series",
        "RS",
        "--title",
        "Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
        "--officer",
        "erik.noaksson@regionjh.se",
        "--year",
        "2021",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["number"] == "RS/1/2021"
    assert data["officer"] == "erik.noaksson@regionjh.se"
    assert data["status"] == "registered"


def test_case_show_and_list_as_json(runner, make):
    case = make.case(
        "Inbjudan att ingå i Myndighetsnätverket",
        parties=[{"organisation": "Länsstyrelsen Jämtlands län"}],
    )
    # Matched to the organisation in the register: without --as the JSON is what the
    # public may read, and an unmatched sender would be "Privatperson" there.
    make.document(
        case,
        title="Inbjudan",
        counterpart="Länsstyrelsen Jämtlands län",
        party_id=make.party("Länsstyrelsen Jämtlands län").id,
        message_id="<abc@lansstyrelsen.se>",
        files=[("inbjudan.eml", b"From: x")],
    )
    shown = run(runner, "case", "show", "rs/1/2021", "--json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    assert data["number"] == "RS/1/2021" and data["status"] == "registered"
    (doc,) = data["documents"]
    assert doc["number"] == "RS/1/2021-1"
    assert doc["direction"] == "incoming" and doc["counterpart"] == "Länsstyrelsen Jämtlands län"
    assert doc["message_id"] == "<abc@lansstyrelsen.se>"
    assert doc["files"][0]["filename"] == "inbjudan.eml"
    listed = json.loads(
        run(runner, "case", "list", "--series", "RS", "--year", "2021", "--json").output
    )
    assert [c["number"] for c in listed] == ["RS/1/2021"]
    assert json.loads(run(runner, "case", "list", "--status", "closed", "--json").output) == []


def test_case_output_masks_secrets_unless_the_viewer_may_see_them(runner, make):
    owner = make.user("official")
    make.case(
        "Hemlig utredning om Anna",
        officer=owner,
        title_is_secret=True,
        public_title="Utredning",
        secrecy_provision="OSL 26 kap. 1 §",
    )
    public = json.loads(run(runner, "case", "show", "RS/1/2021", "--json").output)
    assert public["title"] == "Utredning"
    own = json.loads(run(runner, "case", "show", "RS/1/2021", "--as", owner.email, "--json").output)
    assert own["title"] == "Hemlig utredning om Anna"


@pytest.mark.parametrize(
    "args",
    [
        ("case", "create", "--series", "XX", "--title", "x"),
        ("case", "create", "--series", "RS", "--title", " "),
        ("case", "create", "--series", "RS", "--title", "x", "--officer", "nobody@x.se"),
        ("case", "create", "--series", "RS", "--title", "x", "--class", "9.9.9"),
        ("case", "show", "RS/999/2021"),
        ("case", "show", "inte-ett-nummer"),
        ("user", "add", "--email", "not-an-email", "--name", "X", "--role", "registrar"),
        ("user", "add", "--email", "a@b.se", "--name", "X", "--role", "king"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(runner, make, args):
    make.series("RS")
    before = _count_rows(make)
    result = run(runner, *args)
    assert result.exit_code == 2, result.output
    assert _count_rows(make) == before


def _caseflow(tmp_path, *args, input=None, env=None):
    environment = os.environ | {"CASEFLOW_INSTANCE": str(tmp_path / "instance")} | (env or {})
    environment.pop("CASEFLOW_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "caseflow", *args],
        capture_output=True,
        text=True,
        input=input,
        env=environment,
        timeout=120,
    )


def test_a_newcomer_runs_init_upgrade_and_demo(tmp_path):
    assert _caseflow(tmp_path, "init").returncode == 0
    config = (tmp_path / "instance" / "config.py").read_text()
    assert "SECRET_KEY" in config
    assert _caseflow(tmp_path, "db", "upgrade").returncode == 0
    demo = _caseflow(tmp_path, "demo")
    assert demo.returncode == 0, demo.stderr
    assert "karin.ek@regionjh.se" in demo.stdout and "demo-caseflow" in demo.stdout
    again = _caseflow(tmp_path, "demo", "--if-empty")
    assert again.returncode == 0 and "Databasen har redan ärenden" in again.stdout
    in_english = _caseflow(tmp_path, "demo", "--if-empty", env={"CASEFLOW_CLI_LANGUAGE": "en"})
    assert "The database already has cases" in in_english.stdout
    shown = _caseflow(tmp_path, "case", "show", "RS/720/2021", "--json")
    assert json.loads(shown.stdout)["title"].startswith("Projekt Test av coworking")
    assert _caseflow(tmp_path, "audit", "verify").returncode == 0


def test_errors_are_one_line_on_stderr_with_exit_code_2(tmp_path):
    _caseflow(tmp_path, "init")
    _caseflow(tmp_path, "db", "upgrade")
    for args in (
        ("case", "show", "RS/1/2021"),
        ("case", "list", "--bogus"),
        ("case", "create", "--series", "RS"),
    ):
        result = _caseflow(tmp_path, *args)
        assert result.returncode == 2, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("caseflow: error:")
        assert result.stdout == ""


def test_every_command_has_help(tmp_path):
    commands = [
        (),
        ("init",),
        ("db", "upgrade"),
        ("demo",),
        ("serve",),
        ("user", "add"),
        ("case", "create"),
        ("case", "show"),
        ("case", "list"),
        ("import", "cases"),
        ("classification", "import"),
        ("classification", "export"),
        ("classification", "list"),
        ("audit", "verify"),
        ("document", "correct"),
        ("document", "move"),
    ]
    # The real entry point, each command's help in turn, in one interpreter (a process each
    # would spend most of the test starting Python).
    script = (
        "import sys\n"
        "from caseflow.cli import main\n"
        f"for command in {commands!r}:\n"
        "    try:\n"
        "        main([*command, '--help'])\n"
        "    except SystemExit as exit:\n"
        "        print('=== exit', exit.code, command)\n"
    )
    environment = os.environ | {"CASEFLOW_INSTANCE": str(tmp_path / "instance")}
    environment.pop("CASEFLOW_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=environment, timeout=120
    )
    helps = result.stdout.split("=== exit")
    exits = [line.split()[2] for line in result.stdout.splitlines() if line.startswith("=== exit")]
    assert exits == ["0"] * len(commands), result.stdout + result.stderr
    assert all("Usage: caseflow" in text for text in helps[: len(commands)]), result.stdout
    # The top-level help lists the commands every domain registers in its init_app.
    domains = ("case", "converter", "demo", "document", "excerpt", "import", "mail", "scheduler")
    for name in (*domains, "user"):
        assert f"\n  {name} " in helps[0], name


def test_the_instance_folder_defaults_to_the_working_directory(tmp_path):
    env = os.environ.copy()
    env.pop("CASEFLOW_INSTANCE", None)
    result = subprocess.run(
        [sys.executable, "-m", "caseflow", "init"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert Path(tmp_path / "instance" / "config.py").exists()


def test_a_domain_command_before_init_says_so_in_one_line(tmp_path):
    for args in (("case", "list"), ("db", "upgrade")):
        result = _caseflow(tmp_path, *args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.strip().splitlines() == [
            "caseflow: error: SECRET_KEY is not set: run `caseflow init` or set CASEFLOW_SECRET_KEY"
        ], result.stderr
    assert not (tmp_path / "instance" / "caseflow.sqlite").exists()

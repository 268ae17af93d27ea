"""The keyed audit chain against someone who can write the database but has not got the key
or the checkpoint file: they drop the triggers, change an event and recompute every later
link as the old code did, or cut the newest events and lower the head. Each is named."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from caseflow.common.audit import unkeyed_link
from caseflow.common.audit_checkpoints import checkpoint_file, take_checkpoint
from caseflow.common.audit_verify import verify as verify_chain
from caseflow.common.models import AuditEvent


def drop_guard(session):
    """What an attacker with the database's owner rights does first."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("DROP TRIGGER audit_event_no_change ON audit_event"))
    else:
        session.execute(sa.text("DROP TRIGGER audit_event_no_update"))
        session.execute(sa.text("DROP TRIGGER audit_event_no_delete"))


def _events(session):
    table = AuditEvent.__table__
    return session.execute(sa.select(table).order_by(table.c.seq)).mappings().all()


def rewrite_from(session, seq: int, change: dict, *, scheme: int | None = None) -> None:
    """Change event ``seq`` and recompute every later link without the key, as the chain
    was computed before it was keyed; then move the head along."""
    prev = None
    for row in _events(session):
        values = dict(row)
        if values["seq"] < seq:
            prev = values["hash"]
            continue
        if values["seq"] == seq:
            values.update(change)
        values["prev_hash"] = prev if prev is not None else values["prev_hash"]
        if scheme is not None:
            values["scheme"], values["key_id"] = scheme, None
        values["hash"] = prev = unkeyed_link(values)
        session.execute(
            sa.text(
                "UPDATE audit_event SET actor_label = :actor_label, after = :after, "
                "prev_hash = :prev_hash, hash = :hash, scheme = :scheme, key_id = :key_id "
                "WHERE seq = :seq"
            ),
            values,
        )
    session.execute(sa.text("UPDATE audit_head SET last_hash = :h WHERE id = 1"), {"h": prev})
    session.commit()


def _cases(make, n):
    for i in range(n):
        make.case(f"Ärende {i}")


def _verify(runner, *args):
    from caseflow.cli import cli

    return runner.invoke(cli, ["audit", "verify", *args])


def test_each_event_is_keyed_and_the_key_is_a_file_only_its_owner_reads(make, app):
    _cases(make, 2)
    rows = _events(make.session)
    assert {r["scheme"] for r in rows} == {2}
    key_path = Path(app.instance_path) / "audit.key"
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    secret = key_path.read_text().strip()
    dumped = json.dumps([dict(r) for r in rows], default=str)
    head = make.session.execute(sa.text("SELECT * FROM audit_head")).mappings().one()
    assert secret not in dumped and secret not in json.dumps(dict(head), default=str)
    # The seal (a new database: nothing before the key) is the first checkpoint.
    first = json.loads(checkpoint_file(app).read_text().splitlines()[0])
    assert (first["sealed_seq"], head["sealed_seq"]) == (0, 0)
    result = verify_chain(make.session)
    assert result.ok and result.checked == len(rows) and result.warnings == []


def test_an_event_changed_and_every_later_link_recomputed_without_the_key(make, runner):
    _cases(make, 5)
    drop_guard(make.session)
    rewrite_from(make.session, 3, {"after": json.dumps({"title": "Falsk"})})
    result = verify_chain(make.session)
    assert not result.ok
    first = result.problems[0]
    assert (first.code, first.seq, first.detail["recomputed"]) == ("changed", 3, 2)
    cli = _verify(runner)
    assert cli.exit_code == 1
    assert "Händelse 3 har ändrats" in cli.output


def test_a_rewrite_that_claims_the_old_unkeyed_rule_is_named(make, runner):
    _cases(make, 5)
    drop_guard(make.session)
    rewrite_from(make.session, 4, {"actor_label": "mallory"}, scheme=1)
    result = verify_chain(make.session)
    assert not result.ok
    assert ("unkeyed_after_seal", 4) in [(p.code, p.seq) for p in result.problems]
    broken = _verify(runner, "--json")
    assert broken.exit_code == 1 and json.loads(broken.output)["broken_seq"] == 4


def test_a_deleted_event_is_a_gap(make):
    _cases(make, 4)
    drop_guard(make.session)
    make.session.execute(sa.text("DELETE FROM audit_event WHERE seq = 2"))
    make.session.commit()
    result = verify_chain(make.session)
    gap = result.problems[0]
    assert (gap.code, gap.detail) == ("missing", {"first": 2, "last": 2})


def test_the_newest_events_cut_and_the_head_lowered_are_found_by_the_checkpoint(make, app, runner):
    _cases(make, 6)
    checkpoint = take_checkpoint(app)
    assert checkpoint["seq"] == 6
    drop_guard(make.session)
    row = make.session.execute(sa.text("SELECT hash FROM audit_event WHERE seq = 4")).one()
    make.session.execute(sa.text("DELETE FROM audit_event WHERE seq > 4"))
    make.session.execute(
        sa.text("UPDATE audit_head SET last_seq = 4, last_hash = :h WHERE id = 1"), {"h": row.hash}
    )
    make.session.commit()
    result = verify_chain(make.session)
    assert [
        (p.code, p.detail["chain_end"], p.detail["checkpoint_seq"]) for p in result.problems
    ] == [("truncated", 4, 6)]
    cli = _verify(runner)
    assert cli.exit_code == 1 and "slutar vid händelse 4" in cli.output


def test_a_checkpoint_whose_head_is_not_in_the_chain(make, app):
    _cases(make, 3)
    take_checkpoint(app)
    drop_guard(make.session)
    # Rewrite the last event (its link recomputed without the key) and keep the length.
    rewrite_from(make.session, 3, {"actor_label": "mallory"})
    codes = [p.code for p in verify_chain(make.session).problems]
    assert codes == ["changed", "checkpoint_mismatch"]


def test_an_edited_checkpoint_line_is_named(make, app, runner):
    _cases(make, 3)
    take_checkpoint(app)
    path = checkpoint_file(app)
    lines = path.read_text().splitlines()
    entry = json.loads(lines[-1])
    entry["seq"] = 1  # to make a cut chain look complete
    path.write_text("\n".join([*lines[:-1], json.dumps(entry)]) + "\n")
    result = verify_chain(make.session)
    assert [(p.code, p.detail) for p in result.problems] == [
        ("checkpoint_forged", {"line": len(lines)})
    ]
    cli = _verify(runner)
    assert cli.exit_code == 1 and f"rad {len(lines)}" in cli.output


def test_a_checkpoint_copied_from_syslog_is_checked_too(make, app, runner, tmp_path):
    _cases(make, 2)
    entry = take_checkpoint(app)
    copy = tmp_path / "remote.log"
    line = json.dumps({k: v for k, v in entry.items() if k != "sealed_now"})
    copy.write_text(f"Dec  3 01:00:00 app1 caseflow-audit-checkpoint: {line}\n")
    ok = _verify(runner, "--checkpoints", str(copy), "--json")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["checkpoint"]["seq"] == 2


def test_without_a_key_verify_says_so_and_exits_2(make, app, runner):
    _cases(make, 1)
    os.unlink(os.path.join(app.instance_path, "audit.key"))
    app.extensions.pop("caseflow.audit_key")
    result = _verify(runner)
    assert result.exit_code == 2
    assert "Ingen granskningsnyckel" in result.output and "Traceback" not in result.output
    # A keyed trail refuses to go on without its key rather than write unkeyed links.
    with pytest.raises(Exception, match="no audit key"):
        make.case("Utan nyckel")


def test_checkpoints_are_appended_and_synced_with_owner_only_rights(make, app, runner):
    from caseflow.cli import cli

    _cases(make, 1)
    before = checkpoint_file(app).read_text().splitlines()
    result = runner.invoke(cli, ["audit", "checkpoint", "--json"])
    assert result.exit_code == 0, result.output
    after = checkpoint_file(app).read_text().splitlines()
    assert after[: len(before)] == before and len(after) == len(before) + 1
    assert stat.S_IMODE(os.stat(checkpoint_file(app)).st_mode) == 0o600


def test_checkpoint_to_syslog(make, app):
    import socket

    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(5)
    _cases(make, 1)
    app.config.update(
        AUDIT_CHECKPOINT_SYSLOG=True,
        AUDIT_CHECKPOINT_SYSLOG_ADDRESS=["127.0.0.1", receiver.getsockname()[1]],
    )
    entry = take_checkpoint(app)
    message = receiver.recv(4096).decode()
    receiver.close()
    assert "caseflow-audit-checkpoint:" in message and entry["mac"] in message


def test_the_scheduler_writes_a_checkpoint(make, app, runner):
    from caseflow.cli import cli

    user = make.user("registrar")
    lines = checkpoint_file(app).read_text().splitlines()
    result = runner.invoke(cli, ["scheduler", "--once"])
    assert result.exit_code == 0, result.output
    newest = json.loads(checkpoint_file(app).read_text().splitlines()[-1])
    assert len(checkpoint_file(app).read_text().splitlines()) == len(lines) + 1
    seq = make.session.execute(sa.text("SELECT max(seq) FROM audit_event")).scalar()
    assert newest["seq"] == seq and user is not None


def test_the_same_key_from_the_environment_goes_on_and_another_key_is_refused(make, app):
    from caseflow.common.audit_key import AuditKeyError

    _cases(make, 1)
    app.config["AUDIT_KEY"] = (Path(app.instance_path) / "audit.key").read_text().strip()
    app.extensions.pop("caseflow.audit_key")
    make.case("Samma nyckel, nu i miljön")
    assert verify_chain(make.session).ok
    app.config["AUDIT_KEY"] = "en-helt-annan-nyckel-" + "x" * 32
    app.extensions.pop("caseflow.audit_key")
    with pytest.raises(AuditKeyError, match="not the one the trail is keyed with"):
        make.case("Med fel nyckel")
    make.session.rollback()
    assert [p.code for p in verify_chain(make.session).problems] == ["other_key"]


def test_an_unreadable_checkpoint_file_is_said_in_one_line(make, app, runner, tmp_path):
    _cases(make, 1)
    app.config["AUDIT_CHECKPOINT_FILE"] = str(tmp_path)  # a folder: open() fails, even for root
    result = _verify(runner)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "Kontrollpunktsfilen" in result.output and "kan inte läsas" in result.output


def test_init_creates_the_key_file_for_its_owner_only_and_never_replaces_it(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from caseflow.cli import cli

    monkeypatch.setenv("CASEFLOW_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.delenv("CASEFLOW_AUDIT_KEY", raising=False)
    assert CliRunner().invoke(cli, ["init"]).exit_code == 0
    key = tmp_path / "instance" / "audit.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_text().strip()) == 64
    first = key.read_text()
    assert CliRunner().invoke(cli, ["init"]).exit_code == 0
    assert key.read_text() == first
    assert [p.name for p in key.parent.iterdir() if p.name.startswith(".")] == []

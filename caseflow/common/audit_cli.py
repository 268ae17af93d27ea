"""``caseflow audit verify`` and ``caseflow audit checkpoint``.

Exit codes of ``verify``: 0 the trail holds; 1 something is wrong (each problem named on
its own line); 2 it cannot be checked (no audit key configured, or another key than the
trail's, or the checkpoint file given cannot be read). ``checkpoint``: 0 written; 1 the
file or syslog could not take it; 2 no key, or another key than the trail's.
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.common.audit_key import AuditKeyError, key_file, load_key
from caseflow.common.cli import CliError, echo_json
from caseflow.common.timeutil import local

audit_group = AppGroup("audit", help="The audit trail: verify it, write a checkpoint.")


def local_time(text: str | None) -> str:
    """A checkpoint's ISO time as the organisation's local time, e.g. 2026-12-03 02:10."""
    try:
        return local(datetime.fromisoformat(text)).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return text or "—"


def describe(problem) -> str:
    """One problem of :func:`audit_verify.verify` in words a registrar understands."""
    d, seq = problem.detail, problem.seq
    match problem.code:
        case "no_key":
            return _(
                "No audit key is configured (AUDIT_KEY or the key file %(path)s): "
                "the audit trail cannot be checked.",
                path=key_file(current_app),
            )
        case "other_key":
            return _(
                "The audit trail was written with another key (id %(key_id)s) than the "
                "configured one.",
                key_id=d.get("key_id"),
            )
        case "changed":
            text = _("Event %(seq)s has been changed: its content does not match its link.",
                     seq=seq)  # fmt: skip
            if d.get("recomputed"):
                text += " " + _(
                    "The links of the %(count)s events after it do not hold either: they "
                    "were recomputed without the key.",
                    count=d["recomputed"],
                )
            return text
        case "missing":
            return _("Events %(first)s–%(last)s are missing from the chain.",
                     first=d["first"], last=d["last"])  # fmt: skip
        case "link_broken":
            return _(
                "Event %(seq)s does not link to the event before it: an event was "
                "inserted or moved.",
                seq=seq,
            )
        case "unkeyed_after_seal":
            return _(
                "Event %(seq)s carries a link made without the key after the trail was "
                "keyed: the chain was rewritten from there.",
                seq=seq,
            )
        case "sealed_history_changed":
            return _("The events written before the trail was keyed (up to event %(seq)s) "
                     "have been changed.", seq=seq)  # fmt: skip
        case "seal_changed":
            return _("The seal of the events written before the key has been changed.")
        case "seal_missing":
            return _("The seal of the events written before the key has been removed.")
        case "head_mismatch":
            return _(
                "The chain head says the trail ends at event %(head)s, but its last "
                "event is %(end)s.",
                head=d["head_seq"],
                end=d["chain_end"],
            )
        case "truncated":
            return _(
                "The newest events have been cut: the trail ends at event %(end)s, but "
                "the checkpoint of %(at)s names event %(checkpoint)s.",
                end=d["chain_end"],
                at=local_time(d.get("checkpoint_at")),
                checkpoint=d["checkpoint_seq"],
            )
        case "checkpoint_mismatch":
            return _(
                "The checkpoint on line %(line)s names another link for event %(seq)s "
                "than the one in the chain.",
                line=d["line"],
                seq=seq,
            )
        case "checkpoint_forged":
            return _(
                "The checkpoint on line %(line)s has no valid signature: it was edited "
                "or not written by caseflow.",
                line=d["line"],
            )
        case "checkpoint_backwards":
            return _(
                "The checkpoint on line %(line)s names event %(seq)s, earlier than the "
                "checkpoint before it (event %(earlier)s).",
                line=d["line"],
                seq=seq,
                earlier=d["earlier"],
            )
    return problem.code


def _warning(code: str) -> str:
    if code == "no_checkpoint":
        return _(
            "No checkpoint yet: events cut from the end could not be noticed. "
            "Run `caseflow audit checkpoint`."
        )
    return _("The audit trail is not keyed yet: it is sealed at its next event.")


@audit_group.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--checkpoints",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check against this checkpoint file (e.g. a copy from the syslog server) "
    "instead of AUDIT_CHECKPOINT_FILE.",
)
def audit_verify(as_json: bool, checkpoints: Path | None):
    """Check the chain against the key and the checkpoints; name every event that does not
    hold. Exit 1 if something is wrong, 2 if it cannot be checked (no key)."""
    from caseflow.common.audit_verify import verify
    from caseflow.db import get_session

    if checkpoints is not None and not checkpoints.is_file():
        raise CliError(_("The checkpoint file %(path)s cannot be read.", path=checkpoints))
    try:
        result = verify(get_session(), checkpoints=checkpoints)
    except OSError as exc:  # the checkpoint file exists but cannot be read
        raise CliError(
            _(
                "The checkpoint file %(path)s cannot be read (%(reason)s).",
                path=exc.filename or checkpoints,
                reason=exc.strerror or type(exc).__name__,
            )
        ) from None
    no_key = [p.code for p in result.problems] in (["no_key"], ["other_key"])
    if as_json:
        echo_json({**result.to_dict(), "messages": [describe(p) for p in result.problems]})
    elif result.ok:
        click.echo(_("Audit trail intact: %(checked)s events.", checked=result.checked))
        if result.checkpoint:
            click.echo(
                _(
                    "Latest checkpoint: event %(seq)s at %(at)s.",
                    seq=result.checkpoint["seq"],
                    at=local_time(result.checkpoint["at"]),
                )
            )
        for code in result.warnings:
            click.echo(_warning(code))
    elif no_key:
        click.echo(describe(result.problems[0]), err=True)
    else:
        click.echo(_("Audit trail BROKEN:"), err=True)
        for problem in result.problems:
            click.echo("- " + describe(problem), err=True)
    if not result.ok:
        sys.exit(2 if no_key else 1)


@audit_group.command("checkpoint")
@click.option("--json", "as_json", is_flag=True, help="Print the checkpoint as JSON.")
def audit_checkpoint(as_json: bool):
    """Sign the trail's current head and append it to the checkpoint file (and syslog)."""
    from caseflow.common.audit_checkpoints import take_checkpoint

    app = current_app._get_current_object()
    try:
        entry = take_checkpoint(app)
    except AuditKeyError:
        if load_key(app) is not None:
            raise CliError(
                _(
                    "The configured audit key is not the one the audit trail is keyed with: "
                    "no checkpoint is written until that key is configured again."
                )
            ) from None
        raise CliError(
            _(
                "No audit key is configured (AUDIT_KEY or the key file %(path)s): "
                "no checkpoint can be signed.",
                path=key_file(app),
            )
        ) from None
    except OSError as exc:
        click.echo(
            _(
                "The checkpoint could not be written (%(reason)s); nothing else changed. "
                "Check AUDIT_CHECKPOINT_FILE and the syslog settings.",
                reason=exc.strerror or type(exc).__name__,
            ),
            err=True,
        )
        sys.exit(1)
    if as_json:
        echo_json(entry)
    else:
        click.echo(
            _("Checkpoint written: event %(seq)s at %(at)s.", seq=entry["seq"],
              at=local_time(entry["at"]))
        )  # fmt: skip

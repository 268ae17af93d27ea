"""``caseflow seal create-demo``, ``caseflow seal show``, and the ``verify`` command that
the meetings domain hangs under ``caseflow excerpt``."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.common.cli import CliError, echo_json, needs_no_database
from caseflow.common.errors import CaseflowError
from caseflow.common.timeutil import local
from caseflow.seal import demo_seal
from caseflow.seal.sealer import SealError, current_sealer, unconfigured_reason
from caseflow.seal.verify import Verification, read_certificates, verify_pdf

seal_group = needs_no_database(AppGroup("seal", help="The organisation's seal on PDF documents."))


@seal_group.command("create-demo")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the PKCS#12 file (default: demo-seal.p12 in the instance folder).",
)
@click.option("--password", default=None, help="The file's password (default: a new one).")
@click.option("--organisation", default=None, help="The organisation named in the certificate.")
@click.option("--force", is_flag=True, help="Replace an existing file.")
def create_demo(out, password, organisation, force):
    """Make a self-signed demonstration seal and print the settings that use it."""
    path = (out or Path(current_app.instance_path) / demo_seal.DEMO_FILENAME).resolve()
    password = password or demo_seal.new_password()
    organisation = organisation or current_app.config.get("ORGANISATION_NAME") or ""
    try:
        demo_seal.create_demo_seal(path, password=password, organisation=organisation, force=force)
    except CaseflowError as exc:
        raise CliError(str(exc)) from exc
    click.echo(_("Wrote the demonstration seal %(path)s.", path=str(path)))
    click.echo(
        _(
            "It is not a real seal: recipients can check only that the document was not "
            "changed, not who sealed it. Put these lines into instance/config.py:"
        )
    )
    instance = Path(current_app.instance_path).resolve()
    shown = path.relative_to(instance) if path.is_relative_to(instance) else path
    click.echo(demo_seal.config_lines(shown, password), nl=False)


@seal_group.command("show")
@click.option("--json", "as_json", is_flag=True)
def show(as_json):
    """The configured seal: who it names, its issuer, validity and PAdES level."""
    try:
        sealer = current_sealer()
    except SealError as exc:
        raise CliError(str(exc)) from exc
    if as_json:
        described = sealer.describe().as_dict() if sealer else {}
        echo_json({"configured": sealer is not None, **described})
        return
    if sealer is None:
        click.echo(unconfigured_reason())
        return
    info = sealer.describe()
    click.echo(_("Seal: %(subject)s (%(org)s)", subject=info.subject, org=info.organisation))
    click.echo(_("Issued by: %(issuer)s", issuer=info.issuer))
    click.echo(_("Valid until: %(date)s", date=info.valid_until.date().isoformat()))
    click.echo(_("Level: PAdES %(level)s", level=info.level))
    if info.is_demo:
        click.echo(_("This is a demonstration seal, not the organisation's real seal."))


@needs_no_database
@click.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--trust",
    "trust",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A trusted certificate (PEM or DER); default: the configured seal's certificate.",
)
@click.option("--json", "as_json", is_flag=True)
def verify_command(file, trust, as_json):
    """Check the seal of a PDF: exit 0 when it is intact, trusted and covers the whole file."""
    roots = []
    for path in trust:
        try:
            roots += read_certificates(path)
        except (OSError, ValueError) as exc:
            raise CliError(
                _("%(path)s holds no certificate in PEM or DER form.", path=str(path))
            ) from exc
    if not trust:
        try:
            sealer = current_sealer()
        except SealError as exc:
            raise CliError(str(exc)) from exc
        roots = [sealer.certificate] if sealer is not None else []
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CliError(_("%(path)s cannot be read.", path=str(file))) from exc
    result = verify_pdf(data, roots)
    if as_json:
        echo_json({"file": str(file), **result.as_dict()})
    else:
        _print(result)
    if not result.ok:
        sys.exit(1)


def _print(result: Verification) -> None:
    if result.signatures:
        click.echo(_("Signed by: %(name)s (%(org)s)", name=result.signer, org=result.organisation))
        click.echo(_("Issued by: %(issuer)s", issuer=result.issuer))
        if result.signed_at is not None:
            when = local(result.signed_at).strftime("%Y-%m-%d %H:%M:%S %Z")
            source = (
                _("time from a timestamp server")
                if result.time_source == "timestamp"
                else _("the sealer's own clock")
            )
            click.echo(_("Signed at: %(when)s (%(source)s)", when=when, source=source))
        if result.signed_digest:
            click.echo(
                _(
                    "Signed bytes (%(algorithm)s): %(digest)s",
                    algorithm=result.digest_algorithm,
                    digest=result.signed_digest,
                )
            )
        if result.is_demo:
            click.echo(_("This is a demonstration seal, not an organisation's real seal."))
    click.echo(_("File sha256: %(sha)s", sha=result.sha256))
    if result.ok:
        click.echo(_("The seal is intact, trusted and covers the whole file."))
    else:
        click.echo(_("NOT VALID: %(problem)s", problem=result.message), err=True)

"""``caseflow search QUERY`` and ``caseflow search reindex``.

The group treats a first argument that is not one of its commands as the query, so
``caseflow search samverk* --as karin.ek@regionjh.se`` searches; ``caseflow search query
reindex`` searches for the word "reindex" itself.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import click
from flask import current_app, g
from flask.cli import AppGroup
from flask_babel import gettext as _

from caseflow.common.cli import CliError, echo_json, transaction
from caseflow.common.roles import Role
from caseflow.common.timeutil import now
from caseflow.search import sync
from caseflow.search.models import EntryKind
from caseflow.search.query import MAX_PER_PAGE, SearchQuery, search
from caseflow.search.tokens import MAX_QUERY_CHARS


class SearchGroup(AppGroup):
    """A group whose unknown first argument is the query of its ``query`` command."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["query", *args]
        return super().parse_args(ctx, args)


search_group = SearchGroup(
    "search", help="Search cases, documents and the mail queue, or rebuild the index."
)


class StaffReader:
    """Who searches without --as: staff without any secrets, löpande post or mail queue
    (what an administrator sees), so nothing secret is printed by default."""

    is_authenticated = True
    role = Role.ADMIN
    id = None
    name = "cli"


def _segments_text(segments) -> str:
    return "".join(f"[{s.text}]" if s.is_match else s.text for s in segments)


@search_group.command("query")
@click.argument("text", nargs=-1)  # checked below: a missing query is refused in one line
@click.option("--as", "actor_email", default=None, help="Search as this user sees it.")
@click.option(
    "--type",
    "kind",
    default=None,
    help="Only cases, documents or mail-queue messages: case, document or message.",
)
@click.option("--limit", default="20", help=f"How many hits to print (1–{MAX_PER_PAGE}).")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
def search_query(text, actor_email, kind, limit, as_json):
    """Print what TEXT finds: number, kind, title and snippet, as the user sees them."""
    text = " ".join(text).strip()
    if not text:
        raise CliError(_("Give something to search for."))
    if len(text) > MAX_QUERY_CHARS:
        raise CliError(
            _("The search text is too long (at most %(n)d characters).", n=MAX_QUERY_CHARS)
        )
    if kind is not None and kind not in tuple(EntryKind):
        raise CliError(_("--type must be case, document or message, not »%(value)s«.", value=kind))
    try:
        per_page = int(limit)
    except ValueError:
        per_page = 0
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise CliError(_("--limit must be a number from 1 to %(max)d.", max=MAX_PER_PAGE))
    with transaction(actor_email) as session:
        viewer = g.get("cli_actor") or StaffReader()
        query = SearchQuery(text=text, kinds=(kind,) if kind else (), per_page=per_page)
        results = search(session, viewer, query)
    if as_json:
        echo_json(
            {
                "total": results.total,
                "more": results.is_capped,
                "direct": None
                if results.direct is None
                else {"kind": results.direct.kind, "number": results.direct.number},
                "hits": [
                    {
                        "number": h.number,
                        "kind": h.kind,
                        "id": h.target_id,
                        "title": h.title,
                        "snippet": "".join(s.text for s in h.snippet),
                        "highlights": [s.text for s in h.snippet if s.is_match],
                        "voided": h.is_voided,
                        "date": h.dated_on,
                    }
                    for h in results.hits
                ],
            }
        )
        return
    if results.direct is not None:
        click.echo(_("Number %(number)s:", number=results.direct.number))
    if results.is_capped:
        click.echo(_("Hits: more than %(n)d.", n=results.total))
    else:
        click.echo(_("Hits: %(n)d.", n=results.total))
    for hit in results.hits:
        voided = " " + _("(voided)") if hit.is_voided else ""
        click.echo(f"{hit.number or '—'}  {hit.kind}  {hit.title}{voided}")
        if hit.snippet:
            click.echo("    " + _segments_text(hit.snippet))


def _marker() -> Path:
    return Path(current_app.instance_path) / "search-reindex.json"


@search_group.command("reindex")
@click.option("--progress", "show_progress", is_flag=True, help="Show a progress bar.")
@click.option("--batch", default=500, type=click.IntRange(10, 10000), help="Things per commit.")
def search_reindex(show_progress, batch):
    """Rebuild the search index from every case, document and mail-queue message,
    committing per batch. An interrupted run goes on where it stopped when run again."""
    marker = _marker()
    since = None
    if marker.exists():
        try:
            since = datetime.fromisoformat(json.loads(marker.read_text())["started_at"])
        except (ValueError, KeyError, TypeError):
            since = None
    if since is None:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(json.dumps({"started_at": now().isoformat()}))
    else:
        click.echo(_("Going on with the run begun %(when)s.", when=since.isoformat(" ", "seconds")))
    with transaction() as session:
        total = sync.count_targets(session)
        if show_progress:
            with click.progressbar(length=total, label=_("Indexing"), file=sys.stderr) as bar:
                done = sync.reindex(
                    session,
                    progress=bar.update,
                    batch=batch,
                    since=since,
                    after_batch=session.commit,
                )
        else:
            done = sync.reindex(session, batch=batch, since=since, after_batch=session.commit)
    marker.unlink(missing_ok=True)
    click.echo(_("Indexed %(n)d cases, documents and messages.", n=done))
    _read_file_texts(show_progress)


def _read_file_texts(show_progress: bool) -> None:
    """Backfill: files stored before the index (or whose text was never read) get their
    text now, and their documents' entries follow it. A file that cannot be read is
    recorded with its reason (``caseflow search status``), never a crash."""
    from caseflow.search.jobs import extract_pending, pending_count, queue_missing

    with transaction() as session:
        queue_missing(session)
        session.commit()
        total = pending_count(session)
        if not total:
            return
        if show_progress:
            with click.progressbar(length=total, label=_("Reading files"), file=sys.stderr) as bar:
                counts = extract_pending(session, progress=lambda _status: bar.update(1))
        else:
            counts = extract_pending(session)
    read = sum(n for status, n in counts.items() if status != "skipped")
    click.echo(_("Read the text of %(n)d files (see caseflow search status).", n=read))

"""Public-side benchmark: the e-diarium's pages at 100k cases / 1M documents, and under load.

1. Data: the registry benchmark's diarium (``bench.registry.generate``) and caseflow's own
   search index over it (``bench.search.build_index``), in ``bench/data/`` for SQLite.
2. Server time (in-process Flask test client, anonymous): the public case page, the public
   search by a rare word, a common word and a case number, and the postlista of a day,
   p50/p95 against the floor, the page's essential SQL run bare in the same run. The
   officials' case page (logged in) is timed beside them.
3. Under load: gunicorn with ``--workers`` serves caseflow, and with the same settings a
   bare Flask page ("hello"); ``--connections`` keep-alive clients on this machine for
   ``--duration`` seconds, the bare page, the public case page and the officials' case
   page in turn, ``--rounds`` times. Requests per second (median of the rounds) of the
   two case pages as a share of the bare page's in the same round (median; target ≥ 0.3
   for the public page).
   The public limits are off for this (one client would get 429 at once), unless
   ``--with-limits memory://`` (or ``redis://…``) counts them, set too high to be reached,
   to show what the limiter costs.

The public pages' URLs are those of the issue's contract (``--case-url`` etc. change
them); a page whose URL the app does not route is left out and the table says so.

::

    .venv/bin/python bench/public.py                              # SQLite, 100,000 cases
    .venv/bin/python bench/public.py --cases 2000 --duration 5    # a quick look
    .venv/bin/python bench/public.py --keep                       # reuse the generated data
    .venv/bin/python bench/public.py --database-url postgresql+psycopg://…/cf_public_bench

Results: the table is printed; ``bench/results/public.json`` keeps one entry per backend.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages first

from bench import registry, search  # noqa: E402
from bench.public_load import Gunicorn, get, login_cookie, run_load  # noqa: E402
from bench.search_measure import floor_statements  # noqa: E402
from caseflow.cases.models import Case, Series  # noqa: E402
from caseflow.db import dispose_engines  # noqa: E402
from caseflow.documents.models import Document  # noqa: E402

RESULTS_FILE = registry.BENCH_DIR / "results" / "public.json"
MARKER_SERIES = "PBENCH"
TARGET_CASE_P95_MS = 50.0
TARGET_SHARE_OF_BARE = 0.3


def marker(args) -> str:
    return f"Public benchmark: {args.cases}x{args.docs_per_case}"


def prepare(url: str, args, app) -> dict:
    """Generate (or reuse) the diarium and its search index."""
    engine: sa.Engine = app.extensions["caseflow.engine"]
    series = Series.__table__
    if sa.inspect(engine).has_table("series"):
        with engine.connect() as conn:
            found = conn.execute(
                sa.select(series.c.name).where(series.c.code == MARKER_SERIES)
            ).scalar()
        if found == marker(args):
            print(f"reusing the data generated earlier ({found})")
            search.settle_search(engine)
            return {"reused": True}
    engine.dispose()  # SQLite: the generator's bulk engine must be alone on the file
    print(f"generating {args.cases} cases, ~{args.cases * args.docs_per_case} documents")
    out = {"reused": False, "registry": registry.generate(url, args, app)}
    search.settle_search(engine)
    print("building the search index through caseflow.search.sync.reindex")
    out["index"] = search.build_index(app, engine)
    search.settle_search(engine)
    with engine.begin() as conn:
        conn.execute(series.insert().values(code=MARKER_SERIES, name=marker(args)))
    return out


def sample(engine: sa.Engine, rng: random.Random) -> dict:
    """Case numbers and registration days to ask for, drawn from the data."""
    case, series, doc = Case.__table__, Series.__table__, Document.__table__
    with engine.connect() as conn:
        top = conn.execute(sa.select(sa.func.max(case.c.id))).scalar() or 1
        ids = rng.sample(range(1, top + 1), min(top, 2000))
        cases = conn.execute(
            sa.select(series.c.code, case.c.seq, case.c.year, case.c.number)
            .join(series, series.c.id == case.c.series_id)
            .where(case.c.id.in_(ids))
        ).all()
        stamps = conn.execute(
            sa.select(doc.c.registered_at).where(doc.c.id.in_(ids)).limit(200)
        ).scalars()
        days = sorted({stamp.date() for stamp in stamps})
    return {"cases": cases, "days": days or [datetime.now(UTC).date()]}


def routed(app, path: str) -> bool:
    """Whether the app has a route for ``path`` (the public pages arrive with the issue)."""
    try:
        app.url_map.bind("localhost").match(path.split("?", 1)[0])
    except (RequestRedirect, MethodNotAllowed):
        return True
    except NotFound:
        return False
    return True


def pages(args, engine: sa.Engine, data: dict, rng: random.Random) -> list[dict]:
    """The measured pages: name, URL maker, floor (bare SQL), target."""
    case, doc = Case.__table__, Document.__table__
    dialect = engine.dialect.name

    def case_url(template):
        return lambda: template.format(
            **dict(zip(("series", "seq", "year", "number"), rng.choice(data["cases"]), strict=True))
        )

    def detail_floor(conn):
        number = rng.choice(data["cases"])[3]
        row = conn.execute(sa.select(case).where(case.c.number == number)).one()
        conn.execute(sa.select(doc).where(doc.c.case_id == row.id).order_by(doc.c.seq)).all()

    def words_floor(word_of):
        def run(conn):
            count, page, _full, params = floor_statements(dialect, word_of(), {})
            conn.execute(count, params).scalar()
            conn.execute(page, params).all()

        return run

    def number_floor(conn):
        number = rng.choice(data["cases"])[3]
        conn.execute(sa.select(case).where(case.c.number == number)).all()

    def day_floor(conn):
        day = rng.choice(data["days"])
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        conn.execute(
            sa.select(doc, case.c.number)
            .outerjoin(case, case.c.id == doc.c.case_id)
            .where(doc.c.registered_at >= start, doc.c.registered_at < start + timedelta(days=1))
            .order_by(doc.c.registered_at)
        ).all()

    rare = lambda: rng.choice(registry.TITLE_SEARCH_WORDS)  # noqa: E731 - a few per cent
    return [
        {"name": "public case page", "url": case_url(args.case_url), "floor": detail_floor,
         "floor_sql": "case by number + its documents", "target_p95_ms": TARGET_CASE_P95_MS},
        {"name": "public search, rare word", "url": lambda: args.search_url.format(q=rare()),
         "floor": words_floor(rare), "floor_sql": "FTS count ≤ cap + a page of 20"},
        {"name": "public search, common word", "url": lambda: args.search_url.format(q="beslut"),
         "floor": words_floor(lambda: "beslut"), "floor_sql": "FTS count ≤ cap + a page of 20"},
        {"name": "public search, case number",
         "url": lambda: args.search_url.format(q=rng.choice(data["cases"])[3]),
         "floor": number_floor, "floor_sql": "SELECT … WHERE number = ?"},
        {"name": "postlista of a day",
         "url": lambda: args.postlista_url.format(date=rng.choice(data["days"]).isoformat()),
         "floor": day_floor, "floor_sql": "documents registered that day + case numbers"},
        {"name": "officials' case page (logged in)", "url": case_url("/cases/{number}"),
         "floor": detail_floor, "floor_sql": "case by number + its documents", "staff": True},
    ]  # fmt: skip


def time_pages(app, engine: sa.Engine, args, ops: list[dict]) -> list[dict]:
    """p50/p95 of each page through the test client and of its floor."""
    results = []
    anonymous, staff = app.test_client(), app.test_client()
    registry.login(staff)
    for op in ops:
        result = {"name": op["name"], "floor_sql": op["floor_sql"]}
        result["target_p95_ms"] = op.get("target_p95_ms")
        results.append(result)
        if not routed(app, op["url"]()):
            result["skipped"] = "the app has no route for it (yet)"
            continue
        print(f"  timing {op['name']} …", flush=True)
        client = staff if op.get("staff") else anonymous
        times, deadline = [], time.perf_counter() + args.max_seconds_per_op
        for i in range(args.requests + 3):
            url = op["url"]()
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            if response.status_code not in (200, 303):
                raise SystemExit(f"{op['name']}: GET {url} answered {response.status_code}")
            if i >= 3:  # the first ones warm templates, caches and the pool
                times.append(elapsed)
            if time.perf_counter() > deadline and i >= 23:
                break
        result["app"] = registry.summarise(times)
        floor = []
        with engine.connect() as conn:
            op["floor"](conn)
            for _ in range(len(times)):
                started = time.perf_counter()
                op["floor"](conn)
                floor.append(time.perf_counter() - started)
                conn.rollback()
        result["floor"] = registry.summarise(floor)
    return results


def under_load(url: str, args, ops: list[dict], app, tmp: Path) -> dict:
    """Requests/s of the bare page, the public case page and the officials' case page."""
    paths = {op["name"]: [op["url"]() for _ in range(200)] for op in ops}
    env = {
        "CASEFLOW_SECRET_KEY": "bench",
        "CASEFLOW_DATABASE_URL": url,
        "CASEFLOW_INSTANCE": str(tmp),
        "CASEFLOW_AUDIT_KEY_FILE": str(registry.DATA_DIR / "audit.key"),
        "CASEFLOW_SESSION_COOKIE_SECURE": "false",
        "CASEFLOW_REMEMBER_COOKIE_SECURE": "false",
        "CASEFLOW_RATELIMIT_ENABLED": "false",
        "CASEFLOW_SEARCH_EXTRACT_IN_PROCESS": "false",
    }
    if args.with_limits:
        # The limiter's cost: the configured endpoints counted in that storage, with limits
        # no client of this run can reach.
        never = {name: "1000000000/hour" for name in app.config["PUBLIC_RATE_LIMITS"]}
        env["CASEFLOW_RATELIMIT_ENABLED"] = "true"
        env["CASEFLOW_RATELIMIT_STORAGE_URI"] = args.with_limits
        env["CASEFLOW_PUBLIC_RATE_LIMITS"] = json.dumps(never)
    out: dict = {"settings": {k: getattr(args, k) for k in
                              ("workers", "threads", "connections", "duration",
                               "rounds", "with_limits")}}  # fmt: skip
    # Rounds, the pages taken in turn: the same server's rate moves by 3× from one run of
    # the load generator to the next (how the keep-alive connections happen to spread over
    # the workers), so one run per page compared two draws. Each page's rate is the median
    # of its rounds, and each round's share is taken against that round's bare page.
    public, official = ops[0], ops[-1]
    rounds: dict[str, list[dict]] = {"bare page": [], public["name"]: [], official["name"]: []}
    with (
        Gunicorn("bench.public_load:hello_app()", {}, args, tmp) as bare_server,
        Gunicorn("caseflow:create_app()", env, args, tmp) as server,
    ):
        if not routed(app, paths[public["name"]][0]):
            out[public["name"]] = {"skipped": "the app has no route for it (yet)"}
            del rounds[public["name"]]
        else:
            check(server.port, paths[public["name"]][0], None)
        cookie = login_cookie(server.port, registry.REGISTRAR_EMAIL, registry.REGISTRAR_PASSWORD)
        check(server.port, paths[official["name"]][0], cookie)
        for number in range(1, args.rounds + 1):
            print(f"  under load: round {number} of {args.rounds} …", flush=True)
            rounds["bare page"].append(run_load(bare_server.port, ["/"], args))
            if public["name"] in rounds:
                rounds[public["name"]].append(run_load(server.port, paths[public["name"]], args))
            rounds[official["name"]].append(
                run_load(server.port, paths[official["name"]], args, cookie)
            )
        check(server.port, paths[official["name"]][0], cookie)  # still logged in at the end
    for name, runs in rounds.items():
        out[name] = summarise_rounds(runs, rounds["bare page"] if name != "bare page" else None)
    return out


def summarise_rounds(runs: list[dict], bare: list[dict] | None) -> dict:
    """A page's rounds as one row: the median rate, every round, errors summed."""
    rates = [run["per_second"] for run in runs]
    row = {
        "generator": runs[0]["generator"],
        "per_second": round(statistics.median(rates), 1),
        "rounds_per_second": rates,
        "errors": sum(run["errors"] for run in runs),
        "status_errors": sum(run["status_errors"] for run in runs),
    }
    if bare is not None:
        shares = [
            run["per_second"] / base["per_second"] for run, base in zip(runs, bare, strict=True)
        ]
        row["share_of_bare"] = round(statistics.median(shares), 3)
        row["rounds_share_of_bare"] = [round(share, 3) for share in shares]
    return row


def check(port: int, path: str, cookie: str | None) -> None:
    """The page answers 200 with its case number: the load measures the page, not a redirect."""
    status, body = get(port, path, {"Cookie": cookie} if cookie else None)
    number = "/".join(path.rstrip("/").split("/")[-3:])
    if status != 200 or number.encode() not in body:
        raise SystemExit(f"GET {path} answered {status} without {number}: not measuring that")


def print_table(backend: str, timed: list[dict], load: dict | None) -> None:
    print(f"\n{backend}: server time (ms)")
    print(f"{'page':36} {'p50':>8} {'p95':>8} {'floor p50':>10} {'floor p95':>10}  target")
    for row in timed:
        if "skipped" in row:
            print(f"{row['name']:36} {'–':>8} {'–':>8} {'–':>10} {'–':>10}  {row['skipped']}")
            continue
        app, floor, target = row["app"], row["floor"], row["target_p95_ms"]
        mark = "" if not target else ("✓" if app["p95_ms"] <= target else "✗") + f" ≤ {target:g}"
        print(
            f"{row['name']:36} {app['p50_ms']:8.1f} {app['p95_ms']:8.1f} "
            f"{floor['p50_ms']:10.2f} {floor['p95_ms']:10.2f}  {mark}"
        )
    if not load:
        return
    print(f"\nunder load ({load['settings']}): requests/s")
    for name, row in load.items():
        if name == "settings":
            continue
        if "skipped" in row:
            print(f"{name:36} {'–':>9}  {row['skipped']}")
            continue
        share = f"{row['share_of_bare']:.2f}× the bare page" if "share_of_bare" in row else ""
        if "rounds_share_of_bare" in row:
            spread = ", ".join(f"{x:.2f}" for x in row["rounds_share_of_bare"])
            share += f" (rounds: {spread})"
        failed = row["errors"] + row["status_errors"]
        errors = f", {row['errors']} socket errors, {row['status_errors']} ≥ 400" if failed else ""
        print(f"{name:36} {row['per_second']:9.1f}  {share}{errors}")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--docs-per-case", type=int, default=10, help="average")
    parser.add_argument("--officers", type=int, default=300)
    parser.add_argument("--database-url", help="default: SQLite under bench/data/")
    parser.add_argument("--keep", action="store_true", help="reuse data of an earlier run")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--requests", type=int, default=100, help="per page, server time")
    parser.add_argument("--max-seconds-per-op", type=float, default=30)
    parser.add_argument("--case-url", default="/diarium/arende/{series}/{seq}/{year}")
    parser.add_argument("--search-url", default="/diarium/?q={q}")
    parser.add_argument("--postlista-url", default="/diarium/postlista?date={date}")
    parser.add_argument("--skip-load", action="store_true", help="server time only")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--connections", type=int, default=16, help="keep-alive clients")
    parser.add_argument("--duration", type=int, default=8, help="seconds per page and round")
    parser.add_argument("--rounds", type=int, default=5, help="under load, pages taken in turn")
    parser.add_argument("--load-threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--python-load", action="store_true", help="not wrk, even if installed")
    parser.add_argument(
        "--with-limits",
        metavar="STORAGE_URI",
        help="under load, count the public limits (never reached) in memory:// or redis://…",
    )
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    url, sqlite_file = registry.database_url(
        args.database_url, f"public-{args.cases}x{args.docs_per_case}.sqlite"
    )
    registry.start_afresh(url, sqlite_file, reuse=args.keep)
    load_at_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="caseflow-bench-") as tmp:
        # Server time without the response cache: what a page costs the first time it is
        # asked for (repeated, a cached page costs well under a millisecond). The load
        # phase serves caseflow as configured, cache and all.
        app = registry.bench_app(url, tmp, RATELIMIT_ENABLED=False, PUBLIC_CACHE_ENTRIES=0)
        engine: sa.Engine = app.extensions["caseflow.engine"]
        backend = engine.dialect.name
        print(f"{backend}: {url}")
        prepared = prepare(url, args, app)
        rng = random.Random(args.seed)
        ops = pages(args, engine, sample(engine, rng), rng)
        timed = time_pages(app, engine, args, ops)
        load = None if args.skip_load else under_load(url, args, ops, app, Path(tmp))
        dispose_engines(app)
    print_table(backend, timed, load)
    entry = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": re.sub(r"//[^@/]*@", "//…@", url),
        "python": sys.version.split()[0],
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_at_start": load_at_start,
        "load_average_at_end": os.getloadavg(),
        "cases": args.cases,
        "docs_per_case": args.docs_per_case,
        "prepared": prepared,
        "server_time": timed,
        "under_load": load,
    }
    RESULTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    try:
        everything = json.loads(RESULTS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        everything = {}
    everything[backend] = entry
    RESULTS_FILE.write_text(
        json.dumps(everything, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    print(f"\nresults written to {RESULTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

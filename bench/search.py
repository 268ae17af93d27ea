"""Search benchmark: the index at 100k cases / 1M documents / 200k file texts.

1. Generates the registry benchmark's diarium (``bench.registry.generate``) and gives
   ``--texts`` documents one file each with ~2 kB of Swedish-like extracted text
   (``bench.searchgen``), as file rows and ``file_text`` rows with status done.
2. Builds the index through caseflow's own ``caseflow.search.sync.reindex`` (committing
   every batch, as ``caseflow search reindex`` does) and reports its rate and the size of
   the index against the data.
3. Times ``caseflow.search.query.search`` for a registrar and an official (and the page
   ``/search/`` where it exists) for each query, with and without filters, against the
   floor: the bare FTS5 MATCH / tsvector @@ query with the same tokens, LIMIT and order,
   counted up to the same cap, in plain SQL. Also the case list, plain and by a title word.

::

    .venv/bin/python bench/search.py                    # SQLite in bench/data/
    .venv/bin/python bench/search.py --keep             # reuse the generated, indexed file
    .venv/bin/python bench/search.py --cases 10000 --texts 20000 --requests 30
    .venv/bin/python bench/search.py --database-url postgresql+psycopg://…/cf_search_bench

Results: the table is printed; ``bench/results/search.json`` keeps one entry per backend.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages first

from bench import registry  # noqa: E402
from bench.search_measure import measure_all, print_table  # noqa: E402
from bench.searchgen import add_file_texts  # noqa: E402
from caseflow.cases.models import Series  # noqa: E402
from caseflow.db import new_session  # noqa: E402
from caseflow.search.models import SearchEntry  # noqa: E402
from caseflow.search.sync import count_targets, reindex  # noqa: E402

RESULTS_FILE = registry.BENCH_DIR / "results" / "search.json"
MARKER_SERIES = "SBENCH"


def marker(args) -> str:
    return f"Search benchmark: {args.cases}x{args.docs_per_case}, {args.texts} texts"


def has_marker(engine: sa.Engine, args) -> bool:
    if not sa.inspect(engine).has_table("series"):
        return False
    series = Series.__table__
    with engine.connect() as conn:
        name = conn.execute(sa.select(series.c.name).where(series.c.code == MARKER_SERIES)).scalar()
    return name == marker(args)


def build_index(app, engine: sa.Engine) -> dict:
    """caseflow's own full rebuild, committing each batch; the rate per kind."""
    with app.test_request_context():
        session = new_session(engine, write=True)
        total = count_targets(session)
        seen = [0]
        started = time.perf_counter()

        def progress(n):
            seen[0] += n
            if seen[0] % 20_000 < n or seen[0] == total:
                rate = seen[0] / (time.perf_counter() - started)
                print(f"\r  indexed {seen[0]:>8}/{total} ({rate:,.0f}/s)", end="", flush=True)

        done = reindex(session, progress=progress, after_batch=session.commit)
        session.commit()
        seconds = time.perf_counter() - started
        entries = session.execute(sa.select(sa.func.count()).select_from(SearchEntry)).scalar()
        session.close()
    print()
    return {
        "things": done,
        "entries": entries,
        "seconds": round(seconds, 1),
        "per_second": round(done / seconds, 1),
    }


def settle_search(engine: sa.Engine) -> None:
    if engine.dialect.name == "postgresql":
        registry.settle(engine, "search_entry", "file_text", "document_file", "file_blob")
        registry.settle(engine)


def sizes(engine: sa.Engine, sqlite_file: Path | None) -> dict:
    """Bytes of the index against the data: per table group (SQLite: dbstat pages)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            try:
                rows = conn.execute(
                    sa.text("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")
                ).all()
            except sa.exc.OperationalError:
                return {"file": sqlite_file.stat().st_size if sqlite_file else None}
            groups: dict[str, int] = {}
            for name, size in rows:
                if name.startswith("search_fts"):
                    key = "fts5 (search_fts and its shadow tables)"
                elif "search_entry" in name:
                    key = "search_entry (rows and b-tree indexes)"
                elif "file_text" in name:
                    key = "file_text"
                else:
                    key = "other data tables and indexes"
                groups[key] = groups.get(key, 0) + size
            groups["file"] = sqlite_file.stat().st_size if sqlite_file else None
            return groups
        out = {}
        for table in ("search_entry", "file_text", "document", "case_file", "case_party"):
            out[f"{table} total"] = conn.execute(
                sa.text("SELECT pg_total_relation_size(:t)"), {"t": table}
            ).scalar()
        out["search_entry heap"] = conn.execute(
            sa.text("SELECT pg_relation_size('search_entry')")
        ).scalar()
        for name, size in conn.execute(
            sa.text(
                "SELECT indexrelname, pg_relation_size(indexrelid) FROM pg_stat_user_indexes "
                "WHERE relname = 'search_entry' ORDER BY 2 DESC"
            )
        ):
            out[f"index {name}"] = size
        out["database"] = conn.execute(
            sa.text("SELECT pg_database_size(current_database())")
        ).scalar()
        return out


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--docs-per-case", type=int, default=10, help="average")
    parser.add_argument("--officers", type=int, default=300)
    parser.add_argument("--texts", type=int, default=200_000, help="documents with file text")
    parser.add_argument("--text-size", type=int, default=2000, help="characters per text")
    parser.add_argument("--requests", type=int, default=50, help="per query and viewer")
    parser.add_argument("--max-seconds-per-op", type=float, default=20)
    parser.add_argument("--database-url", help="default: SQLite under bench/data/")
    parser.add_argument("--keep", action="store_true", help="reuse data of an earlier run")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", help="measure only queries whose name contains this")
    parser.add_argument("--prepare-only", action="store_true", help="generate and index only")
    return parser.parse_args(argv)


def prepare(url: str, args, app, sqlite_file) -> dict:
    """Generate (or reuse) the data and the index; returns what was done and how fast."""
    engine: sa.Engine = app.extensions["caseflow.engine"]
    if has_marker(engine, args):
        print(f"reusing the data generated earlier ({marker(args)})")
        settle_search(engine)
        return {"reused": True}
    out: dict = {"reused": False}
    engine.dispose()  # SQLite: the generator's bulk engine must be alone on the file
    print(f"generating {args.cases} cases, ~{args.cases * args.docs_per_case} documents")
    out["registry"] = registry.generate(url, args, app)
    print(f"adding {args.texts} file texts of ~{args.text_size} characters")
    out["texts"] = add_file_texts(engine, args.texts, args.seed, args.text_size)
    settle_search(engine)
    print("building the index through caseflow.search.sync.reindex")
    out["index"] = build_index(app, engine)
    t0 = time.perf_counter()
    settle_search(engine)
    out["index"]["vacuum_analyze_s"] = round(time.perf_counter() - t0, 1)
    with engine.begin() as conn:
        conn.execute(Series.__table__.insert().values(code=MARKER_SERIES, name=marker(args)))
    return out


def main(argv=None) -> int:
    args = parse_args(argv)
    url, sqlite_file = registry.database_url(
        args.database_url, f"search-{args.cases}x{args.docs_per_case}-{args.texts}.sqlite"
    )
    probe = sa.create_engine(url)
    backend = probe.dialect.name
    reuse = args.keep and has_marker(probe, args)
    probe.dispose()
    registry.start_afresh(url, sqlite_file, reuse=reuse)
    load_at_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="caseflow-bench-") as tmp:
        app = registry.bench_app(url, tmp)
        engine: sa.Engine = app.extensions["caseflow.engine"]
        print(f"{backend}: {url}")
        prepared = prepare(url, args, app, sqlite_file)
        size = sizes(engine, sqlite_file)
        if args.prepare_only:
            print(json.dumps({"prepared": prepared, "sizes": size}, indent=1, default=str))
            return 0
        results = measure_all(app, engine, args, random.Random(args.seed))
        engine.dispose()
    print_table(backend, prepared, size, results)
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
        "texts": args.texts,
        "prepared": prepared,
        "sizes_bytes": size,
        "queries": results,
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
    print(f"\nresults written to {RESULTS_FILE.relative_to(registry.BENCH_DIR.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

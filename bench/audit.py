"""Benchmark: what keying the audit chain costs.

1. The link alone: the old plain SHA-256 link vs the HMAC-SHA256 link of one event.
2. One ``record()`` and its commit (a user's action that writes one event), with the key
   (the app as it is) and without (the same writer computing the old unkeyed link),
   interleaved in one process on the same database.
3. ``caseflow audit verify`` over a chain of 100,000 events (plus a checkpoint).

    .venv/bin/python bench/audit.py [--runs 300] [--events 100000] [--database-url URL]

Prints a table and writes bench/results/audit.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stats import summary  # noqa: E402
from caseflow import create_app  # noqa: E402
from caseflow.common import audit  # noqa: E402
from caseflow.common.audit_checkpoints import take_checkpoint  # noqa: E402
from caseflow.common.audit_key import load_key  # noqa: E402
from caseflow.common.audit_verify import verify  # noqa: E402
from caseflow.common.timeutil import now  # noqa: E402
from caseflow.db import new_session  # noqa: E402
from caseflow.migrate import upgrade  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "audit.json"
AFTER = {"title": "Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
         "status": "registered", "officer": "Erik Noaksson", "unit": "Näringsliv"}  # fmt: skip


def _values(seq: int) -> dict:
    return {
        "seq": seq, "at": now(), "actor_id": 7, "actor_label": "registrator@regionjh.se",
        "action": "case.update", "object_type": "case", "object_id": 720, "case_id": 720,
        "before": json.dumps(AFTER), "after": json.dumps(AFTER), "prev_hash": "ab" * 32,
        "scheme": 2, "key_id": "0123456789abcdef",
    }  # fmt: skip


def bench_link(runs: int, key) -> dict:
    values = _values(1)
    out = {}
    for name, fn in (
        ("unkeyed", lambda: audit.unkeyed_link(values)),
        ("keyed", lambda: audit.keyed_link(key, values)),
    ):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            for _ in range(100):
                fn()
            times.append((time.perf_counter() - start) / 100)
        out[name] = round(summary(times)["median_ms"] * 1000, 2)  # µs
    return out


def _record_once(engine) -> float:
    session = new_session(engine, write=True)
    try:
        start = time.perf_counter()
        audit.record(session, "case.update", None, before=AFTER, after=AFTER)
        session.commit()
        return time.perf_counter() - start
    finally:
        session.close()


def bench_record(app, runs: int) -> dict:
    engine = app.extensions["caseflow.engine"]
    keyed, unkeyed = [], []

    def old_link(key, values):  # the writer as it was: no key in the link
        return audit.unkeyed_link(values)

    with app.app_context():
        for _ in range(10):
            _record_once(engine)
        for _ in range(runs):
            keyed.append(_record_once(engine))
            with mock.patch.object(audit, "keyed_link", old_link):
                unkeyed.append(_record_once(engine))
    return {
        name: {k: round(v, 3) if isinstance(v, float) else v for k, v in summary(times).items()}
        for name, times in (("keyed", keyed), ("unkeyed", unkeyed))
    }


def fill(app, events: int, batch: int = 2000) -> None:
    engine = app.extensions["caseflow.engine"]
    with app.app_context():
        for _ in range(events // batch):
            session = new_session(engine, write=True)
            for _ in range(batch):
                audit.record(session, "case.update", None, before=AFTER, after=AFTER)
            session.commit()
            session.close()


def bench_verify(app) -> dict:
    engine = app.extensions["caseflow.engine"]
    take_checkpoint(app)
    with app.app_context():
        session = new_session(engine)
        try:
            start = time.perf_counter()
            result = verify(session)
            seconds = time.perf_counter() - start
        finally:
            session.close()
    assert result.ok, result.problems
    return {"events": result.checked, "seconds": round(seconds, 2),
            "events_per_second": round(result.checked / seconds)}  # fmt: skip


def _fresh_app(url: str, folder: str):
    upgrade(url)
    return create_app(
        {"SECRET_KEY": "bench", "DATABASE_URL": url, "FILES_DIR": f"{folder}/files",
         "AUDIT_KEY": "bench-audit-key-" + "k" * 32},
        instance_path=folder,
    )  # fmt: skip


def _second_database(url: str, folder: str) -> str:
    """The chain verify reads must be whole: the unkeyed writer above broke the first one
    on purpose (verify names each of its events). SQLite: a second file; PostgreSQL: a
    second database on the same server, made afresh."""
    if url.startswith("sqlite"):
        return f"sqlite:///{folder}/verify.sqlite"
    import sqlalchemy as sa

    base = sa.engine.make_url(url)
    name = f"{base.database}_verify"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="cf-bench-audit-")
    url = args.database_url or f"sqlite:///{folder}/bench.sqlite"
    app = _fresh_app(url, folder)
    key = load_key(app)
    results = {
        "database": url.split(":")[0],
        "machine": platform.platform(),
        "link_us": bench_link(args.runs, key),
        "record_commit_ms": bench_record(app, args.runs),
    }
    app.extensions["caseflow.engine"].dispose()
    verify_folder = tempfile.mkdtemp(prefix="cf-bench-audit-verify-")
    verify_app = _fresh_app(_second_database(url, folder), verify_folder)
    fill(verify_app, args.events)
    results["verify"] = bench_verify(verify_app)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    link, rec, ver = results["link_us"], results["record_commit_ms"], results["verify"]
    print(f"link, median µs:        unkeyed {link['unkeyed']}  keyed {link['keyed']}")
    print("record()+commit, ms:    unkeyed {median_ms} (p95 {p95_ms})".format(**rec["unkeyed"]))
    print("                        keyed   {median_ms} (p95 {p95_ms})".format(**rec["keyed"]))
    print(f"verify           {ver['events']} events in {ver['seconds']} s "
          f"({ver['events_per_second']}/s)")  # fmt: skip


if __name__ == "__main__":
    main()

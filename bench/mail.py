"""Benchmark: mail intake — caseflow's end-to-end mbox import vs a bare stdlib parse.

1. Generates (bench/mailgen.py; seeded, cached in bench/data/) an mbox like a Swedish
   region's registrar mailbox: mostly short Swedish mails, plain or text + HTML (1–10 kB,
   Outlook-like headers),
   replies naming a case in the subject (``SV: RS/720/2021 …``), forwards with Swedish
   Outlook blocks (``Från: … Skickat: … Till: … Ämne: …``), auto-replies (``Frånvaro: …``,
   ``Auto-Submitted: auto-replied``), a few bounces and re-deliveries, ISO-8859-1 bodies,
   PDF/DOCX/XLSX/JPEG attachments of 50 kB – 2 MB (random bytes, base64) with RFC 2231 /
   RFC 2047 Swedish filenames, and a few scanned documents of 5–10 MB.
2. The floor: the same messages read bare with the stdlib, as any reader must at least —
   ``mailbox.mbox`` iteration, ``BytesParser(policy=policy.default).parsebytes(raw)``,
   From/To/Subject/Date/Message-ID read, and ``get_content()`` of every part (guarded).
3. caseflow: a fresh instance (migrated SQLite in a temp folder, or ``--database-url``)
   with series RS and open cases RS/1..N/2021, then ``read_sources([mbox])`` +
   ``Intake(app, file_store()).take(mail)`` for every message, exactly as
   ``caseflow mail import`` does (store raw → commit → parse/route/file → commit).
   VmRSS is sampled every 1,000 messages; then the import is run again over the same
   mbox, where every message must come out ``duplicate``.

Target: caseflow's rate ≥ 0.5 × the bare parse rate, with flat memory (VmRSS grows less
than 50 MB from 10 % to 100 % of the run).

    .venv/bin/python bench/mail.py [--messages 20000] [--seed 2026] [--cases 2000]
    .venv/bin/python bench/mail.py --messages 500                # a quick look
    .venv/bin/python bench/mail.py --messages 500 --profile      # cProfile of the import
    .venv/bin/python bench/mail.py --database-url postgresql+psycopg://postgres@127.0.0.1/cf_mail

The floor and the first import take turns by 50 messages, so that drift and other load on
the machine hit both alike; rates count the whole run, mbox reading included (MB = 10⁶
bytes). The PostgreSQL database must exist and be empty. Prints a table and writes
bench/results/mail.json.
"""

from __future__ import annotations

import argparse
import json
import mailbox
import os
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.mailgen import SUBJECTS, TOPICS, ensure_mbox, expected_status, people  # noqa: E402
from bench.stats import percentile, summary  # noqa: E402
from caseflow import create_app  # noqa: E402
from caseflow.cases.models import Series  # noqa: E402
from caseflow.cases.services import PartyCreate, open_case  # noqa: E402
from caseflow.db import new_session  # noqa: E402
from caseflow.documents.storage import file_store  # noqa: E402
from caseflow.mail.jobs import Intake  # noqa: E402
from caseflow.mail.sources import read_sources  # noqa: E402
from caseflow.migrate import upgrade  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "mail.json"
TARGET_RATIO = 0.5
FLAT_MB = 50
SAMPLE_EVERY = 1000
#: The floor and the import take turns by this many messages.
BLOCK = 50
MB = 1_000_000

# --------------------------------------------------------------------------- measuring


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def warm_page_cache(path: Path) -> None:
    with path.open("rb") as handle:
        while handle.read(16 * MB):
            pass


def _guarded(fn, *args):
    """A broken header or part is no reason for a reader to stop."""
    try:
        return fn(*args)
    except Exception:
        return None


def bare_steps(path: Path) -> Iterator[int]:
    """The floor, one message per step: what any reader of the mbox must at least do."""
    parser = BytesParser(policy=policy.default)
    box = mailbox.mbox(path, create=False)
    try:
        for key in box.iterkeys():
            raw = box.get_bytes(key, from_=False)
            msg = parser.parsebytes(raw)
            for name in ("From", "To", "Subject", "Date", "Message-ID"):
                _guarded(msg.get, name)
            for part in msg.walk():
                if not part.is_multipart():
                    _guarded(part.get_content)
            yield len(raw)
    finally:
        box.close()


def caseflow_steps(app, path: Path) -> Iterator[tuple[int, str, float]]:
    """``caseflow mail import PATH``, one message per step: (size, status, seconds)."""
    with app.app_context(), Intake(app, file_store()) as taker:  # as the CLI command does
        for mail in read_sources([path]):
            started = time.perf_counter()
            _status, report = taker.take(mail)
            yield len(mail.raw), report["status"], time.perf_counter() - started


class Run:
    """Accumulates one side's steps: time, bytes, statuses, latencies and VmRSS samples."""

    def __init__(self, steps: Iterator, every: int):
        self.steps, self.every = steps, every
        self.seconds, self.size, self.done = 0.0, 0, False
        self.latencies: list[float] = []
        self.sizes: list[int] = []
        self.counts: Counter[str] = Counter()
        self.samples = [(0, rss_mb())]

    def advance(self, count: int) -> None:
        """Take up to ``count`` steps; the time taken, iteration included, is this side's."""
        started = time.perf_counter()
        for _ in range(count):
            step = next(self.steps, None)
            if step is None:
                self.done = True
                break
            if isinstance(step, int):
                self.sizes.append(step)
            else:
                size, status, seconds = step
                self.sizes.append(size)
                self.counts[status] += 1
                self.latencies.append(seconds)
            if len(self.sizes) % self.every == 0:
                self.samples.append((len(self.sizes), rss_mb()))
        self.seconds += time.perf_counter() - started

    def result(self) -> dict:
        if self.samples[-1][0] != len(self.sizes):
            self.samples.append((len(self.sizes), rss_mb()))
        out = rate(len(self.sizes), sum(self.sizes), self.seconds)
        if not self.latencies:  # the floor: its VmRSS is the same process's
            return out
        by_size = {}
        for label, low, high in (
            ("under_16kB", 0, 16_000),
            ("16kB_to_3MB", 16_000, 3 * MB),
            ("over_3MB", 3 * MB, 1 << 62),
        ):
            chosen = [t for t, s in zip(self.latencies, self.sizes, strict=True) if low <= s < high]
            if chosen:
                by_size[label] = summary(chosen)
        return out | {
            "rss_mb": memory(self.samples),
            "latency": summary(self.latencies) | {"max_ms": max(self.latencies) * 1000},
            "latency_by_size": by_size,
            "outcomes": dict(sorted(self.counts.items())),
        }


def interleaved(*runs: Run, block: int) -> None:
    """Blocks of ``block`` messages in turn, so drift and other load hit every side alike."""
    while not all(run.done for run in runs):
        for run in runs:
            if not run.done:
                run.advance(block)


def rate(messages: int, size: int, seconds: float) -> dict:
    return {
        "messages": messages,
        "bytes": size,
        "seconds": seconds,
        "messages_per_s": messages / seconds,
        "mb_per_s": size / MB / seconds,
    }


def memory(samples: list[tuple[int, float]]) -> dict:
    """Start, 10 %, max and end of VmRSS; growth from 10 % of the run to its end."""
    total = samples[-1][0] or 1
    from_ten = [mb for n, mb in samples if n >= total / 10]
    at_ten = from_ten[0] if from_ten else samples[0][1]
    growth = max(from_ten, default=at_ten) - at_ten
    return {
        "start": samples[0][1],
        "at_10_percent": at_ten,
        "max": max(mb for _, mb in samples),
        "end": samples[-1][1],
        "growth_from_10_percent": growth,
        "flat": growth < FLAT_MB,
        "samples": [[n, round(mb, 1)] for n, mb in samples],
    }


def setup(url: str, files: str, cases: int, seed: int):
    upgrade(url)
    app = create_app(
        {"SECRET_KEY": "bench", "DATABASE_URL": url, "FILES_DIR": files}, instance_path=files
    )
    engine = app.extensions["caseflow.engine"]
    correspondents = people(seed)
    rng = random.Random(f"cases-{seed}")
    with app.app_context():
        session = new_session(engine, write=True)
        session.add(Series(code="RS", name="Regionstyrelsen"))
        session.flush()
        for n in range(cases):
            name, address, org = correspondents[n % len(correspondents)]
            open_case(
                session,
                series_code="RS",
                title=rng.choice(SUBJECTS).format(t=rng.choice(TOPICS)),
                year=2021,
                parties=[PartyCreate(name=name, organisation=org, email=address)],
            )
            if n % 500 == 499:
                session.commit()
        session.commit()
        session.close()
    return app, engine


def ensure_empty(url: str) -> None:
    probe = sa.create_engine(url)
    try:
        tables = set(sa.inspect(probe).get_table_names())
        with probe.connect() as conn:
            for table in ("case_file", "mail_message"):
                if (
                    table in tables
                    and conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
                ):
                    raise SystemExit(f"{url} already holds {table} rows: give an empty database")
    finally:
        probe.dispose()


def profile_import(app, path: Path) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    interleaved(Run(caseflow_steps(app, path), SAMPLE_EVERY), block=BLOCK)
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--cases", type=int, default=2000, help="open cases RS/1..N/2021")
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp folder")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the import instead of measuring"
    )
    args = parser.parse_args()
    load_start = os.getloadavg()
    if load_start[0] > (os.cpu_count() or 1) / 2:
        print(f"warning: load average {load_start[0]:.1f}, other work will skew the times")

    path, meta, generated_s = ensure_mbox(args.messages, args.seed)
    plan = meta["plan"]
    every = min(SAMPLE_EVERY, max(1, args.messages // 20))
    warm_page_cache(path)

    with tempfile.TemporaryDirectory(prefix="caseflow-mail-bench-") as tmp:
        if args.database_url:
            ensure_empty(args.database_url)
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite"
        started = time.perf_counter()
        app, engine = setup(url, str(Path(tmp) / "files"), args.cases, args.seed)
        setup_s = time.perf_counter() - started
        if args.profile:
            profile_import(app, path)
            engine.dispose()
            return

        print(f"bare stdlib parse and caseflow import, interleaved by {BLOCK} …", flush=True)
        bare_run, first_run = Run(bare_steps(path), every), Run(caseflow_steps(app, path), every)
        interleaved(bare_run, first_run, block=BLOCK)
        bare, first = bare_run.result(), first_run.result()
        print("caseflow re-run …", flush=True)
        rerun_run = Run(caseflow_steps(app, path), every)
        interleaved(rerun_run, block=BLOCK)
        rerun = rerun_run.result()
        engine.dispose()
        store_bytes = sum(f.stat().st_size for f in Path(tmp, "files").rglob("*") if f.is_file())

    expected = Counter(expected_status(kind, seq, args.cases) for kind, seq, _ in plan)
    first["expected_outcomes"] = dict(sorted(expected.items()))
    first["outcomes_as_expected"] = expected == Counter(first["outcomes"])
    rerun["all_duplicate"] = rerun["outcomes"] == {"duplicate": args.messages}
    ratio = first["messages_per_s"] / bare["messages_per_s"]
    sizes = size_mix([size for _, _, size in plan])
    report = {
        "benchmark": "mail",
        "backend": url.split(":")[0].split("+")[0],
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average_start": load_start,
        "load_average_end": os.getloadavg(),
        "messages": args.messages,
        "seed": args.seed,
        "open_cases": args.cases,
        "mbox": {
            "path": str(path.relative_to(ROOT)),
            "bytes": path.stat().st_size,
            "generated_seconds": generated_s,
            "kinds": dict(sorted(Counter(kind for kind, _, _ in plan).items())),
            "message_bytes": sizes,
        },
        "interleaved_by": BLOCK,
        "setup_seconds": setup_s,
        "store_bytes_after_import": store_bytes,
        "results": {"bare_parse": bare, "caseflow_import": first, "caseflow_rerun": rerun},
        "ratio": ratio,
        "target_ratio": TARGET_RATIO,
        "meets_target": ratio >= TARGET_RATIO,
        "flat_memory": first["rss_mb"]["flat"],
    }

    print(f"\n{args.messages} messages, {path.stat().st_size / MB:,.0f} MB mbox "
          f"({report['backend']}, {args.cases} open cases)")  # fmt: skip
    print(f"{'operation':<36}{'msgs/s':>9}{'MB/s':>8}{'seconds':>9}")
    for label, row in (
        ("bare stdlib parse (floor)", bare),
        ("caseflow import", first),
        ("caseflow re-run (all duplicate)", rerun),
    ):
        print(
            f"{label:<36}{row['messages_per_s']:>9.1f}{row['mb_per_s']:>8.1f}{row['seconds']:>9.1f}"
        )
    print(
        f"ratio caseflow/bare: {ratio:.2f}  (target ≥ {TARGET_RATIO}) "
        f"{'OK' if ratio >= TARGET_RATIO else 'BELOW TARGET'}"
    )
    lat = first["latency"]
    print(
        f"caseflow per message: median {lat['median_ms']:.1f} ms, p95 {lat['p95_ms']:.1f} ms, "
        f"max {lat['max_ms']:.0f} ms"
    )
    for label, row in first["latency_by_size"].items():
        print(f"  {label:<12} median {row['median_ms']:.1f} ms, p95 {row['p95_ms']:.1f} ms"
              f" ({row['runs']} messages)")  # fmt: skip
    print("outcomes: " + ", ".join(f"{k} {v}" for k, v in first["outcomes"].items())
          + ("  (as generated)" if first["outcomes_as_expected"]
             else f"  — EXPECTED {first['expected_outcomes']}"))  # fmt: skip
    print(f"re-run: {'all duplicate' if rerun['all_duplicate'] else rerun['outcomes']}")
    mem = first["rss_mb"]
    print(
        f"VmRSS during import: start {mem['start']:.0f} MB, at 10 % {mem['at_10_percent']:.0f}"
        f" MB, max {mem['max']:.0f} MB, end {mem['end']:.0f} MB → "
        + ("flat" if mem["flat"] else "NOT flat")
        + f" (+{mem['growth_from_10_percent']:.0f} MB from 10 % on)"
    )
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


def size_mix(sizes: list[int]) -> dict:
    return {
        "median": int(percentile(sizes, 50)),
        "p95": int(percentile(sizes, 95)),
        "max": max(sizes),
        "over_50kB": sum(s > 50_000 for s in sizes),
        "over_3MB": sum(s > 3 * MB for s in sizes),
    }


if __name__ == "__main__":
    main()

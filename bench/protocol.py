"""Benchmark: the meeting's protocol and the kallelse as .docx, against the python-docx floor.

The data is the demo's held Regionstyrelsen meeting, made through the services (ten §§,
eleven people on the list, a substitute serving, a recusal, a vote with six ballots, two
reservations and a note, a delegation report, a § behind closed doors), with
``--extra`` more decided case §§ added through the services to make a long meeting.

1. ``protocol_docx``: load the meeting, its cases, memos and proceedings, phrase it in
   Swedish through the projection, build and save the .docx.
2. ``summons_docx`` for the same meeting (the kallelse, with each case's papers).
3. The floor: python-docx alone building a document with the same number of paragraphs
   and tables (the same text, no database, no phrasing) and saving it.

    .venv/bin/python bench/protocol.py [--runs 30] [--extra 30]

Prints a table and writes bench/results/protocol.json. Target: protocol median ≤ 3 × floor.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from docx import Document as Docx
from sqlmodel import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stats import summary, timed  # noqa: E402
from caseflow import create_app  # noqa: E402
from caseflow.cases.models import CaseStatus  # noqa: E402
from caseflow.cases.services import open_case  # noqa: E402
from caseflow.common.timeutil import LOCAL_TZ, today  # noqa: E402
from caseflow.db import new_session  # noqa: E402
from caseflow.demo import load_demo  # noqa: E402
from caseflow.demo_paths import walk  # noqa: E402
from caseflow.documents.storage import FileStore  # noqa: E402
from caseflow.meetings import agenda_items, decisions, services  # noqa: E402
from caseflow.meetings.attendance import call_roll  # noqa: E402
from caseflow.meetings.documents import protocol_docx  # noqa: E402
from caseflow.meetings.models import Meeting  # noqa: E402
from caseflow.meetings.summons import summons_docx  # noqa: E402
from caseflow.migrate import upgrade  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "protocol.json"
TARGET = 3.0


def setup(folder: str, extra: int):
    url = f"sqlite:///{folder}/bench.sqlite"
    upgrade(url)
    app = create_app(
        {"SECRET_KEY": "bench", "DATABASE_URL": url, "FILES_DIR": folder, "MAIL_SERVER": None},
        instance_path=folder,
    )
    engine = app.extensions["caseflow.engine"]
    with app.test_request_context():
        session = new_session(engine, write=True)
        load_demo(session, FileStore(folder))
        session.commit()
        from caseflow.auth.services import get_user_by_email

        erik = get_user_by_email(session, "erik.noaksson@regionjh.se")
        hans = get_user_by_email(session, "hans.svensson@regionjh.se")
        held = session.exec(select(Meeting).where(Meeting.status == "attested")).one()
        # A long meeting yesterday: the roll called, every case decided.
        day = today() - timedelta(days=1)
        meeting = services.create_meeting(
            session,
            organ=held.organ,
            starts_at=datetime(day.year, day.month, day.day, 9, tzinfo=LOCAL_TZ),
            place="Regionens hus",
            chair="Marie Hallberg",
            secretary="Cecilia Strand",
            attesters="Jonas Wiklund",
            user=hans,
        )
        for n in range(extra):
            case = open_case(
                session,
                series_code="RS",
                title=f"Ärende {n + 1} om regional samverkan",
                officer=erik,
            )
            walk(session, case, CaseStatus.APPROVED, official=erik, manager=hans)
            agenda_items.add_case(session, meeting, case, user=hans)
        services.open_meeting(session, meeting, user=hans)
        call_roll(session, meeting, user=hans)
        for item in meeting.items:
            decisions.record_decision(session, item, kind="adopted", user=hans)
        session.commit()
        ids = {"held": held.id, "long": meeting.id}
        session.close()
    return app, engine, ids


def floor_document(paragraphs: list[str], tables: int) -> bytes:
    doc = Docx()
    for text in paragraphs:
        doc.add_paragraph(text)
    for _ in range(tables):
        table = doc.add_table(rows=8, cols=4)
        for row in table.rows:
            for cell in row.cells:
                cell.text = "X"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--extra", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app, engine, ids = setup(folder, args.extra)
        results = {}
        for label, meeting_id in ids.items():
            with app.test_request_context():
                session = new_session(engine)

                def protocol(meeting_id=meeting_id, session=session):
                    session.expire_all()
                    return protocol_docx(session, session.get(Meeting, meeting_id), None)

                def summons(meeting_id=meeting_id, session=session):
                    session.expire_all()
                    return summons_docx(session, session.get(Meeting, meeting_id))

                made = Docx(io.BytesIO(protocol()))
                texts = [p.text for p in made.paragraphs]
                tables = len(made.tables)
                results[f"protocol ({label}, {len(texts)} paragraphs)"] = summary(
                    timed(protocol, args.runs)
                )
                results[f"kallelse ({label})"] = summary(timed(summons, args.runs))
                results[f"python-docx floor ({label})"] = summary(
                    timed(lambda t=texts, n=tables: floor_document(t, n), args.runs)
                )
                session.close()
    floor = {k.split("(")[1].split(")")[0]: v for k, v in results.items() if "floor" in k}
    ratios = {
        label: results[key]["median_ms"] / floor[label]["median_ms"]
        for key in results
        if key.startswith("protocol")
        for label in [key.split("(")[1].split(",")[0]]
    }
    print(f"{'operation':<44}{'median ms':>11}{'p95 ms':>10}{'min ms':>10}")
    for name, row in results.items():
        print(f"{name:<44}{row['median_ms']:>11.1f}{row['p95_ms']:>10.1f}{row['min_ms']:>10.1f}")
    for label, ratio in ratios.items():
        verdict = "OK" if ratio <= TARGET else "OVER TARGET"
        print(f"ratio protocol/floor ({label}, median): {ratio:.2f}  (target ≤ {TARGET}) {verdict}")
    report = {
        "machine": platform.platform(),
        "python": platform.python_version(),
        "runs": args.runs,
        "extra_items": args.extra,
        "results": results,
        "ratio_median": ratios,
        "target_ratio": TARGET,
        "meets_target": all(r <= TARGET for r in ratios.values()),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()

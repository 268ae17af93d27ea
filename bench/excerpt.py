"""Benchmark: protocol excerpts — .docx vs raw docxtpl, PDF/A warm vs cold, a 100-excerpt batch.

1. Excerpt .docx in caseflow (load the § and its case and memo, build the plain-data
   context, render in the sandbox) against a raw docxtpl render of the same template with
   the same context. Target: median ≤ 1.3 × raw.
2. PDF/A-2b per excerpt through a warm LibreOffice (unoserver) against a cold one-off
   ``soffice --convert-to``. Target: warm ≤ 0.2 s and ≥ 5 × faster than cold.
3. The batch export of a meeting with 100 decided §: all excerpts as .docx and as PDF/A
   (warm) into one ZIP, as the export job builds it.

    .venv/bin/python bench/excerpt.py [--runs 100] [--cold-runs 3] [--batch 100]

Prints a table and writes bench/results/excerpt.json. Needs LibreOffice for parts 2–3.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from docxtpl import DocxTemplate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stats import summary, timed  # noqa: E402
from caseflow import create_app  # noqa: E402
from caseflow.auth.services import create_user  # noqa: E402
from caseflow.cases.models import Series  # noqa: E402
from caseflow.cases.services import open_case  # noqa: E402
from caseflow.cases.workflow import apply_transition  # noqa: E402
from caseflow.common.timeutil import LOCAL_TZ  # noqa: E402
from caseflow.db import new_session  # noqa: E402
from caseflow.doctemplates.services import active_template, template_bytes  # noqa: E402
from caseflow.documents.storage import FileStore  # noqa: E402
from caseflow.meetings import excerpts, services  # noqa: E402
from caseflow.meetings.export import run_export, start_export  # noqa: E402
from caseflow.meetings.models import AgendaItem, ExportJob  # noqa: E402
from caseflow.memos.services import save_memo  # noqa: E402
from caseflow.migrate import upgrade  # noqa: E402
from caseflow.pdf import converter  # noqa: E402
from caseflow.pdf import warm as warm_server  # noqa: E402
from tests.memos.conftest import memo_of_rs720  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "excerpt.json"


def build_meeting(app, cases: int) -> int:
    """A Regionstyrelsen meeting with ``cases`` decided, attested §; returns its id."""
    engine = app.extensions["caseflow.engine"]
    with app.app_context():
        session = new_session(engine, write=True)
        session.add(Series(code="RS", name="Regionstyrelsen"))
        session.flush()
        erik = create_user(
            session,
            email="erik.noaksson@regionjh.se",
            name="Erik Noaksson",
            role="official",
            unit="Näringsliv",
        )
        hans = create_user(
            session, email="hans.svensson@regionjh.se", name="Hans Svensson", role="manager"
        )
        meeting = services.create_meeting(
            session,
            organ=services.get_or_create_organ(session, "Regionstyrelsen"),
            starts_at=datetime(2021, 11, 24, 9, tzinfo=LOCAL_TZ),
            place="Regionens hus",
            chair="Anna Ordförande",
            secretary="Cecilia Sekreterare",
            attesters="Bertil Justerare",
        )
        for n in range(cases):
            case = open_case(
                session,
                series_code="RS",
                title=f"Ärende {n + 1}: " + memo_of_rs720().title,
                officer=erik,
                year=2021,
            )
            save_memo(session, case, memo_of_rs720(), expected_version=case.version, user=erik)
            apply_transition(session, case, "submit", user=erik)
            apply_transition(session, case, "approve", user=hans)
            services.add_case(session, meeting, case, user=hans)
        services.open_meeting(session, meeting, user=hans)
        for item in meeting.items:
            services.record_decision(
                session, item, kind="adopted", user=hans
            )
        services.attest(
            session,
            meeting,
            attested_on=date(2021, 11, 30),
            attested_by="Anna Ordförande\nBertil Justerare",
            user=hans,
        )
        session.commit()
        meeting_id = meeting.id
        session.close()
    return meeting_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--warm-runs", type=int, default=20)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    report: dict = {"benchmark": "excerpt", "python": platform.python_version(), "results": {}}
    rows = []

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        upgrade(url)
        app = create_app(
            {"SECRET_KEY": "bench", "DATABASE_URL": url, "FILES_DIR": tmp}, instance_path=tmp
        )
        engine = app.extensions["caseflow.engine"]
        store = FileStore(tmp)
        started = time.perf_counter()
        meeting_id = build_meeting(app, args.batch)
        report["setup_seconds"] = time.perf_counter() - started

        with app.app_context():
            session = new_session(engine)
            item_id = session.get(services.Meeting, meeting_id).items[0].id
            template = active_template(session, store, "excerpt")
            raw = template_bytes(store, template)
            context = excerpts.excerpt_context(session, session.get(AgendaItem, item_id))
            session.commit()

            def app_docx():
                s = new_session(engine)
                excerpts.render_excerpt(s, store, s.get(AgendaItem, item_id))
                s.close()

            def raw_docx():
                doc = DocxTemplate(io.BytesIO(raw))
                doc.render(context, autoescape=True)
                doc.save(io.BytesIO())

            for _ in range(5):
                app_docx()
                raw_docx()
            app_times, raw_times = [], []
            for _ in range(args.runs):  # interleaved, so drift hits both alike
                app_times += timed(app_docx, 1)
                raw_times += timed(raw_docx, 1)
            docx_bytes, _ = excerpts.render_excerpt(
                session, store, session.get(AgendaItem, item_id)
            )
            session.close()
        app_s, raw_s = summary(app_times), summary(raw_times)
        ratio = app_s["median_ms"] / raw_s["median_ms"]
        report["results"]["excerpt_docx"] = {
            "app": app_s,
            "raw_docxtpl": raw_s,
            "ratio_median": ratio,
            "target": 1.3,
        }
        rows += [("excerpt .docx (app)", app_s), ("raw docxtpl render (floor)", raw_s)]

        if converter.is_available():
            cold = timed(lambda: converter.to_pdfa(docx_bytes), args.cold_runs)
            with warm_server.WarmConverter() as warm:
                app.config["PDF_CONVERTER_URL"] = warm.address
                with app.app_context():
                    converter.to_pdfa(docx_bytes)  # first call warms the document filters
                    warm_times = timed(lambda: converter.to_pdfa(docx_bytes), args.warm_runs)
                    session = new_session(engine, write=True)
                    batch = {}
                    for fmt in ("docx", "pdf"):
                        job = start_export(
                            session, session.get(services.Meeting, meeting_id), fmt, user=None
                        )
                        session.commit()
                        start = time.perf_counter()
                        run_export(app, job.id, store)
                        batch[fmt] = time.perf_counter() - start
                        session.expire_all()
                        assert session.get(ExportJob, job.id).status == "done"
                    session.close()
            cold_s, warm_s = summary(cold), summary(warm_times)
            speedup = cold_s["median_ms"] / warm_s["median_ms"]
            report["results"]["pdfa"] = {
                "warm": warm_s,
                "cold": cold_s,
                "speedup": speedup,
                "target_warm_ms": 200,
                "target_speedup": 5,
            }
            report["results"]["batch"] = {f"{fmt}_seconds": secs for fmt, secs in batch.items()}
            report["results"]["batch"]["excerpts"] = args.batch
            rows += [("PDF/A warm unoserver", warm_s), ("PDF/A cold soffice", cold_s)]
        engine.dispose()

    print(f"{'operation':<32}{'median ms':>11}{'p95 ms':>10}{'runs':>6}")
    for label, row in rows:
        print(f"{label:<32}{row['median_ms']:>11.1f}{row['p95_ms']:>10.1f}{row['runs']:>6}")
    result = report["results"]
    print(
        f"excerpt .docx app/raw (median): {result['excerpt_docx']['ratio_median']:.2f} "
        "(target ≤ 1.3)"
    )
    if "pdfa" in result:
        print(
            f"PDF/A warm vs cold: {result['pdfa']['speedup']:.1f}× faster "
            f"(target ≥ 5×, warm ≤ 200 ms)"
        )
        b = result["batch"]
        print(
            f"batch of {b['excerpts']}: .docx ZIP {b['docx_seconds']:.1f} s, "
            f"PDF/A ZIP {b['pdf_seconds']:.1f} s"
        )
    else:
        print("LibreOffice not installed: PDF parts skipped")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

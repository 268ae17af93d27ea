"""Benchmark: "generate memo" in caseflow vs a raw docxtpl render of the same template.

The app path is the whole user action: load the case and its memo from the database,
build the plain-data context, render in the sandbox, store the .docx content-addressed
(written and fsynced), register it as a new file version, write the audit event and
commit. The floor is docxtpl alone: the same template bytes and the same context,
rendered with autoescape and saved to memory. Both run interleaved in the same process.

    .venv/bin/python bench/memo.py [--runs 200] [--database-url URL]

Prints a table and writes bench/results/memo.json. Target: app median ≤ 1.3 × raw.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import sys
import tempfile
import time
from pathlib import Path

from docxtpl import DocxTemplate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stats import summary  # noqa: E402
from caseflow import create_app  # noqa: E402
from caseflow.auth.services import create_user, get_user_by_email  # noqa: E402
from caseflow.cases.models import Series  # noqa: E402
from caseflow.cases.services import get_case_by_number, open_case  # noqa: E402
from caseflow.db import new_session  # noqa: E402
from caseflow.doctemplates.services import active_template, template_bytes  # noqa: E402
from caseflow.documents.storage import FileStore  # noqa: E402
from caseflow.memos.services import generate_memo, get_memo, memo_context, save_memo  # noqa: E402
from caseflow.migrate import upgrade  # noqa: E402
from tests.memos.conftest import memo_of_rs720  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "memo.json"


def setup(url: str, files: str):
    upgrade(url)
    app = create_app(
        {"SECRET_KEY": "bench", "DATABASE_URL": url, "FILES_DIR": files}, instance_path=files
    )
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
        case = open_case(
            session, series_code="RS", title=memo_of_rs720().title, officer=erik, year=2021
        )
        save_memo(session, case, memo_of_rs720(), expected_version=case.version, user=erik)
        session.commit()
        number = case.number
        session.close()
    return app, engine, number


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite"
        app, engine, number = setup(url, tmp)
        store = FileStore(app.config["FILES_DIR"])
        with app.app_context():
            session = new_session(engine)
            case = get_case_by_number(session, number)
            template = active_template(session, store, "memo")
            session.commit()
            raw_bytes = template_bytes(store, template)
            context = memo_context(session, case, get_memo(session, case))
            session.close()

        def app_generate():
            with app.app_context():
                session = new_session(engine, write=True)
                case = get_case_by_number(session, number)
                user = get_user_by_email(session, "erik.noaksson@regionjh.se")
                generate_memo(session, store, case, user=user)
                session.commit()
                session.close()

        def raw_render():
            doc = DocxTemplate(io.BytesIO(raw_bytes))
            doc.render(context, autoescape=True)
            doc.save(io.BytesIO())

        for _ in range(5):  # warm up both paths
            app_generate()
            raw_render()
        timings: dict[str, list[float]] = {"app": [], "raw": []}
        for _ in range(args.runs):
            for name, fn in (("app", app_generate), ("raw", raw_render)):
                start = time.perf_counter()
                fn()
                timings[name].append(time.perf_counter() - start)
        engine.dispose()

    result = {name: summary(values) for name, values in timings.items()}
    ratio = result["app"]["median_ms"] / result["raw"]["median_ms"]
    report = {
        "benchmark": "memo",
        "backend": url.split(":")[0],
        "runs": args.runs,
        "python": platform.python_version(),
        "results": result,
        "ratio_median": ratio,
        "target_ratio": 1.3,
        "meets_target": ratio <= 1.3,
    }
    print(f"{'operation':<38}{'median ms':>11}{'p95 ms':>10}{'min ms':>10}")
    labels = {"app": "generate memo (load→render→store)", "raw": "raw docxtpl render (floor)"}
    for name, row in result.items():
        print(
            f"{labels[name]:<38}{row['median_ms']:>11.1f}{row['p95_ms']:>10.1f}"
            f"{row['min_ms']:>10.1f}"
        )
    print(
        f"ratio app/raw (median): {ratio:.2f}  (target ≤ 1.3) "
        f"{'OK' if ratio <= 1.3 else 'OVER TARGET'}"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

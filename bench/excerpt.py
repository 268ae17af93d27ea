"""Benchmark: protocol excerpts — .docx, PDF/A warm and cold, the seal, a whole meeting's batch.

The data is the demo (``caseflow.demo``) with a long Regionstyrelsen meeting of ``--batch``
decided case §§ added through the services and attested (``bench/protocol.py``'s setup).

1. Excerpt .docx in caseflow (load the § and its case and memo, build the plain-data
   context, render in the sandbox) against a raw docxtpl render of the same template with
   the same context. Target: median ≤ 1.3 × raw.
2. Side by side, interleaved in one run against one warm LibreOffice (unoserver): the
   .docx render, the warm conversion to PDF/A-2b, and conversion + seal (PAdES B-B with a
   3072-bit RSA seal, as ``excerpts.sealed_pdfa`` does it for every excerpt). Targets: warm
   ≤ 200 ms, ≥ 5 × faster than a cold one-off ``soffice`` (measured too), and the seal
   ≤ 50 ms on top of the warm conversion (median). The seal alone is measured as well,
   with caseflow's kept key and with pyHanko's ``SimpleSigner`` as it comes.
3. The batch export of the meeting: all excerpts as .docx and as sealed PDF/A (warm) into
   one ZIP, as the export job builds it.

    .venv/bin/python bench/excerpt.py [--runs 100] [--warm-runs 30] [--cold-runs 3] [--batch 30]

Prints a table and writes bench/results/excerpt.json. Parts 2–3 need LibreOffice with
unoserver for Debian's /usr/bin/python3 (see caseflow/pdf/warm.py).
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

from bench.protocol import setup  # noqa: E402
from bench.stats import summary, timed  # noqa: E402
from caseflow.common.timeutil import today  # noqa: E402
from caseflow.db import new_session  # noqa: E402
from caseflow.doctemplates.services import active_template, template_bytes  # noqa: E402
from caseflow.documents.storage import FileStore  # noqa: E402
from caseflow.meetings import attestation, decisions, excerpts  # noqa: E402
from caseflow.meetings.dispatch_models import ExportJob  # noqa: E402
from caseflow.meetings.jobs import run_export  # noqa: E402
from caseflow.meetings.models import AgendaItem, Meeting  # noqa: E402
from caseflow.pdf import converter  # noqa: E402
from caseflow.pdf import warm as warm_server  # noqa: E402
from caseflow.seal import current_sealer, seal_pdf  # noqa: E402
from caseflow.seal.demo_seal import create_demo_seal  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "excerpt.json"
SEAL_TARGET_MS = 50
REASON = excerpts.EXCERPT_REASON


def attest(app, engine, meeting_id: int) -> None:
    """Attest the long meeting today, so its §§ give excerpts."""
    from caseflow.auth.services import get_user_by_email

    with app.test_request_context():
        session = new_session(engine, write=True)
        meeting = session.get(Meeting, meeting_id)
        attestation.attest(
            session,
            meeting,
            attested_on=today(),
            attested_by=f"{meeting.chair}\n{meeting.attesters}",
            user=get_user_by_email(session, "hans.svensson@regionjh.se"),
        )
        session.commit()
        session.close()


def configure_seal(app, folder: str) -> None:
    path = Path(folder) / "bench-seal.p12"
    create_demo_seal(path, password="bench", organisation="Region Jämtland Härjedalen")
    app.config.update(SEAL_PKCS12_PATH=str(path), SEAL_PKCS12_PASSWORD="bench")


def stock_pyhanko_seal(p12: Path):
    """The seal as pyHanko's own SimpleSigner does it: the key parsed at every signature,
    the signature's size measured with a dummy signature first."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=b"bench")
    meta = signers.PdfSignatureMetadata(
        field_name="Sigill", reason=REASON, subfilter=fields.SigSeedSubFilter.PADES
    )

    def run(pdf: bytes) -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        return signers.sign_pdf(writer, meta, signer=signer).getvalue()

    return run


def docx_part(app, engine, store, item_id: int, runs: int) -> tuple[dict, bytes]:
    """Part 1: the app's excerpt render against raw docxtpl."""
    with app.app_context():
        session = new_session(engine)
        template = active_template(session, store, "excerpt")
        raw = template_bytes(store, template)
        context = excerpts.excerpt_context(session, session.get(AgendaItem, item_id))

        def app_docx():
            s = new_session(engine)
            content = excerpts.render_excerpt(s, store, s.get(AgendaItem, item_id))[0]
            s.close()
            return content

        def raw_docx():
            doc = DocxTemplate(io.BytesIO(raw))
            doc.render(context, autoescape=True)
            doc.save(io.BytesIO())

        for _ in range(5):
            app_docx()
            raw_docx()
        app_times, raw_times = [], []
        for _ in range(runs):  # interleaved, so drift hits both alike
            app_times += timed(app_docx, 1)
            raw_times += timed(raw_docx, 1)
        docx = app_docx()
        session.close()
    app_s, raw_s = summary(app_times), summary(raw_times)
    return {
        "app": app_s,
        "raw_docxtpl": raw_s,
        "ratio_median": app_s["median_ms"] / raw_s["median_ms"],
        "target": 1.3,
    }, docx


def pdf_part(app, engine, store, item_id, docx, meeting_id, args, folder) -> dict:
    """Parts 2 and 3: warm conversion, conversion + seal, the seal alone, cold, the batch."""
    cold = timed(lambda: converter.to_pdfa(docx), args.cold_runs)
    with warm_server.WarmConverter() as warm:
        app.config["PDF_CONVERTER_URL"] = warm.address
        with app.app_context():
            session = new_session(engine)
            current_sealer()  # the key is loaded once, at the first document
            pdf = converter.to_pdfa(docx)  # the first call warms the document filters
            stock = stock_pyhanko_seal(Path(folder) / "bench-seal.p12")
            series = {"docx": [], "warm": [], "sealed": [], "seal": []}

            def render():
                return excerpts.render_excerpt(session, store, session.get(AgendaItem, item_id))

            for _ in range(3):
                excerpts.sealed_pdfa(session, docx)
            for _ in range(args.warm_runs):  # interleaved: one machine state for all four
                series["docx"] += timed(render, 1)
                series["warm"] += timed(lambda: converter.to_pdfa(docx), 1)
                series["sealed"] += timed(lambda: excerpts.sealed_pdfa(session, docx), 1)
                series["seal"] += timed(lambda: seal_pdf(pdf, reason=REASON, location="x"), 1)
            stock_times = timed(lambda: stock(pdf), max(5, args.warm_runs // 3))
            session.close()
            batch = {}
            for fmt in ("docx", "pdf"):
                batch[f"{fmt}_seconds"] = run_batch(app, engine, store, meeting_id, fmt)
    result = {name: summary(values) for name, values in series.items()}
    result["cold"] = summary(cold)
    result["seal_stock_pyhanko"] = summary(stock_times)
    overhead = result["sealed"]["median_ms"] - result["warm"]["median_ms"]
    result["seal_overhead_median_ms"] = overhead
    result["seal_target_ms"] = SEAL_TARGET_MS
    result["speedup"] = result["cold"]["median_ms"] / result["warm"]["median_ms"]
    result["batch"] = batch
    return result


def run_batch(app, engine, store, meeting_id: int, fmt: str) -> float:
    """The export job's work, run here rather than in its thread, timed."""
    with app.app_context():
        session = new_session(engine, write=True)
        meeting = session.get(Meeting, meeting_id)
        job = ExportJob(
            meeting_id=meeting_id, fmt=fmt, total=len(decisions.exportable_items(meeting))
        )
        session.add(job)
        session.commit()
        job_id = job.id
        session.close()
    start = time.perf_counter()
    run_export(app, job_id, store)
    seconds = time.perf_counter() - start
    with app.app_context():
        session = new_session(engine)
        assert session.get(ExportJob, job_id).status == "done"
        session.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--warm-runs", type=int, default=30)
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=30)
    args = parser.parse_args()
    report: dict = {
        "benchmark": "excerpt",
        "machine": platform.platform(),
        "python": platform.python_version(),
        "results": {},
    }
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        app, engine, ids = setup(folder, args.batch)
        attest(app, engine, ids["long"])
        configure_seal(app, folder)
        report["setup_seconds"] = time.perf_counter() - started
        store = FileStore(folder)
        with app.app_context():
            session = new_session(engine)
            item_id = session.get(Meeting, ids["long"]).items[0].id
            session.close()
        report["results"]["excerpt_docx"], docx = docx_part(app, engine, store, item_id, args.runs)
        if converter.is_available():
            report["results"]["pdfa"] = pdf_part(
                app, engine, store, item_id, docx, ids["long"], args, folder
            )
        engine.dispose()
    print_table(report["results"], args.batch)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


def print_table(results: dict, batch: int) -> None:
    rows = [
        ("excerpt .docx (app)", results["excerpt_docx"]["app"]),
        ("raw docxtpl render (floor)", results["excerpt_docx"]["raw_docxtpl"]),
    ]
    pdfa = results.get("pdfa")
    if pdfa:
        rows += [
            ("side by side: .docx render", pdfa["docx"]),
            ("side by side: PDF/A warm", pdfa["warm"]),
            ("side by side: PDF/A warm + seal", pdfa["sealed"]),
            ("seal alone (kept key)", pdfa["seal"]),
            ("seal alone (pyHanko as it comes)", pdfa["seal_stock_pyhanko"]),
            ("PDF/A cold soffice", pdfa["cold"]),
        ]
    print(f"{'operation':<36}{'median ms':>11}{'p95 ms':>10}{'runs':>6}")
    for label, row in rows:
        print(f"{label:<36}{row['median_ms']:>11.1f}{row['p95_ms']:>10.1f}{row['runs']:>6}")
    ratio = results["excerpt_docx"]["ratio_median"]
    print(f"excerpt .docx app/raw (median): {ratio:.2f} (target ≤ 1.3)")
    if not pdfa:
        print("LibreOffice not installed: PDF parts skipped")
        return
    overhead = pdfa["seal_overhead_median_ms"]
    verdict = "OK" if overhead <= SEAL_TARGET_MS else "OVER TARGET"
    print(
        f"seal on top of warm conversion (median): {overhead:.1f} ms "
        f"(target ≤ {SEAL_TARGET_MS} ms) {verdict}"
    )
    print(f"PDF/A warm vs cold: {pdfa['speedup']:.1f}× faster (target ≥ 5×, warm ≤ 200 ms)")
    b = pdfa["batch"]
    print(
        f"batch of {batch}: .docx ZIP {b['docx_seconds']:.1f} s, "
        f"sealed PDF/A ZIP {b['pdf_seconds']:.1f} s"
    )


if __name__ == "__main__":
    main()

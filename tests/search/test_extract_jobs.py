"""File text after registration: queued with the file, read by the scheduler's job or the
in-process worker, once per stored file, and reported by ``caseflow search status``."""

from __future__ import annotations

import io
import json
import time

import pytest
import sqlalchemy as sa
from sqlmodel import select

from caseflow.db import new_session
from caseflow.documents.storage import FileStore
from caseflow.scheduler import extract_file_texts
from caseflow.search import extract_runner
from caseflow.search.extract_cli import status_command
from caseflow.search.jobs import (
    extract_file,
    extract_pending,
    limits_from,
    pending_count,
    queue_missing,
)
from caseflow.search.models import FileText
from caseflow.search.worker import stop_worker
from tests.search import files


@pytest.fixture(autouse=True)
def no_extraction_child_left():
    """Each test leaves no extraction process running behind it."""
    yield
    extract_runner.shutdown()


def texts(make) -> dict[str, FileText]:
    return {row.sha256: row for row in make.fresh().exec(select(FileText)).all()}


def run_pending(app, **kwargs) -> dict[str, int]:
    with app.app_context():
        session = new_session(app.extensions["caseflow.engine"])
        try:
            return extract_pending(session, **kwargs)
        finally:
            session.close()


def test_a_registered_file_is_queued_once_per_content(make):
    case = make.case()
    memo = files.memo_docx()
    first = make.document(
        case, files=[("Tjänsteskrivelse.docx", memo), ("skanning.png", files.png())]
    )
    again = make.document(case, title="Samma skrivelse igen", files=[("kopia.docx", memo)])
    rows = texts(make)
    shas = {f.sha256 for f in first.files} | {f.sha256 for f in again.files}
    assert set(rows) == shas and len(rows) == 2
    assert {row.status for row in rows.values()} == {"pending"}


def test_a_stored_mail_is_queued(make):
    mail = make.mail(files.INVITATION_EML)
    row = texts(make)[mail.sha256]
    assert (row.status, row.attempts) == ("pending", 0)


def test_the_scheduler_job_reads_every_pending_file_once(make, app):
    case = make.case()
    pdf = files.text_pdf([["Tjänsteskrivelse: Samverket i Östersund"], ["Åre älv"]])
    doc = make.document(
        case,
        files=[
            ("Tjänsteskrivelse.pdf", pdf),
            ("Beslut.docx", files.memo_docx()),
            ("skanning.png", files.png()),
            ("okänd.bin", bytes(range(256))),
        ],
    )
    mail = make.mail(files.INVITATION_EML)
    with app.app_context():
        session = new_session(app.extensions["caseflow.engine"], write=True)
        try:
            counts = extract_file_texts(session)
        finally:
            session.close()
    assert counts == {"done": 3, "no_text": 1, "unsupported": 1}
    rows = texts(make)
    by_name = {f.filename: rows[f.sha256] for f in doc.files}
    pdf_row = by_name["Tjänsteskrivelse.pdf"]
    assert pdf_row.status == "done" and "Samverket i Östersund" in pdf_row.text
    assert (pdf_row.mime_type, pdf_row.size, pdf_row.attempts) == ("application/pdf", len(pdf), 1)
    assert "Länsstyrelsen Jämtlands län" in by_name["Beslut.docx"].text
    assert (by_name["skanning.png"].status, by_name["skanning.png"].reason) == ("no_text", "image")
    assert by_name["okänd.bin"].status == "unsupported"
    assert "Myndighetsnätverket i Östersund" in rows[mail.sha256].text
    assert run_pending(app) == {}  # nothing read twice
    assert texts(make)[pdf_row.sha256].attempts == 1


def test_a_failure_is_recorded_on_its_row_and_the_run_goes_on(make, app):
    case = make.case()
    lost = make.document(case, files=[("borttappad.txt", "Östersund".encode())]).files[0]
    kept = make.document(case, files=[("kvar.txt", "Härjedalen".encode())]).files[0]
    FileStore(app.config["FILES_DIR"]).path_for(lost.sha256).unlink()  # lost from the store
    assert run_pending(app) == {"failed": 1, "done": 1}
    rows = texts(make)
    assert (rows[lost.sha256].status, rows[lost.sha256].reason) == ("failed", "file_missing")
    assert rows[lost.sha256].attempts == 1
    assert rows[kept.sha256].text == "Härjedalen"


def test_a_file_over_the_configured_size_is_too_large(make, app):
    app.config["SEARCH_EXTRACT_MAX_BYTES"] = 100
    case = make.case()
    big = make.document(case, files=[("stor.txt", b"ord " * 100)]).files[0]
    assert run_pending(app) == {"too_large": 1}
    row = texts(make)[big.sha256]
    assert (row.status, row.reason, row.text) == ("too_large", "file_too_large", None)


def test_a_row_held_by_another_worker_is_passed_by(make, app, database_url):
    case = make.case()
    sha = make.document(case, files=[("a.txt", "Åre".encode())]).files[0].sha256
    engine = app.extensions["caseflow.engine"]
    store, limits = FileStore(app.config["FILES_DIR"]), limits_from(app.config)
    if database_url.startswith("postgresql"):
        with new_session(engine, write=True) as other:
            other.scalars(select(FileText).where(FileText.sha256 == sha).with_for_update()).one()
            with app.app_context():
                assert extract_file(engine, sha, store, limits) is None
            other.rollback()
    with app.app_context():
        assert extract_file(engine, sha, store, limits) == "done"
        assert extract_file(engine, sha, store, limits) is None  # done: not read again
    assert texts(make)[sha].attempts == 1


def test_files_stored_before_get_queued_by_the_backfill(make, app):
    case = make.case()
    doc = make.document(case, files=[("a.txt", b"Ostersund"), ("b.txt", b"Harjedalen")])
    mail = make.mail(files.INVITATION_EML)
    session = make.fresh()
    session.execute(sa.delete(FileText))
    session.commit()
    with app.app_context():
        assert queue_missing(session) == 3
        session.commit()
        assert queue_missing(session) == 0
        assert pending_count(session) == 3
    rows = texts(make)
    assert set(rows) == {f.sha256 for f in doc.files} | {mail.sha256}
    assert {row.status for row in rows.values()} == {"pending"}


@pytest.mark.timeout(120)
def test_a_file_registered_in_a_request_is_read_by_the_in_process_worker(make, app, client, login):
    app.config["SEARCH_EXTRACT_IN_PROCESS"] = True
    case = make.case()
    login(make.user("registrar"))
    pdf = files.text_pdf([["Inbjudan till Myndighetsnätverket i Östersund"]])
    try:
        response = client.post(
            f"/documents/new?case={case.number}",
            data={
                "direction": "incoming",
                "received_on": "2021-03-19",
                "counterpart": "Länsstyrelsen Jämtlands län",
                "title": "Inbjudan att ingå i Myndighetsnätverket",
                "files": [(io.BytesIO(pdf), "Inbjudan.pdf")],
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 302
        row = None
        while row is None or row.status == "pending":  # bounded by the test's timeout
            time.sleep(0.05)
            row = next(iter(texts(make).values()))
    finally:
        stop_worker(app)
    assert row.status == "done" and "Myndighetsnätverket i Östersund" in row.text


def test_search_status_lists_what_could_not_be_read_and_why(make, app):
    case = make.case()
    make.document(case, files=[("Skanning 1.png", files.png()), ("ok.txt", b"Ostersund")])
    make.document(None, title="Löst brev", files=[("trasig.pdf", b"%PDF-1.7 trasig")])
    make.mail(files.INVITATION_EML)
    run_pending(app)
    result = app.test_cli_runner().invoke(status_command, ["--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["counts"] == {
        "pending": 0,
        "done": 2,
        "no_text": 1,
        "unsupported": 0,
        "too_large": 0,
        "failed": 1,
    }
    unread = {item["reason"]: item for item in report["unread"]}
    assert set(unread) == {"image", "broken_pdf"}
    image = unread["image"]
    assert image["belongs_to"] == [
        {
            "document_id": image["belongs_to"][0]["document_id"],
            "number": f"{case.number}-1",
            "filename": "Skanning 1.png",
        }
    ]
    assert unread["broken_pdf"]["belongs_to"][0]["number"] is None
    assert unread["broken_pdf"]["reason_label"]

    text = app.test_cli_runner().invoke(status_command, [])
    assert text.exit_code == 0, text.output
    assert f"{case.number}-1 Skanning 1.png" in text.output and "trasig.pdf" in text.output


@pytest.mark.timeout(120)
def test_two_workers_at_once_read_each_file_once_and_neither_fails(make, app):
    import threading

    case = make.case()
    contents = [f"Handling {n}: Östersund och Åre".encode() for n in range(12)]
    doc = make.document(case, files=[(f"{n}.txt", c) for n, c in enumerate(contents)])
    results, errors = [], []

    def work():
        try:
            results.append(run_pending(app))
        except Exception as exc:  # a failing worker is what this test is about
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    assert sum(counts.get("done", 0) for counts in results) == len(contents)
    rows = texts(make)
    assert {rows[f.sha256].attempts for f in doc.files} == {1}
    assert {rows[f.sha256].status for f in doc.files} == {"done"}

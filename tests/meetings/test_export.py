"""Batch export of a meeting's excerpts as one ZIP, with progress."""

import io
import threading
import time
import zipfile

from docx import Document as Docx

from caseflow.meetings import decisions, services
from caseflow.meetings.dispatch_models import ExportJob
from caseflow.meetings.export import start_export
from tests.meetings.test_meetings import _decide_and_attest, _hans, _meeting


def test_a_meeting_exports_all_its_excerpts_as_one_zip(make, app, approved):
    meeting = _meeting(
        make, app, approved("Första ärendet"), approved("Andra ärendet"), approved("Tredje ärendet")
    )
    _decide_and_attest(make, app, meeting)
    with app.app_context():
        job = start_export(make.session, meeting, "docx", user=_hans(make))
        make.session.flush()
        assert [t for t in threading.enumerate() if t.name == f"export-{job.id}"] == []
        make.session.commit()  # the build starts only once the job's row is committed
    (worker,) = [t for t in threading.enumerate() if t.name == f"export-{job.id}"]
    worker.join(timeout=60)
    make.fresh()
    job = make.session.get(ExportJob, job.id)
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    archive = zipfile.ZipFile(io.BytesIO(make.store.path_for(job.sha256).read_bytes()))
    names = archive.namelist()
    assert names == [f"Protokollsutdrag Regionstyrelsen § {n} RS-{n}-2021.docx" for n in (1, 2, 3)]
    second = Docx(io.BytesIO(archive.read(names[1])))
    text = "\n".join(p.text for p in second.paragraphs)
    assert "§ 2" in text and "Dnr RS/2/2021" in text


def test_only_attested_paragraphs_are_exported(make, app, approved):
    meeting = _meeting(make, app, approved())
    with app.app_context():
        services.open_meeting(make.session, meeting, user=_hans(make))
        decisions.record_decision(make.session, meeting.items[0], kind="adopted", user=_hans(make))
        import pytest

        from caseflow.common.errors import ValidationError

        with pytest.raises(ValidationError, match="justerade"):
            start_export(make.session, meeting, "docx", user=_hans(make))


def test_the_progress_page_updates_until_the_zip_is_ready(make, app, approved, client, login):
    meeting = _meeting(make, app, approved("Ett"), approved("Två"))
    _decide_and_attest(make, app, meeting)
    login(_hans(make))
    started = client.post(f"/meetings/{meeting.id}/export", data={"fmt": "docx"})
    status_url = started.headers["Location"]
    for _ in range(100):
        page = client.get(status_url).get_data(as_text=True)
        if 'http-equiv="refresh"' not in page:
            break
        time.sleep(0.1)
    assert 'http-equiv="refresh"' not in page
    assert '<progress id="progress" max="2" value="2">' in page
    with client.get(status_url + "/download") as download:
        assert (
            zipfile.ZipFile(io.BytesIO(download.data)).namelist()[0].endswith("§ 1 RS-1-2021.docx")
        )


def test_an_export_whose_process_died_is_failed_not_running_for_ever(make, app, approved):
    from datetime import timedelta

    from caseflow.common.timeutil import now
    from caseflow.meetings.jobs import fail_stale_exports

    meeting = _meeting(make, app, approved())
    lost = ExportJob(
        meeting_id=meeting.id, fmt="pdf", total=3, created_at=now() - timedelta(hours=2)
    )
    fresh = ExportJob(meeting_id=meeting.id, fmt="pdf", total=3)
    make.session.add_all([lost, fresh])
    make.session.commit()
    with app.app_context():
        assert fail_stale_exports() == 1
    make.fresh()
    assert make.session.get(ExportJob, lost.id).status == "failed"
    assert make.session.get(ExportJob, fresh.id).status == "running"

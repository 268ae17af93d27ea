"""The public notice board: anonymous, without a cookie, in Swedish or English by the
URL, cacheable; and never a secret. A § behind closed doors and a case's secret title
appear on no page of the board and in no file it offers, only their public headings."""

from __future__ import annotations

import io
from datetime import date, timedelta

import docx
from sqlmodel import select

from caseflow.common.timeutil import today
from caseflow.meetings import attestation
from caseflow.noticeboard import jobs
from caseflow.noticeboard.models import Notice
from tests.markers import PUBLIC_TITLE, fetch, found_markers, pdf_text
from tests.noticeboard.conftest import CLOSED_PUBLIC_TITLE, OPEN_TITLE
from tests.support import require_or_skip


def _attested(make, app, held) -> Notice:
    meeting = held(date(2021, 11, 24))
    with app.app_context():
        attestation.attest(
            make.session,
            meeting,
            attested_on=today(),
            attested_by="Anna Ordförande\nBertil Justerare",
            user=held.hans,
        )
    make.session.commit()
    return make.fresh().exec(select(Notice)).one()


def _board_urls(notice: Notice) -> list[str]:
    pages = ["/anslagstavla/", "/anslagstavla/arkiv", f"/anslagstavla/{notice.id}"]
    files = [f"/anslagstavla/{notice.id}/filer/{f.id}" for f in notice.files]
    return [url + lang for url in pages + files for lang in ("", "?lang=en")]


def test_the_board_answers_anyone_without_a_cookie_and_may_be_cached(make, app, held, client):
    notice = _attested(make, app, held)
    for url in _board_urls(notice):
        response = fetch(client, url)
        assert response.status_code == 200, url
        assert "Set-Cookie" not in response.headers, url
        assert response.headers["Cache-Control"].startswith("public"), url
    far = fetch(client, "/anslagstavla/arkiv?page=99999999999999999999999")
    assert far.status_code == 200 and "Set-Cookie" not in far.headers
    missing = fetch(client, "/anslagstavla/999999")
    assert missing.status_code == 404 and "Set-Cookie" not in missing.headers


def test_the_language_is_in_the_url(make, app, held, client):
    notice = _attested(make, app, held)
    english = client.get(f"/anslagstavla/{notice.id}?lang=en").get_data(as_text=True)
    assert f"The protocol was attested on {today().isoformat()}." in english
    assert "The last day to appeal is" in english
    assert '<html lang="en">' in english
    # Links keep the language; the Swedish page links to the English one.
    assert "/anslagstavla/?lang=en" in english
    swedish = client.get(f"/anslagstavla/{notice.id}").get_data(as_text=True)
    assert f"Protokollet justerades {today().isoformat()}." in swedish
    assert f"/anslagstavla/{notice.id}?lang=en" in swedish


def test_no_closed_paragraph_or_secret_title_reaches_the_board_or_its_protocol(
    make, app, held, client
):
    notice = _attested(make, app, held)
    # The markers are there to be leaked: in the §'s real heading and the case's real title.
    real = _real_headings(make, notice)
    assert {"title", "closed"} <= found_markers(" ".join(real))
    (protocol,) = notice.files
    assert protocol.filename == "Protokoll Regionstyrelsen 2021-11-24.docx"
    leaks = {}
    for url in _board_urls(notice):
        response = fetch(client, url)
        leaks[url] = found_markers(
            response.headers.get("Content-Disposition", "") + _text(response)
        )
    assert {url: found for url, found in leaks.items() if found} == {}

    # The protocol as published: the open case in full, the others by their public headings.
    download = fetch(client, f"/anslagstavla/{notice.id}/filer/{protocol.id}")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(download.data)).paragraphs]
    text = "\n".join(paragraphs)
    assert f"§ 1 {OPEN_TITLE}" in paragraphs
    assert f"§ 2 {PUBLIC_TITLE}" in paragraphs
    assert f"§ 3 {CLOSED_PUBLIC_TITLE}" in paragraphs
    assert found_markers(text) == set()


def test_the_protocols_pdfa_made_by_the_job_carries_no_secret(make, app, held, client, tmp_path):
    from caseflow.pdf import converter
    from caseflow.seal.demo_seal import create_demo_seal

    if not converter.is_available():
        require_or_skip("LibreOffice is not installed")
    create_demo_seal(tmp_path / "sigill.p12", password="lösen", organisation="Region Test")
    app.config.update(SEAL_PKCS12_PATH=str(tmp_path / "sigill.p12"), SEAL_PKCS12_PASSWORD="lösen")
    notice = _attested(make, app, held)
    with app.app_context():
        assert jobs.make_protocol_pdfs(today()) == {"made": 1, "failed": 0}
        assert jobs.make_protocol_pdfs(today()) == {"made": 0, "failed": 0}
    notice = make.fresh().get(Notice, notice.id)
    pdf = next(f for f in notice.files if f.kind == "protocol_pdf")
    assert pdf.is_sealed and pdf.filename == "Protokoll Regionstyrelsen 2021-11-24.pdf"

    page = client.get(f"/anslagstavla/{notice.id}").get_data(as_text=True)
    assert f"/anslagstavla/{notice.id}/filer/{pdf.id}" in page
    assert "med organisationens sigill" in page
    download = fetch(client, f"/anslagstavla/{notice.id}/filer/{pdf.id}")
    assert download.data.startswith(b"%PDF-") and "Set-Cookie" not in download.headers
    text = pdf_text(download.data)
    assert PUBLIC_TITLE in text and CLOSED_PUBLIC_TITLE in text
    assert found_markers(text) == set()


def test_a_notice_not_yet_posted_is_not_shown(make, app, client, login):
    manager = make.user("manager")
    login(manager)
    later = today() + timedelta(days=3)
    response = client.post(
        "/anslagstavla/hantera/ny",
        data={
            "title": "Granskning av detaljplan",
            "text": "Planförslaget finns att läsa i regionens hus.",
            "posted_on": later.isoformat(),
            "take_down_on": (later + timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    notice = make.fresh().exec(select(Notice)).one()
    anonymous = app.test_client()
    assert anonymous.get(f"/anslagstavla/{notice.id}").status_code == 404
    assert "Granskning av detaljplan" not in anonymous.get("/anslagstavla/").get_data(as_text=True)


def _real_headings(make, notice: Notice) -> list[str]:
    from caseflow.cases.models import Case
    from caseflow.meetings.models import Meeting

    meeting = make.session.get(Meeting, notice.meeting_id)
    return [
        make.session.get(Case, item.case_id).title if item.has_case else item.title
        for item in meeting.items
    ]


def _text(response) -> str:
    from tests.markers import artefact_text

    name = response.headers.get("Content-Disposition", "")
    return artefact_text(name, response.data) if name else response.get_data(as_text=True)

"""Every PDF/A caseflow makes of a decision carries the organisation's seal: the excerpt
(exported, dispatched, corrected after justering), the delegated decision and the attested
protocol. Checked with pyHanko and the tests' own CA, never with caseflow's word for it."""

from __future__ import annotations

import io
import json
from datetime import date

import pypdf
from sqlmodel import select

from caseflow.cli import cli
from caseflow.common.audit import AuditEvent
from caseflow.documents.models import DocumentFile
from caseflow.meetings import decisions
from caseflow.meetings import dispatch as dispatching
from caseflow.meetings.delegated_decisions import decide_under_delegation
from caseflow.seal.verify import verify_pdf
from tests.meetings.conftest import board, preparing  # noqa: F401 - fixtures used here
from tests.meetings.test_meetings import _decide_and_attest, _meeting
from tests.pdf.test_converter import pdfa_identification, require_libreoffice

TITLE = "Projekt Test av coworking och hybridarbete inom Samverket i Östersund"


def assert_sealed(data: bytes, test_ca, reason: str) -> None:
    """Sealed with the test seal, intact, trusted, whole, still PDF/A-2b, and saying no
    more than ``reason`` and the organisation in clear text."""
    found = verify_pdf(data, [test_ca.root])
    assert found.ok, found.problem
    assert found.signer == "Region Testland sigill"
    assert found.reason == reason
    assert TITLE not in (found.reason + found.location)
    assert pdfa_identification(pypdf.PdfReader(io.BytesIO(data))) == ("2", "B")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_exported_excerpt_is_sealed(
    make, app, sealing_app, approved, runner, tmp_path, test_ca
):
    require_libreoffice()
    case = approved()
    _decide_and_attest(make, app, _meeting(make, app, case))
    target = tmp_path / "utdrag.pdf"
    result = runner.invoke(cli, ["excerpt", "export", case.number, "-o", str(target)])
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert_sealed(data, test_ca, "Protokollsutdrag ur justerat protokoll. Rätt utdraget intygas.")
    assert "PROTOKOLLSUTDRAG" in pdf_text(data)
    verified = runner.invoke(
        cli, ["excerpt", "verify", str(target), "--json"]
    )  # the configured seal is the trust root
    assert verified.exit_code == 0, verified.output
    assert json.loads(verified.stdout)["covers_whole_file"] is True


def test_without_a_seal_the_excerpt_is_made_unsealed_and_the_command_says_so(
    make, app, approved, runner, tmp_path
):
    require_libreoffice()
    case = approved()
    _decide_and_attest(make, app, _meeting(make, app, case))
    target = tmp_path / "utdrag.pdf"
    result = runner.invoke(cli, ["excerpt", "export", case.number, "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "Inget sigill är inställt" in result.stderr
    assert verify_pdf(target.read_bytes(), []).problem == "unsigned"


def test_a_correction_after_justering_registers_a_new_sealed_version(
    make, app, sealing_app, approved, test_ca
):
    require_libreoffice()
    case = approved()
    meeting = _meeting(make, app, case)
    _decide_and_attest(make, app, meeting)
    item = meeting.items[0]
    with app.test_request_context():
        dispatch = dispatching.prepare_dispatch(make.session, make.store, item, user=approved.hans)
        make.session.commit()
        decisions.record_decision(
            make.session,
            item,
            kind="amended",
            points=["Region Jämtland Härjedalen avsätter arbetstid motsvarande 99 000 kronor."],
            correction_reason="Skrivfel i beloppet",
            user=approved.hans,
        )
        make.session.commit()
    make.fresh()
    files = make.session.exec(
        select(DocumentFile)
        .where(DocumentFile.document_id == dispatch.document_id)
        .order_by(DocumentFile.file_version)
    ).all()
    assert [(f.file_version, f.mime_type) for f in files] == [
        (1, "application/pdf"),
        (2, "application/pdf"),
    ]
    old, new = files
    assert new.replaces_id == old.id and new.filename == old.filename
    contents = []
    for file in files:
        with make.store.open(file.sha256) as handle:
            contents.append(handle.read())
    for data in contents:
        assert_sealed(
            data, test_ca, "Protokollsutdrag ur justerat protokoll. Rätt utdraget intygas."
        )
    assert "99 000 kronor" not in pdf_text(contents[0])
    assert "99 000 kronor" in pdf_text(contents[1])
    replaced = make.session.exec(
        select(AuditEvent).where(AuditEvent.action == "document.replace_file")
    ).one()
    assert json.loads(replaced.after)["reason"] == "Skrivfel i beloppet"


def test_the_delegated_decision_is_sealed(make, app, sealing_app, board, preparing, test_ca):  # noqa: F811
    require_libreoffice()
    _organ, delegation = board
    with app.test_request_context():
        decision = decide_under_delegation(
            make.session,
            make.store,
            preparing(),
            delegation=make.session.merge(delegation),
            points=["Region Jämtland Härjedalen avsätter arbetstid motsvarande 134 100 kronor."],
            decided_on=date(2021, 11, 10),
            decided_by_name="Hans Svensson, Regiondirektör",
            user=preparing.erik,
            with_pdf=True,
        )
        make.session.commit()
    pdf = make.session.exec(
        select(DocumentFile).where(
            DocumentFile.document_id == decision.document_id,
            DocumentFile.mime_type == "application/pdf",
        )
    ).one()
    with make.store.open(pdf.sha256) as handle:
        assert_sealed(handle.read(), test_ca, "Delegationsbeslut")


def test_the_attested_protocol_downloads_as_sealed_pdfa_and_a_draft_never(
    make, app, sealing_app, approved, client, login, test_ca
):
    require_libreoffice()
    case = approved()
    meeting = _meeting(make, app, case)
    _decide_and_attest(make, app, meeting)
    draft = _meeting(make, app, approved("Ett ärende till"), day=date(2021, 12, 15))
    login(approved.hans)
    with client.get(f"/meetings/{meeting.id}/protocol.pdf") as response:
        data = response.get_data()
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert_sealed(data, test_ca, "Justerat protokoll")
    assert "PROTOKOLL" in pdf_text(data)
    refused = client.get(f"/meetings/{draft.id}/protocol.pdf", follow_redirects=True)
    assert "bara ett justerat protokoll" in refused.get_data(as_text=True)

"""``caseflow document correct`` and ``move``: the same corrections as the web, for scripts."""

import json

import pytest
from sqlmodel import func, select

from caseflow.cli import cli
from caseflow.common.models import AuditEvent
from caseflow.documents.models import Document


def run(runner, *args):
    return runner.invoke(cli, list(args))


def _state(make):
    """What a refused command must not have changed: the documents and the audit trail."""
    make.session.rollback()
    docs = make.session.exec(
        select(Document.id, Document.title, Document.counterpart, Document.case_id)
    ).all()
    events = make.session.exec(select(func.count()).select_from(AuditEvent)).one()
    return sorted(docs), events


def test_a_script_corrects_the_sender_and_reads_the_result_as_json(runner, make):
    case = make.case()
    # The sender is the organisation in the register (the JSON without --as is what the
    # public may read: an unmatched sender would be "Privatperson").
    make.document(case, counterpart="Vinova", party_id=make.party("Vinnova").id)
    result = run(
        runner,
        "document", "correct", f"{case.number}-1",
        "--field", "counterpart", "--value", "Vinnova", "--reason", "Stavfel", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["number"], data["counterpart"]) == (f"{case.number}-1", "Vinnova")
    assert (data["corrected"], data["reason"]) == ("counterpart", "Stavfel")


def test_dates_and_flags_are_read_in_their_own_type(runner, make):
    case = make.case()
    doc = make.document(case)
    number = f"{case.number}-1"
    for field, value in (("received_on", "2021-10-29"), ("secrecy_provision", "OSL 21 kap. 1 §")):
        result = run(
            runner, "document", "correct", number, "--field", field, "--value", value,
            "--reason", "Rättelse",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    result = run(
        runner, "document", "correct", number, "--field", "is_secret", "--value", "yes",
        "--reason", "Sekretessprövad",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    saved = make.fresh().get(Document, doc.id)
    assert (saved.received_on.isoformat(), saved.is_secret) == ("2021-10-29", True)


@pytest.mark.parametrize(
    "args",
    [
        ("RS/999/2021-1", "--field", "title", "--value", "x", "--reason", "r"),
        ("RS/1/2021-9", "--field", "title", "--value", "x", "--reason", "r"),
        ("inget-nummer", "--field", "title", "--value", "x", "--reason", "r"),
        ("RS/1/2021-1", "--field", "colour", "--value", "x", "--reason", "r"),
        ("RS/1/2021-1", "--field", "received_on", "--value", "igår", "--reason", "r"),
        ("RS/1/2021-1", "--field", "is_secret", "--value", "kanske", "--reason", "r"),
        ("RS/1/2021-1", "--field", "title", "--value", "x", "--reason", " "),
        ("RS/1/2021-1", "--field", "title", "--value", "Ansökan om medfinansiering",
         "--reason", "Inget"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line_and_writes_nothing(runner, make, args):
    case = make.case()
    assert case.number == "RS/1/2021"
    make.document(case)
    before = _state(make)
    result = run(runner, "document", "correct", *args)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert _state(make) == before


def test_a_script_moves_a_misfiled_document_and_the_old_number_still_finds_it(runner, make):
    rs1, rs2 = make.case(), make.case("Inbjudan")
    make.document(rs1, title="Inbjudan från Länsstyrelsen")
    result = run(
        runner, "document", "move", f"{rs1.number}-1", "--to", rs2.number,
        "--reason", "Fel ärende", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "from": f"{rs1.number}-1",
        "to": f"{rs2.number}-1",
        "reason": "Fel ärende",
    }
    again = run(
        runner, "document", "correct", f"{rs1.number}-1", "--field", "kind", "--value", "Brev",
        "--reason", "Saknades",
    )  # fmt: skip
    assert again.exit_code == 0, again.output
    assert f"{rs2.number}-1" in again.output
    neither = run(runner, "document", "move", f"{rs2.number}-1", "--reason", "x")
    assert neither.exit_code == 2

"""``caseflow search``: a registrar looks things up from the terminal, and an operator
rebuilds the index."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from caseflow.search.models import SearchEntry
from tests.markers import MARKERS
from tests.search.files import text_pdf


@pytest.fixture
def seeded(make):
    erik = make.user("official", name="Erik Noaksson", email="erik.noaksson@regionjh.se")
    case = make.case(
        "Projekt Test av coworking och hybridarbete",
        officer=erik,
        description=f"Hemligt: {MARKERS['description']}",
        description_is_secret=True,
        secrecy_provision="OSL 21 kap. 1 §",
    )
    make.document(case, title="Tjänsteskrivelse om hybridarbete")
    make.user("registrar", email="karin.ek@regionjh.se")
    return case


def test_search_prints_hits_as_json(runner, seeded):
    result = runner.invoke(
        args=["search", "hybridarbete", "--as", "karin.ek@regionjh.se", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["total"] == 2
    assert {(h["kind"], h["number"]) for h in data["hits"]} == {
        ("case", "RS/1/2021"),
        ("document", "RS/1/2021-1"),
    }
    assert all("hybridarbete" in [w.lower() for w in h["highlights"]] for h in data["hits"])


def test_search_as_a_holder_and_without_as(runner, seeded):
    holder = runner.invoke(args=["search", MARKERS["description"], "--as", "karin.ek@regionjh.se"])
    assert holder.exit_code == 0 and MARKERS["description"] in holder.output
    # Without --as: staff without secrets.
    plain = runner.invoke(args=["search", MARKERS["description"], "--json"])
    assert plain.exit_code == 0 and json.loads(plain.output)["total"] == 0


def test_search_by_type_limit_and_number(runner, seeded):
    result = runner.invoke(
        args=["search", "hybridarbete", "--type", "document", "--limit", "1", "--as",
              "karin.ek@regionjh.se"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "RS/1/2021-1" in result.output and "  case  " not in result.output
    result = runner.invoke(args=["search", "rs-1-2021", "--as", "karin.ek@regionjh.se", "--json"])
    assert json.loads(result.output)["direct"] == {"kind": "case", "number": "RS/1/2021"}


@pytest.mark.parametrize(
    "args",
    [
        ["search", "x", "--type", "meeting"],
        ["search", "x", "--limit", "0"],
        ["search", "x", "--limit", "many"],
        ["search", "x", "--as", "nobody@example.se"],
        ["search", "query", " "],
        ["search", "x" * 600],
    ],
)
def test_bad_input_exits_2_with_a_message(runner, seeded, args):
    result = runner.invoke(args=args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output and result.output.strip()


def test_hostile_text_is_just_words(runner, seeded):
    result = runner.invoke(args=["search", 'NEAR("x OR -y ^z:(', "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["total"] == 0


def test_reindex_rebuilds_with_a_progress_bar(runner, seeded, make):
    session = make.fresh()
    for entry in session.exec(select(SearchEntry)).all():
        session.delete(entry)
    session.commit()
    result = runner.invoke(args=["search", "reindex", "--progress"])
    assert result.exit_code == 0, result.output
    assert len(make.fresh().exec(select(SearchEntry)).all()) == 2
    found = runner.invoke(args=["search", "tjänsteskrivelse", "--as", "karin.ek@regionjh.se"])
    assert "RS/1/2021-1" in found.output


def test_reindex_reads_the_text_of_files_stored_before_the_index(runner, seeded, make):
    from caseflow.search.models import FileText

    document = make.document(
        seeded,
        title="Bilaga",
        files=[("bilaga.pdf", text_pdf([["Om glesbygdsmedicinen i Jämtland."]]))],
    )
    # As in a database from before the index: the file's text row is not there.
    session = make.fresh()
    session.delete(session.get(FileText, document.files[0].sha256))
    session.commit()

    result = runner.invoke(args=["search", "reindex"])

    assert result.exit_code == 0, result.output
    assert "Läste texten i 1 filer" in result.output
    found = runner.invoke(args=["search", "glesbygdsmedicin", "--as", "karin.ek@regionjh.se"])
    assert "RS/1/2021-2" in found.output

"""Migrating from a previous diarium: old numbers kept, counters continue, idempotent."""

import json

import pytest
from sqlmodel import select

from caseflow.auth.models import User
from caseflow.cases.models import Case, Series
from caseflow.cli import cli
from caseflow.documents.models import Document

OLD_DIARIUM = {
    "cases": [
        {
            "number": "RS/720/2021",
            "title": "Projekt Test av coworking och hybridarbete inom Samverket i Östersund",
            "officer_email": "erik.noaksson@regionjh.se",
            "officer_name": "Erik Noaksson",
            "unit": "Näringsliv",
            "opened": "2021-11-03",
            "status": "in_preparation",
            "parties": [
                {"name": None, "email": "registrator@vinnova.se", "organisation": "Vinnova"}
            ],
            "documents": [
                {
                    "direction": "incoming",
                    "title": "Ansökan om medfinansiering",
                    "date": "2021-11-01",
                    "counterpart": "Vinnova",
                    "files": ["ansokan.pdf"],
                },
                {
                    "direction": "internal",
                    "title": "Tjänsteskrivelse",
                    "date": "2021-11-03",
                    "counterpart": "Erik Noaksson",
                },
            ],
        },
        {
            "number": "RS/412/2021",
            "title": "Inbjudan att ingå i Myndighetsnätverket",
            "officer_email": "anders.bystrom@regionjh.se",
            "officer_name": "Anders Byström",
            "opened": "2021-03-19",
            "status": "closed",
            "closed": "2021-06-01",
            "parties": [
                {
                    "name": "Susanna Löfgren",
                    "organisation": "Länsstyrelsen Jämtlands län",
                    "email": "susanna.lofgren@lansstyrelsen.se",
                }
            ],
            "documents": [
                {
                    "direction": "incoming",
                    "title": "VB: myndighetsnätverket",
                    "date": "2021-03-19",
                    "counterpart": "Länsstyrelsen Jämtlands län",
                    "message_id": "<a1b2c3@regionjh.se>",
                },
            ],
        },
    ]
}


@pytest.fixture
def import_file(tmp_path):
    (tmp_path / "ansokan.pdf").write_bytes(b"%PDF-1.4 ansokan")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(OLD_DIARIUM, ensure_ascii=False), encoding="utf-8")
    return path


def _numbers(make):
    make.session.rollback()
    return sorted(make.session.exec(select(Case.number)).all())


def test_import_keeps_old_numbers_and_new_numbers_continue_above(runner, make, import_file):
    make.series("RS")
    result = runner.invoke(cli, ["import", "cases", str(import_file), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["cases_created"], report["documents_created"]) == (2, 3)
    assert _numbers(make) == ["RS/412/2021", "RS/720/2021"]
    new = runner.invoke(
        cli, ["case", "create", "--series", "RS", "--title", "Nytt", "--year", "2021"]
    )
    assert new.output.strip() == "RS/721/2021"
    shown = json.loads(runner.invoke(cli, ["case", "show", "RS/720/2021", "--json"]).output)
    assert [d["number"] for d in shown["documents"]] == ["RS/720/2021-1", "RS/720/2021-2"]
    assert shown["documents"][0]["files"][0]["filename"] == "ansokan.pdf"
    assert shown["officer"] == "erik.noaksson@regionjh.se"
    closed = json.loads(runner.invoke(cli, ["case", "show", "RS/412/2021", "--json"]).output)
    assert closed["closed"] == "2021-06-01"
    assert closed["documents"][0]["message_id"] == "<a1b2c3@regionjh.se>"


def test_unknown_officers_become_inactive_users(runner, make, import_file):
    make.series("RS")
    runner.invoke(cli, ["import", "cases", str(import_file)])
    make.session.rollback()
    erik = make.session.exec(select(User).where(User.email == "erik.noaksson@regionjh.se")).one()
    assert (erik.name, erik.is_enabled, erik.password_hash) == ("Erik Noaksson", False, None)


def test_reimporting_the_same_file_changes_nothing(runner, make, import_file):
    make.series("RS")
    runner.invoke(cli, ["import", "cases", str(import_file)])
    again = runner.invoke(cli, ["import", "cases", str(import_file), "--json"])
    report = json.loads(again.output)
    assert (report["cases_created"], report["cases_unchanged"], report["documents_created"]) == (
        0,
        2,
        0,
    )
    make.session.rollback()
    assert len(make.session.exec(select(Document)).all()) == 3


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: d["cases"][1].update(number="RS/412"), "diarienummer"),
        (lambda d: d["cases"][1].update(opened="19 mars 2021"), "är inget datum"),
        (lambda d: d["cases"][1].update(status="pending"), "okänd status"),
        (lambda d: d["cases"][1]["documents"][0].update(direction="in"), "direction"),
        (lambda d: d["cases"][1]["documents"][0].update(title=""), "title saknas"),
        (lambda d: d["cases"][1]["documents"][0].update(files=["../secret.txt"]), "utanför"),
        (lambda d: d["cases"].append(dict(d["cases"][0])), "förekommer två gånger"),
        (lambda d: d["cases"][1].update(number="XX/1/2021"), "finns inte"),
    ],
)
def test_a_bad_record_rolls_back_the_whole_import(runner, make, import_file, damage, message):
    make.series("RS")
    data = json.loads(import_file.read_text(encoding="utf-8"))
    damage(data)
    import_file.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(cli, ["import", "cases", str(import_file)])
    assert result.exit_code == 2
    assert message in result.output
    assert _numbers(make) == []  # the good first case was not kept either


def test_a_file_that_is_not_json_is_refused(runner, make, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{ not json", encoding="utf-8")
    result = runner.invoke(cli, ["import", "cases", str(bad)])
    assert result.exit_code == 2 and "inte giltig JSON" in result.output


def test_an_existing_number_with_another_title_is_a_conflict(runner, make, import_file):
    make.series("RS")
    runner.invoke(cli, ["import", "cases", str(import_file)])
    data = json.loads(import_file.read_text(encoding="utf-8"))
    data["cases"][0]["title"] = "Något helt annat"
    import_file.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(cli, ["import", "cases", str(import_file)])
    assert result.exit_code == 2 and "finns redan med en annan ärendemening" in result.output


def _with_series(import_file, series):
    data = json.loads(import_file.read_text(encoding="utf-8"))
    data["series"] = series
    import_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_a_migration_into_an_empty_instance_brings_its_series(runner, make, import_file):
    _with_series(
        import_file,
        [
            {"code": "RS", "name": "Regionstyrelsen"},
            {"code": "hsn", "name": "Hälso- och sjukvårdsnämnden"},
        ],
    )
    result = runner.invoke(cli, ["import", "cases", str(import_file), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["series_created"], report["cases_created"]) == (["RS", "HSN"], 2)
    make.session.rollback()
    names = dict(make.session.exec(select(Series.code, Series.name)).all())
    assert names == {"RS": "Regionstyrelsen", "HSN": "Hälso- och sjukvårdsnämnden"}
    new = runner.invoke(
        cli, ["case", "create", "--series", "HSN", "--title", "Nytt", "--year", "2021"]
    )
    assert new.output.strip() == "HSN/1/2021"
    again = json.loads(runner.invoke(cli, ["import", "cases", str(import_file), "--json"]).output)
    assert (again["series_created"], again["cases_unchanged"]) == ([], 2)


def test_a_migration_brings_its_units_nested_and_the_cases_and_officers_point_at_them(
    runner, make, import_file
):
    from caseflow.organisation.services import unit_tree

    data = json.loads(import_file.read_text(encoding="utf-8"))
    data["series"] = [{"code": "RS", "name": "Regionstyrelsen"}]
    data["units"] = [
        {"name": "Regional utveckling"},
        {"name": "näringsliv", "parent": "Regional utveckling"},
    ]
    data["cases"][1]["unit"] = "Ledningsstab"  # not listed: added as it is read
    import_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(cli, ["import", "cases", str(import_file), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["units_created"] == ["Regional utveckling", "näringsliv"]
    make.fresh()
    paths = [row.path for row in unit_tree(make.session)]
    assert paths == ["Ledningsstab", "Regional utveckling", "Regional utveckling › näringsliv"]
    rs720 = make.session.exec(select(Case).where(Case.number == "RS/720/2021")).one()
    erik = make.session.get(User, rs720.officer_id)
    # "Näringsliv" in the case is the unit the file listed as "näringsliv": one unit.
    assert rs720.unit.name == erik.unit.name == "näringsliv"


def test_a_unit_whose_parent_is_unknown_stops_the_import(runner, make, import_file):
    data = json.loads(import_file.read_text(encoding="utf-8"))
    data["units"] = [{"name": "Näringsliv", "parent": "Regional utvekling"}]
    import_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(cli, ["import", "cases", str(import_file)])
    assert result.exit_code == 2 and "Regional utvekling" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    make.fresh()
    assert _numbers(make) == []


def test_a_series_the_instance_knows_by_another_name_stops_the_import(runner, make, import_file):
    make.series("RS", name="Regionstyrelsen")
    _with_series(
        import_file,
        [
            {"code": "HSN", "name": "Hälso- och sjukvårdsnämnden"},
            {"code": "RS", "name": "Regionfullmäktige"},
        ],
    )
    result = runner.invoke(cli, ["import", "cases", str(import_file)])
    assert result.exit_code == 2
    assert "RS" in result.stderr and "»Regionstyrelsen«" in result.stderr
    make.session.rollback()
    assert make.session.exec(select(Series.code)).all() == ["RS"]  # HSN was not kept either
    assert _numbers(make) == []


@pytest.mark.parametrize(
    "series, message",
    [
        ([{"code": "R/S", "name": "Regionstyrelsen"}], "en till sex bokstäver"),
        ([{"code": "RS"}], "name saknas"),
        ([{"code": "RS", "name": "A"}, {"code": "rs", "name": "A"}], "två gånger"),
        ({"code": "RS"}, "lista"),
    ],
)
def test_a_bad_series_entry_is_refused_by_name(runner, make, import_file, series, message):
    _with_series(import_file, series)
    result = runner.invoke(cli, ["import", "cases", str(import_file)])
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1
    make.session.rollback()
    assert make.session.exec(select(Series)).all() == []

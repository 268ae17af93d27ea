"""``caseflow classification import/export/list`` and ``caseflow case create --class``."""

import json
from pathlib import Path

import pytest
from sqlmodel import func, select

from caseflow.cases.models import Case
from caseflow.classification.models import ClassificationClass
from caseflow.cli import cli
from caseflow.common.models import AuditEvent

SAMPLE = Path(__file__).parent / "klassificering.csv"


def run(runner, *args):
    return runner.invoke(cli, list(args))


def _count(make, model=ClassificationClass):
    make.session.rollback()
    return make.session.exec(select(func.count()).select_from(model)).one()


def test_import_the_sample_structure(runner, make):
    result = run(runner, "classification", "import", str(SAMPLE), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report == {"created": 13, "updated": 0, "unchanged": 0, "cases_linked": 0}
    listed = json.loads(run(runner, "classification", "list", "--json").output)
    budget = next(row for row in listed if row["code"] == "1.1.1")
    assert budget["title"] == "Ta fram budget" and budget["kind"] == "process"
    assert budget["parent_code"] == "1.1" and budget["retention"] == "bevara"
    recruit = next(row for row in listed if row["code"] == "3.2.1")
    assert (recruit["retention"], recruit["retention_years"]) == ("gallra", 2)
    assert recruit["retention_decision"] == "RA-MS 2020:1"
    assert recruit["secrecy_note"] == "OSL 39 kap. 3 §"
    assert [row["kind"] for row in listed[:3]] == ["area", "group", "process"]


def test_export_imports_back_unchanged_in_both_formats(runner, make, tmp_path):
    run(runner, "classification", "import", str(SAMPLE))
    for fmt in ("csv", "json"):
        exported = run(runner, "classification", "export", "--format", fmt)
        assert exported.exit_code == 0, exported.output
        path = tmp_path / f"export.{fmt}"
        path.write_text(exported.output, encoding="utf-8")
        again = json.loads(run(runner, "classification", "import", str(path), "--json").output)
        assert again == {"created": 0, "updated": 0, "unchanged": 13, "cases_linked": 0}
        assert run(runner, "classification", "export", "--format", fmt).output == exported.output
    csv_text = run(runner, "classification", "export").output
    assert csv_text.splitlines()[0] == (
        "code,title,description,parent_code,retention,retention_years,"
        "retention_decision,secrecy_note,active"
    )
    assert "3.2.1,Rekrytera medarbetare,,3.2,gallra,2,RA-MS 2020:1,OSL 39 kap. 3 §,true" in csv_text


def test_re_import_updates_the_codes_that_exist(runner, make, tmp_path):
    run(runner, "classification", "import", str(SAMPLE))
    changed = tmp_path / "andrad.csv"
    changed.write_text(
        "code;title;retention;retention_years;retention_decision\n"
        "2.3.1;Handlägga regionala projektmedel;gallra;10;RA-MS 2020:1\n",
        encoding="utf-8",
    )
    report = json.loads(run(runner, "classification", "import", str(changed), "--json").output)
    assert report["updated"] == 1 and report["created"] == 0
    make.fresh()
    cls = make.session.exec(
        select(ClassificationClass).where(ClassificationClass.code == "2.3.1")
    ).one()
    assert cls.title == "Handlägga regionala projektmedel" and cls.retention_years == 10
    # The columns the file left out keep their values.
    assert cls.description.startswith("Ansökningar om regionala projektmedel")
    assert cls.secrecy_note == "OSL 30 kap. 23 §"


def test_nested_json_gives_the_parents(runner, make, tmp_path):
    path = tmp_path / "struktur.json"
    path.write_text(
        json.dumps(
            [
                {
                    "code": "4",
                    "title": "Vårda",
                    "children": [
                        {
                            "code": "4.1",
                            "title": "Ge vård",
                            "children": [
                                {
                                    "code": "4.1.1",
                                    "title": "Ta emot patient",
                                    "retention": "gallra",
                                    "retention_years": 10,
                                    "retention_decision": "HSLF-FS 2016:40",
                                }
                            ],
                        }
                    ],
                }
            ]  # fmt: skip
        ),
        encoding="utf-8",
    )
    assert run(runner, "classification", "import", str(path)).exit_code == 0
    listed = json.loads(run(runner, "classification", "list", "--json").output)
    assert [(r["code"], r["parent_code"], r["kind"]) for r in listed] == [
        ("4", None, "area"),
        ("4.1", "4", "group"),
        ("4.1.1", "4.1", "process"),
    ]


BAD_FILES = [
    ("code,title\n1,Styra och leda\n1..2,Fel\n", "rad 3"),
    ("code,title\n1,Styra och leda\n1,Igen\n", "rad 3"),
    ("code,title,retention\n1,Styra och leda,kasta\n", "rad 2"),
    ("code,title,retention,retention_years,retention_decision\n1,Styra,gallra,,RA\n", "rad 2"),
    ("code,title\n7.3.1,Handlägga projektmedel\n", "rad 2"),
    ("code,rubrik\n1,Styra\n", "rad 1"),
    ("code,title\n1,Styra,för många\n", "rad 2"),
    ('[{"code": "1", "title": "Styra"}, {"code": "1.9"}]', "post 2"),
    ('[{"code": "1", "title": "Styra", "children": [{"code": "x y", "title": "Z"}]}]', "post 1.1"),
    ("[{", "JSON"),
    ("code,title,active\n2.3,Främja näringsliv och innovation,false\n", "rad 2"),
]


@pytest.mark.parametrize("content, where", BAD_FILES)
def test_a_bad_file_names_its_line_and_writes_nothing(runner, make, tmp_path, content, where):
    run(runner, "classification", "import", str(SAMPLE))
    before = _count(make), _count(make, AuditEvent)
    path = tmp_path / "fel.csv"
    path.write_text(content, encoding="utf-8")
    result = run(runner, "classification", "import", str(path))
    assert result.exit_code == 2, result.output
    assert where in result.output and "Traceback" not in result.output
    assert (_count(make), _count(make, AuditEvent)) == before


def test_an_unreadable_file_is_one_clear_error(runner, tmp_path):
    result = run(runner, "classification", "import", str(tmp_path / "finns-inte.csv"))
    assert result.exit_code == 2 and "finns-inte.csv" in result.output
    binary = tmp_path / "bild.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert run(runner, "classification", "import", str(binary)).exit_code == 2


def test_case_create_with_a_class(runner, make):
    make.series("RS")
    run(runner, "classification", "import", str(SAMPLE))
    result = run(
        runner, "case", "create", "--series", "RS", "--title", "Projektmedel till Samverket",
        "--class", "2.3.1", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["class_code"], data["class_title"]) == ("2.3.1", "Handlägga projektmedel")
    shown = json.loads(run(runner, "case", "show", data["number"], "--json").output)
    assert shown["class_code"] == "2.3.1"


@pytest.mark.parametrize("code", ["9.9.9", "2.3", ""])
def test_case_create_with_an_unknown_class_or_no_process_writes_nothing(runner, make, code):
    make.series("RS")
    run(runner, "classification", "import", str(SAMPLE))
    result = run(runner, "case", "create", "--series", "RS", "--title", "X", "--class", code)
    assert result.exit_code == 2, result.output
    assert _count(make, Case) == 0


def test_a_bad_line_is_one_line_on_stderr_from_the_real_command(tmp_path):
    """The installed entry point, as a script meets it: one line, exit 2, no traceback."""
    import os
    import subprocess
    import sys

    env = os.environ | {"CASEFLOW_INSTANCE": str(tmp_path / "instance")}
    env.pop("CASEFLOW_DATABASE_URL", None)

    def caseflow(*args):
        return subprocess.run(
            [sys.executable, "-m", "caseflow", *args],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip

    assert caseflow("init").returncode == 0
    assert caseflow("db", "upgrade").returncode == 0
    bad = tmp_path / "struktur.csv"
    bad.write_text("code,title\n1,Styra och leda\n1.1,\n", encoding="utf-8")
    result = caseflow("classification", "import", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "caseflow: error: rad 3: Klassens benämning saknas."
    ], result.stderr
    assert result.stdout == ""
    listed = caseflow("classification", "list", "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout) == []


def test_the_readme_example_imports(runner, make, tmp_path):
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    example = readme.split("```csv\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "exempel.csv"
    path.write_text(example, encoding="utf-8")
    result = run(runner, "classification", "import", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["created"] == 6

"""Case numbers: written as RS/720/2021, allocated without gaps, never twice."""

import threading

import pytest
from sqlmodel import select

from caseflow.cases.models import Case
from caseflow.cases.numbering import CaseNumber, parse_number
from caseflow.cases.services import open_case
from caseflow.common.audit_verify import verify as verify_chain
from caseflow.common.errors import ValidationError
from caseflow.db import new_session


@pytest.mark.parametrize(
    "text, expected",
    [
        ("RS/720/2021", CaseNumber("RS", 720, 2021)),
        ("rs/720/2021", CaseNumber("RS", 720, 2021)),
        ("  RS/1/2026 ", CaseNumber("RS", 1, 2026)),
        ("HSN/45/2024", CaseNumber("HSN", 45, 2024)),
    ],
)
def test_case_numbers_are_read_in_any_letter_case(text, expected):
    assert parse_number(text) == expected
    assert expected.format() == text.strip().upper()


@pytest.mark.parametrize(
    "text",
    [
        "RS-720-2021",
        "rs 720-2021",
        "RS 2021/720",
        "RS-2021-720",
        "Dnr RS/720/2021",
        "[RS 720/2021]",
    ],
)
def test_a_number_typed_in_another_common_spelling_is_read_the_same(text):
    # The one reader of spellings (caseflow.cases.spellings) serves the CLI and search too.
    assert parse_number(text) == CaseNumber("RS", 720, 2021)


@pytest.mark.parametrize(
    "text", ["", "RS/720", "720/2021", "2021/720", "RS/x/2021", "RS/720/21", "RS/720/2021/3"]
)
def test_malformed_case_numbers_are_refused(text):
    with pytest.raises(ValidationError):
        parse_number(text)


def test_a_configured_number_format_is_used_everywhere(make, app):
    app.config["CASE_NUMBER_FORMAT"] = "{series} {year}-{seq}"
    case = make.case()
    assert case.number == "RS 2021-1"
    assert parse_number("rs 2021-1", app.config["CASE_NUMBER_FORMAT"]) == CaseNumber("RS", 1, 2021)


def test_numbers_run_per_series_and_year(make):
    make.series("HSN", "Hälso- och sjukvårdsnämnden")
    numbers = [
        make.case(series="RS", year=2021).number,
        make.case(series="RS", year=2021).number,
        make.case(series="RS", year=2022).number,
        make.case(series="HSN", year=2021).number,
        make.case(series="RS", year=2021).number,
    ]
    assert numbers == ["RS/1/2021", "RS/2/2021", "RS/1/2022", "HSN/1/2021", "RS/3/2021"]


def test_a_rolled_back_registration_gives_its_number_back(make, app):
    make.series("RS")
    session = new_session(app.extensions["caseflow.engine"])
    open_case(session, series_code="RS", title="Avbruten registrering", year=2021)
    session.rollback()
    session.close()
    assert make.case(year=2021).number == "RS/1/2021"


def _open_many(app, writers: int, per_writer: int, errors: list) -> None:
    barrier = threading.Barrier(writers)

    def work(n: int) -> None:
        try:
            with app.app_context():
                barrier.wait()
                for i in range(per_writer):
                    session = new_session(app.extensions["caseflow.engine"], write=True)
                    try:
                        open_case(
                            session, series_code="RS", title=f"Skrivare {n} ärende {i}", year=2026
                        )
                        session.commit()
                    finally:
                        session.close()
        except Exception as exc:  # collected and asserted on by the test
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


@pytest.mark.slow
def test_concurrent_writers_get_exactly_one_to_n(make, app):
    make.series("RS")
    writers, per_writer = 8, 50
    errors: list = []
    _open_many(app, writers, per_writer, errors)
    assert errors == []
    seqs = sorted(make.session.exec(select(Case.seq).where(Case.year == 2026)).all())
    assert seqs == list(range(1, writers * per_writer + 1))
    numbers = make.session.exec(select(Case.number).where(Case.year == 2026)).all()
    assert len(set(numbers)) == writers * per_writer
    # The audit chain stayed linear while they raced.
    result = verify_chain(make.session)
    assert result.ok, result
    assert result.checked >= writers * per_writer

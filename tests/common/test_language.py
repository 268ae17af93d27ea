"""One language per reader: English msgids, a complete Swedish catalog, stored codes.

A registrar reading in English sees no Swedish sentence, in the web UI, from the
``caseflow`` command or in its JSON; in Swedish everything is Swedish. What is stored (a
mail's reason for waiting) is a code that each reader sees in their own language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask_babel import force_locale

from caseflow import create_app
from caseflow.cli import cli
from caseflow.mail.reasons import describe
from caseflow.migrate import alembic_config, upgrade

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "caseflow" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"

#: Words of Swedish sentences caseflow writes; none may reach an English reader.
SWEDISH_WORDS = re.compile(
    r"\b(ärende\w*|finns|inte|saknas|inget|ingen|diarienummer|meddelande\w*|kunde|"
    r"användare\w*|utskick|brevlåda\w*)\b",
    re.IGNORECASE,
)


def assert_no_swedish(text: str) -> None:
    assert not re.search("[åäöÅÄÖ]", text), text
    assert not SWEDISH_WORDS.search(text), text


# --- the catalog -----------------------------------------------------------------------


def _extracted_msgids() -> dict[str, str]:
    """Every msgid in the source, as ``pybabel extract -F babel.cfg -k _l`` finds them."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    keywords = dict(DEFAULT_KEYWORDS, _l=None)
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        msgid = message if isinstance(message, str) else message[0]
        found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def test_every_message_in_the_source_has_a_swedish_translation():
    with open(CATALOG, "rb") as handle:
        catalog = read_po(handle)
    untranslated = []
    for msgid, where in sorted(_extracted_msgids().items()):
        entry = catalog.get(msgid)
        if entry is None or not entry.string or entry.fuzzy:
            untranslated.append(f"{where}: {msgid!r}")
    assert not untranslated, "Without a Swedish translation:\n" + "\n".join(untranslated)
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not fuzzy, f"Fuzzy entries in the catalog: {fuzzy}"
    # A translation naming other placeholders than its msgid fails when it is shown.
    problems = [(m.id, errors) for m, errors in catalog.check()]
    assert not problems, problems


# --- the command -----------------------------------------------------------------------

QUEUED_MAIL = (
    b"From: Vinnova <info@vinnova.se>\nTo: platina@regionjh.se\nSubject: Call for proposals\n"
    b"Date: Mon, 22 Nov 2021 10:00:00 +0100\nMessage-ID: <call-2021@vinnova.se>\n"
    b"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nHello.\n"
)


def _failing_commands():
    return [
        (["case", "show", "XX/1/2021"], "Ärendet XX/1/2021 finns inte.", "does not exist"),
        (
            ["case", "create", "--series", "ZZ", "--title", "Test", "--json"],
            "Diarieserien »ZZ« finns inte.",
            "The series »ZZ« does not exist.",
        ),
        (
            ["case", "list", "--officer", "nobody@example.test", "--json"],
            "Ingen användare har e-postadressen nobody@example.test.",
            "No user with the e-mail nobody@example.test.",
        ),
    ]


def test_the_command_speaks_swedish_by_default(app, runner, make):
    make.series("RS")
    for args, swedish, _english in _failing_commands():
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert swedish in result.output


def test_the_command_speaks_english_when_configured(app, runner, make):
    make.series("RS")
    app.config["CLI_LANGUAGE"] = "en"
    for args, _swedish, english in _failing_commands():
        result = runner.invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert english in result.output
        assert_no_swedish(result.output)


@pytest.mark.parametrize(
    "language, expected",
    [
        ("sv", "Inget diarienummer och inget svar på ett utskick."),
        ("en", "No case number and no reply to mail we sent."),
    ],
)
def test_the_json_report_of_a_queued_mail_is_in_the_commands_language(
    app, runner, tmp_path, language, expected
):
    app.config["CLI_LANGUAGE"] = language
    mail = tmp_path / "call.eml"
    mail.write_bytes(QUEUED_MAIL)
    result = runner.invoke(cli, ["mail", "import", "--json", str(mail)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["status"], report["reason"]) == ("queued", expected)
    again = json.loads(runner.invoke(cli, ["mail", "import", "--json", str(mail)]).output)
    if language == "en":
        assert_no_swedish(result.output)
        assert again["reason"] == "Already read from the same source."
    else:
        assert again["reason"] == "Redan inläst från samma källa."


def test_the_environment_chooses_the_commands_language(database_url, tmp_path, monkeypatch):
    """``CASEFLOW_CLI_LANGUAGE=en caseflow …``: the rule the README gives."""
    monkeypatch.setenv("CASEFLOW_CLI_LANGUAGE", "en")
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "k", "DATABASE_URL": database_url},
        instance_path=str(tmp_path / "instance"),
    )
    try:
        result = app.test_cli_runner().invoke(cli, ["case", "show", "RS/1/2021"])
        assert "Case RS/1/2021 does not exist." in result.output
        assert_no_swedish(result.output)
        app.config["CLI_LANGUAGE"] = "de"  # not one of LANGUAGES: the default, Swedish
        result = app.test_cli_runner().invoke(cli, ["case", "show", "RS/1/2021"])
        assert "Ärendet RS/1/2021 finns inte." in result.output
    finally:
        app.extensions["caseflow.engine"].dispose()


# --- the web UI ------------------------------------------------------------------------


def _void_again(client, number: str) -> str:
    response = client.post(f"/cases/{number}/void", data={"reason": "Twice"}, follow_redirects=True)
    return response.get_data(as_text=True)


def test_a_service_error_is_flashed_in_the_readers_language(make, client, login):
    case = make.case()
    login(make.user("registrar"))
    client.post(f"/cases/{case.number}/void", data={"reason": "Dubbelregistrering"})

    swedish = _void_again(client, case.number)
    assert f"Ärendet {case.number} är redan makulerat." in swedish

    client.post("/language/en")
    english = _void_again(client, case.number)
    assert f"Case {case.number} is already void." in english
    assert f"Ärendet {case.number}" not in english


def test_a_mails_reason_is_shown_in_the_readers_language(make, client, login):
    make.mail(QUEUED_MAIL)
    login(make.user("registrar"))
    swedish = client.get("/mail/").get_data(as_text=True)
    assert "Inget diarienummer och inget svar på ett utskick." in swedish
    client.post("/language/en")
    english = client.get("/mail/").get_data(as_text=True)
    assert "No case number and no reply to mail we sent." in english
    assert "Inget diarienummer" not in english


# --- the stored sentences of before ----------------------------------------------------

OLD_ROWS = [
    # (status, reason, error) as revision 0008 stored them
    ("queued", "Inget diarienummer och inget svar på ett utskick "
     "(vidarebefordrat meddelande).", None),
    ("queued", "Flera diarienummer i ämnesraden: RS/1/2021, RS/2/2021.", None),
    ("filed", "Diarieförd i RS/720/2021 (svar på utskick).", None),
    ("queued", "Meddelandet är 52.4 MB, större än gränsen 50 MB för automatisk "
     "diarieföring: granska det i kön.", None),
    ("queued", "Till kön: En riktig inbjudan", None),
    ("rejected", "Reklam", None),
    ("queued", "Något som ingen kod känner till.", None),
    ("failed", None, "ValueError: trasig rubrik"),
    ("failed", None, "Behandlingen avbröts 3 gånger (processen dog): meddelandet finns "
     "sparat och väntar på registrator."),
]  # fmt: skip


def test_the_migration_turns_stored_sentences_into_codes(app, tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    upgrade(url, "0008")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO file_blob (sha256, size, created_at) VALUES ('ab', 1, '2021-11-22')"
        )
        for n, (status, reason, error) in enumerate(OLD_ROWS):
            conn.execute(
                sa.text(
                    "INSERT INTO mail_message (sha256, size, message_id, source, source_key,"
                    " status, reason, error, received_at)"
                    " VALUES ('ab', 1, :mid, 'file:x', :key, :status, :reason, :error,"
                    " '2021-11-22')"
                ),
                {"mid": f"<{n}@x>", "key": f"k{n}", "status": status, "reason": reason,
                 "error": error},
            )  # fmt: skip
    upgrade(url)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT reason_code, reason_params, error_code, error_detail FROM mail_message"
            " ORDER BY id"
        ).all()
    engine.dispose()
    stored = [
        (code, json.loads(params) if params else None, error_code, detail)
        for code, params, error_code, detail in rows
    ]
    assert stored == [
        ("forwarded_no_case_number", {}, None, None),
        ("several_numbers", {"numbers": ["RS/1/2021", "RS/2/2021"]}, None, None),
        ("filed_reply", {"case": "RS/720/2021"}, None, None),
        ("oversized", {"size": 52.4, "limit": 50}, None, None),
        ("requeued", {"reason": "En riktig inbjudan"}, None, None),
        ("rejected", {"reason": "Reklam"}, None, None),
        ("text", {"text": "Något som ingen kod känner till."}, None, None),
        (None, None, "processing_failed", "ValueError: trasig rubrik"),
        (None, None, "interrupted", "3 attempts ended with the process dying"),
    ]
    with app.app_context():
        code, params = stored[0][:2]
        with force_locale("en"):
            assert describe(code, params) == (
                "No case number and no reply to mail we sent (forwarded message)."
            )
            assert describe(*stored[3][:2]).startswith("The message is 52.4 MB")
            assert describe(*stored[6][:2]) == "Något som ingen kod känner till."
        with force_locale("sv"):
            assert describe(code, params) == OLD_ROWS[0][1]
            assert describe(*stored[3][:2]).startswith("Meddelandet är 52,4 MB")

    # Going back gives each row the sentence the old code wrote.
    command.downgrade(alembic_config(url), "0008")
    with engine.connect() as conn:
        back = conn.exec_driver_sql("SELECT status, reason, error FROM mail_message ORDER BY id")
        assert [tuple(row) for row in back] == OLD_ROWS
    engine.dispose()

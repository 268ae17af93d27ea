"""Mail is never doubled, whatever way it came in (issue 12 §5).

The story: the registrar imported a folder of .eml files (CRLF line ends) and then the
same mail exported as an mbox (LF line ends, body lines beginning "From " quoted as
">From "). The second import filed the message without a Message-ID a second time and
queued the rest as Message-ID collisions. Here the same corpus arrives from every pair of
sources — files, mbox, maildir, IMAP (a real Dovecot) — and the second import files
nothing and queues nothing. A changed body under the same Message-ID still waits for a
person.
"""

from __future__ import annotations

import itertools
import json
import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlmodel import func, select

from caseflow.cases.numbering import raise_counter_to
from caseflow.cli import cli
from caseflow.documents.models import Document
from caseflow.mail.models import MailMessage
from tests.mail.test_intake_pipeline import run_import

CORPUS = Path(__file__).parent / "corpus"
#: Left out of the round trips: an empty file is no message in an mbox, and an IMAP
#: server does not carry NUL bytes as they are (Dovecot serves them as 0x80).
NOT_CARRIED = {"empty.eml", "garbage.eml"}
SOURCES = ("files", "mbox", "maildir", "imap")


def _with_attachments(*, text="bifogat finns beslutet", budget="120 000") -> bytes:
    message = EmailMessage()
    message["From"] = "Vinnova <registrator@vinnova.se>"
    message["To"] = "FBL Platina RS <platina@regionjh.se>"
    message["Subject"] = "Beslut om bidrag RS/720/2021"
    message["Date"] = "Mon, 22 Nov 2021 10:00:00 +0100"
    message["Message-ID"] = "<beslut-720@vinnova.se>"
    message.set_content(f"Hej,\n\n{text} och budgeten.\n")
    message.add_attachment(b"%PDF-1.7\n" + bytes(range(256)) * 8, "application", "pdf",
                           filename="Beslut Vinnova 2021-11-22.pdf")  # fmt: skip
    message.add_attachment(f"Post;Belopp\nLokaler;{budget}\n".encode(), "text", "csv",
                           filename="Budget för Samverket.csv")  # fmt: skip
    return message.as_bytes()


#: A body line that begins "From ": an mbox quotes it, a file does not.
FROM_LINE = (
    "From: Erik Noaksson <erik.noaksson@regionjh.se>\n"
    "To: platina@regionjh.se\nSubject: Minnesanteckningar coworking\n"
    "Date: Tue, 23 Nov 2021 08:30:00 +0100\nMessage-ID: <from-line@regionjh.se>\n"
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: 8bit\n\nAnteckningar från mötet.\n\n"
    "From Östersund kom tre deltagare.\n>From the notes: nothing quoted here.\n"
).encode()


def corpus() -> dict[str, bytes]:
    """Each message once, with LF line ends (every source writes its own)."""
    messages = {
        path.name: path.read_bytes().replace(b"\r\n", b"\n")
        for path in sorted(CORPUS.glob("*.eml"))
        if path.name not in NOT_CARRIED
    }
    messages["attachments.eml"] = _with_attachments().replace(b"\r\n", b"\n")
    messages["from_line.eml"] = FROM_LINE
    return messages


def _crlf(raw: bytes) -> bytes:
    return raw.replace(b"\n", b"\r\n")


def write_files(folder: Path, messages: dict[str, bytes]) -> Path:
    folder.mkdir()
    for name, raw in messages.items():
        (folder / name).write_bytes(_crlf(raw))
    return folder


def write_mbox(path: Path, messages: dict[str, bytes]) -> Path:
    box = mailbox.mbox(path)  # LF, with "From " lines in bodies quoted as ">From "
    for raw in messages.values():
        box.add(raw)
    box.close()
    return path


def write_maildir(path: Path, messages: dict[str, bytes]) -> Path:
    box = mailbox.Maildir(path)
    for raw in messages.values():
        box.add(raw)
    box.close()
    return path


@pytest.fixture
def coworking(make):
    """RS/720/2021, named by many messages of the corpus, so that the first import files."""
    series = make.series("RS")
    raise_counter_to(make.session, series, 2021, 719)
    make.session.commit()
    return make.case("Projekt Test av coworking och hybridarbete inom Samverket i Östersund")


def counts(make) -> dict:
    session = make.fresh()
    by_status = dict(
        session.exec(select(MailMessage.status, func.count()).group_by(MailMessage.status)).all()
    )
    documents = session.exec(select(func.count()).select_from(Document)).one()
    return {"documents": documents, **by_status}


class Sources:
    """Imports the corpus from one source at a time."""

    def __init__(self, request, runner, tmp_path, messages):
        self.request, self.runner, self.tmp, self.messages = request, runner, tmp_path, messages

    def take(self, source: str) -> list[dict]:
        if source == "files":
            return run_import(self.runner, write_files(self.tmp / "eml", self.messages))
        if source == "mbox":
            return run_import(self.runner, write_mbox(self.tmp / "box.mbox", self.messages))
        if source == "maildir":
            return run_import(self.runner, write_maildir(self.tmp / "Maildir", self.messages))
        server = self.request.getfixturevalue("imap_server")
        make = self.request.getfixturevalue("make")
        make.mailbox(
            host=server.host, port=server.port, username=server.user, password=server.password
        )
        for raw in self.messages.values():
            server.append(_crlf(raw))
        result = self.runner.invoke(cli, ["mail", "poll", "--json"])
        assert result.exit_code == 0, result.output
        return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


@pytest.mark.parametrize(("first", "second"), list(itertools.permutations(SOURCES, 2)))
def test_the_same_corpus_from_another_source_files_and_queues_nothing(
    request, make, runner, tmp_path, coworking, first, second
):
    messages = corpus()
    sources = Sources(request, runner, tmp_path, messages)
    taken = sources.take(first)
    assert len(taken) == len(messages)
    before = counts(make)
    assert before["filed"] >= 5 and before["queued"] >= 20  # the first import did its work

    again = sources.take(second)

    assert len(again) == len(messages)
    not_duplicates = [(r["source"], r["status"], r["reason"]) for r in again
                      if r["status"] != "duplicate"]  # fmt: skip
    assert not_duplicates == []
    assert not any("message_id_collision" in r["flags"] for r in again)
    after = counts(make)
    assert after["documents"] == before["documents"]
    assert (after["filed"], after["queued"]) == (before["filed"], before["queued"])
    assert after["duplicate"] == before.get("duplicate", 0) + len(messages)


def test_the_bytes_are_stored_as_received(make, runner, tmp_path):
    from caseflow.documents.storage import FileStore

    box = write_mbox(tmp_path / "box.mbox", {"from_line.eml": FROM_LINE})
    run_import(runner, box)
    (row,) = make.fresh().exec(select(MailMessage)).all()
    with FileStore(make.app.config["FILES_DIR"]).open(row.sha256) as handle:
        stored = handle.read()
    assert b"\n>From \xc3\x96stersund" in stored  # as the mbox had it, quoting and all
    assert b"\r\n" not in stored


def test_a_changed_body_or_attachment_under_the_same_message_id_is_a_collision(
    make, runner, tmp_path, coworking
):
    original = _with_attachments()
    (first,) = run_import(runner, write_files(tmp_path / "a", {"a.eml": original}))
    assert first["status"] == "filed"
    body = _with_attachments(text="bifogat finns det nya beslutet")
    attachment = _with_attachments(budget="125 000")
    for name, raw in (("body", body), ("attachment", attachment)):
        (report,) = run_import(runner, write_files(tmp_path / name, {f"{name}.eml": raw}))
        assert report["status"] == "queued", name
        assert "message_id_collision" in report["flags"]
        assert coworking.number in report["reason"]  # the earlier copy's case is named
    assert counts(make)["documents"] == 1

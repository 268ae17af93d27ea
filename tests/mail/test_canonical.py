"""The canonical form "the same message" is decided on, and mail stored before it existed.

Expected values come from what the transports do: an mbox writer turns CRLF into LF,
quotes body lines beginning "From " and may add Status lines; every relay adds Received
and its authentication verdicts; none of them changes what the sender wrote.
"""

from __future__ import annotations

import hashlib
import mailbox
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from sqlmodel import select

from caseflow.db import new_session
from caseflow.documents.services import store_blob
from caseflow.documents.storage import FileStore
from caseflow.mail.canonical import canonical_form, canonical_sha256
from caseflow.mail.models import MailMessage
from caseflow.migrate import alembic_config, upgrade
from tests.mail.test_intake_pipeline import run_import

SENT = (
    b"From: Susanna L\xc3\xb6fgren <susanna.lofgren@lansstyrelsen.se>\r\n"
    b"To: platina@regionjh.se\r\nSubject: Inbjudan\r\n"
    b"Date: Wed, 17 Mar 2021 18:20:00 +0100\r\nMIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Hej!\r\nFrom \xc3\x96stersund till Sundsvall.\r\n"
)

DELIVERED = (
    b"Return-Path: <susanna.lofgren@lansstyrelsen.se>\n"
    b"Delivered-To: platina@regionjh.se\n"
    b"Received: from mx.lansstyrelsen.se (mx.lansstyrelsen.se [192.0.2.7])\n"
    b"\tby mail.regionjh.se with ESMTPS; Wed, 17 Mar 2021 18:20:03 +0100\n"
    b"DKIM-Signature: v=1; a=rsa-sha256; d=lansstyrelsen.se; s=sel; b=AAAA\n"
    b"ARC-Seal: i=1; a=rsa-sha256; cv=none; d=regionjh.se; b=BBBB\n"
    b"Authentication-Results: mail.regionjh.se; dkim=pass\n"
    b"X-MS-Exchange-Organization-SCL: 1\n"
    b"Status: RO\nX-Status: A\nContent-Length: 52\n"  # an mbox writer's
    + SENT.replace(b"\r\n", b"\n").replace(b"\nFrom \xc3\x96", b"\n>From \xc3\x96")
    + b"\n"  # the blank line an mbox puts between messages
)


def test_transport_line_ends_and_mbox_quoting_make_no_other_message():
    mbox_style = b"From MAILER-DAEMON Wed Mar 17 18:20:03 2021\n" + DELIVERED + b"\n\n"
    assert canonical_form(DELIVERED) == canonical_form(SENT) == canonical_form(mbox_style)
    trailing = SENT.replace(b"Hej!\r\n", b"Hej!  \t\r\n")
    assert canonical_sha256(trailing) == canonical_sha256(SENT)
    folded = SENT.replace(b"Subject: Inbjudan", b"Subject:\r\n  Inbjudan")
    assert canonical_sha256(folded) == canonical_sha256(SENT)


def test_what_the_sender_wrote_makes_another_message():
    for changed in (
        SENT.replace(b"Hej!", b"Hej igen!"),  # the body
        SENT.replace(b"Subject: Inbjudan", b"Subject: Inbjudan 2"),
        SENT.replace(b"To: platina@", b"To: registrator@"),
        SENT.replace(b"+0100", b"+0200"),  # the date
        SENT.replace(b"From: Susanna", b"From: Susanne"),
        SENT.replace(
            b"MIME-Version: 1.0", b"Message-ID: <x@lansstyrelsen.se>\r\nMIME-Version: 1.0"
        ),
        SENT.replace(b"\r\n\r\n", b"\r\n\r\n\r\n"),  # a blank line more in the body
    ):
        assert canonical_sha256(changed) != canonical_sha256(SENT)


def test_other_formats_are_their_bytes():
    raw = b"\xd0\xcf\x11\xe0 an Outlook .msg\r\n"
    assert canonical_sha256(raw, is_rfc822=False) == hashlib.sha256(raw).hexdigest()


def _store_as_before(app, raw: bytes) -> int:
    """A row as intake wrote it before revision 0023: no canonical hash, the derived
    Message-ID from the bytes' own hash, already filed into the queue."""
    with app.app_context():
        store = FileStore(app.config["FILES_DIR"])
        session = new_session(app.extensions["caseflow.engine"], write=True)
        sha, size = store_blob(session, store, raw)
        row = MailMessage(
            sha256=sha, size=size, message_id=f"<{sha}@caseflow.invalid>",
            header_message_id=f"<{sha}@caseflow.invalid>", source="file:/old/x.eml",
            source_key="file:/old/x.eml#1", status="queued",
        )  # fmt: skip
        session.add(row)
        session.commit()
        row_id = row.id
        session.close()
    return row_id


def test_mail_stored_before_the_canonical_hash_is_recognised(make, app, runner, tmp_path):
    old = _store_as_before(app, SENT)  # imported from a .eml file, no Message-ID
    box = mailbox.mbox(tmp_path / "export.mbox")
    box.add(SENT.replace(b"\r\n", b"\n"))
    box.close()

    (report,) = run_import(runner, tmp_path / "export.mbox")

    assert report["status"] == "duplicate"
    assert f"meddelande {old}" in report["reason"]
    rows = make.fresh().exec(select(MailMessage).order_by(MailMessage.id)).all()
    assert [r.canonical_sha256 for r in rows] == [canonical_sha256(SENT)] * 2
    assert [r.status for r in rows] == ["queued", "duplicate"]


def test_the_migration_adds_an_indexed_column_and_takes_it_away(database_url, app):
    app.extensions["caseflow.engine"].dispose()
    config = alembic_config(database_url)
    command.downgrade(config, "0017")
    engine = sa.create_engine(database_url)
    assert "canonical_sha256" not in {
        c["name"] for c in sa.inspect(engine).get_columns("mail_message")
    }
    engine.dispose()
    upgrade(database_url)
    engine = sa.create_engine(database_url)
    inspector = sa.inspect(engine)
    assert "canonical_sha256" in {c["name"] for c in inspector.get_columns("mail_message")}
    indexed = [i["column_names"] for i in inspector.get_indexes("mail_message")]
    assert ["canonical_sha256"] in indexed
    engine.dispose()


def _line_by_line(raw: bytes) -> list[bytes]:
    """The body rule written the plain way: every line on its own (a reference)."""
    lines = raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    lines = [line.rstrip(b" \t") for line in lines]
    body = b"\n".join(lines).rstrip(b"\n").partition(b"\n\n")[2].split(b"\n")
    return [line.lstrip(b">") if line.lstrip(b">").startswith(b"From ") else line for line in body]


def test_the_fast_scan_gives_what_a_line_by_line_reading_gives():
    corpus = Path(__file__).parent / "corpus"
    for path in sorted(corpus.glob("*.eml")):
        raw = path.read_bytes()
        for variant in (raw, raw.replace(b"\n", b" \t\n"), raw.replace(b"\n", b"\r\n")):
            body = canonical_form(variant).partition(b"\n\n")[2]
            assert body.split(b"\n") == _line_by_line(variant), path.name

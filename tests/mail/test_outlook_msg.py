"""Outlook .msg files: converted to RFC 5322 and read by parse_message like any mail.

The .msg files are written by ``msgbuilder`` (MS-CFB + MS-OXMSG); extract-msg reads them.
Without extract-msg (the optional extra ``msg``) these tests skip, except under CI.
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caseflow.mail import outlook
from caseflow.mail.outlook import OutlookUnavailable, OutlookUnreadable, msg_to_rfc822
from caseflow.mail.parsing import parse_message
from tests.mail.msgbuilder import build_msg, compound_file
from tests.support import require_or_skip

NOW = datetime(2021, 3, 19, 9, 30, tzinfo=UTC)
SENT = datetime(2021, 3, 18, 7, 45, tzinfo=UTC)
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
PDF_NAME = "Inbjudan Myndighetsnätverket åäö.pdf"
FORWARD_BODY = (
    "Hej!\n\nSe nedan, kan ni registrera detta?\n\nMvh Emma\n\n"
    "Från: Löfgren Susanna <susanna.lofgren@lansstyrelsen.se>\n"
    "Skickat: den 17 mars 2021 18:20\n"
    "Till: Anders Byström <anders.bystrom@regionjh.se>\n"
    "Ämne: myndighetsnätverket\n\n"
    "Välkomna till nästa möte i myndighetsnätverket, se bifogad inbjudan.\n"
)
TRANSPORT_HEADERS = (
    "Received: from EX01.regionjh.se (10.1.2.3) by EX02.regionjh.se (10.1.2.4) with\r\n"
    " Microsoft SMTP Server id 15.1.2242.4; Thu, 18 Mar 2021 08:45:12 +0100\r\n"
    "From: =?iso-8859-1?Q?Emma_Borg?= <emma.borg@regionjh.se>\r\n"
    "To: FBL Platina RS <platina@regionjh.se>\r\n"
    "Subject: =?iso-8859-1?Q?SV:_myndighetsn=E4tverket?=\r\n"
    "Date: Thu, 18 Mar 2021 08:45:10 +0100\r\n"
    "Message-ID: <AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.outlook.com>\r\n"
    "In-Reply-To: <PR3P189MB0987@PR3P189MB0987.EURP189.PROD.OUTLOOK.COM>\r\n"
    "Content-Type: multipart/alternative;\r\n"
    '\tboundary="_000_AM0PR01MB1234ABCD_"\r\n'
    "MIME-Version: 1.0\r\n"
    "X-MS-Has-Attach: yes\r\n"
    "\r\n"
)


@pytest.fixture
def library():
    """extract-msg is an optional extra: skip without it, but never under CI."""
    try:
        import extract_msg
    except ImportError:
        reason = "extract-msg is not installed (pip install 'caseflow[msg]')"
        require_or_skip(reason)
    return extract_msg


def forwarded(**changes) -> dict:
    """The registrar's forward of an invitation, as Outlook saves it (no transport headers)."""
    message = dict(
        subject="VB: myndighetsnätverket",
        sender_name="Emma Borg",
        sender_email="emma.borg@regionjh.se",
        to=[("FBL Platina RS", "platina@regionjh.se")],
        date=SENT,
        body=FORWARD_BODY,
        html="<html><body><p>Hej!</p><p>Se nedan, kan ni registrera detta?</p></body></html>",
        attachments=[(PDF_NAME, PDF, "application/pdf")],
    )
    message.update(changes)
    return message


def convert(message: dict):
    return parse_message(msg_to_rfc822(build_msg(**message)), received_at=NOW)


# -- the builder -----------------------------------------------------------------------


def test_the_builder_writes_what_olefile_and_extract_msg_read(library):
    import olefile

    big = bytes(range(256)) * 800  # 200 kB: regular sectors, several FAT sectors
    data = build_msg(**forwarded(attachments=[(PDF_NAME, PDF, "application/pdf"),
                                              ("stor.bin", big, None)]))  # fmt: skip
    ole = olefile.OleFileIO(data, raise_defects=olefile.DEFECT_POTENTIAL)
    assert ole.parsing_issues == []
    assert ole.exists("__nameid_version1.0/__substg1.0_00020102")
    assert ole.openstream("__substg1.0_0037001F").read().decode("utf-16-le") == (
        "VB: myndighetsnätverket"
    )
    assert (ole.get_size("__properties_version1.0") - 32) % 16 == 0
    ole.close()
    with library.openMsg(io.BytesIO(data)) as msg:
        assert msg.subject == "VB: myndighetsnätverket"
        assert msg.sender == "Emma Borg <emma.borg@regionjh.se>"
        assert msg.date == SENT
        assert msg.body == FORWARD_BODY
        assert [(a.longFilename, a.data) for a in msg.attachments] == [
            (PDF_NAME, PDF),
            ("stor.bin", big),
        ]


def test_an_ole_file_that_is_no_message_is_unreadable(library):
    with pytest.raises(OutlookUnreadable):
        msg_to_rfc822(compound_file({"WordDocument": b"\xec\xa5" * 300}))


# -- conversion ------------------------------------------------------------------------


def test_a_forwarded_swedish_mail(library):
    data = build_msg(**forwarded())
    raw = msg_to_rfc822(data)
    parsed = parse_message(raw, received_at=NOW)
    assert parsed.subject == "VB: myndighetsnätverket"
    assert (parsed.from_name, parsed.from_address) == ("Emma Borg", "emma.borg@regionjh.se")
    assert parsed.to == ["platina@regionjh.se"]
    assert parsed.date == SENT
    assert "registrera detta" in parsed.text
    assert "registrera detta" in parsed.html
    assert [(a.filename, a.content_type, a.content) for a in parsed.attachments] == [
        (PDF_NAME, "application/pdf", PDF)
    ]
    assert parsed.forward is not None
    assert parsed.forward.original_from_address == "susanna.lofgren@lansstyrelsen.se"
    assert parsed.forward.original_subject == "myndighetsnätverket"
    assert "mime_defects" not in parsed.flags
    # The filename travels as RFC 2231 (7-bit clean), and converting is deterministic.
    assert b"filename*" in raw and "ä".encode() not in raw.split(b"\r\n\r\n")[0]
    assert msg_to_rfc822(data) == raw


def test_transport_headers_keep_the_ids_and_date_as_sent(library):
    parsed = convert(forwarded(transport_headers=TRANSPORT_HEADERS, subject="fel ämne"))
    assert parsed.message_id == "<AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.outlook.com>"
    assert parsed.in_reply_to == "<PR3P189MB0987@PR3P189MB0987.EURP189.PROD.OUTLOOK.COM>"
    assert parsed.is_reply
    assert parsed.subject == "SV: myndighetsnätverket"
    assert parsed.date == datetime(2021, 3, 18, 7, 45, 10, tzinfo=UTC)
    assert parsed.from_address == "emma.borg@regionjh.se"
    assert "message_id_derived" not in parsed.flags
    # The sent MIME headers described the sent body, not this one: they are left out.
    assert [a.filename for a in parsed.attachments] == [PDF_NAME]
    assert "registrera detta" in parsed.text


def test_the_exchange_header_prefix_and_missing_headers_from_properties(library):
    headers = "Microsoft Mail Internet Headers Version 2.0\r\nX-Mailer: Outlook\r\n\r\n"
    parsed = convert(forwarded(transport_headers=headers, message_id="<id.1@regionjh.se>"))
    assert parsed.message_id == "<id.1@regionjh.se>"
    assert parsed.subject == "VB: myndighetsnätverket"
    assert parsed.from_address == "emma.borg@regionjh.se"


def test_properties_give_message_id_in_reply_to_and_cc(library):
    parsed = convert(
        forwarded(
            subject="SV: Ärende RS/88/2021",
            message_id="<1234.abcd@lansstyrelsen.se>",
            in_reply_to="<9876.dcba@regionjh.se>",
            cc=[("Löfgren, Susanna", "susanna.lofgren@lansstyrelsen.se")],
        )
    )
    assert parsed.message_id == "<1234.abcd@lansstyrelsen.se>"
    assert parsed.in_reply_to == "<9876.dcba@regionjh.se>"
    assert parsed.cc == ["susanna.lofgren@lansstyrelsen.se"]
    assert parsed.case_numbers_in_subject == ["RS/88/2021"]


def test_an_embedded_msg_becomes_an_attached_message(library):
    inner = dict(
        subject="myndighetsnätverket",
        sender_name="Löfgren Susanna",
        sender_email="susanna.lofgren@lansstyrelsen.se",
        to=[("Anders Byström", "anders.bystrom@regionjh.se")],
        date=datetime(2021, 3, 17, 17, 20, tzinfo=UTC),
        body="Välkomna till nästa möte, se bifogad inbjudan.",
        attachments=[(PDF_NAME, PDF, "application/pdf")],
    )
    parsed = convert(forwarded(body="Se bifogat.", html=None, attachments=[], embedded=[inner]))
    (attached,) = parsed.attachments
    assert attached.content_type == "message/rfc822"
    assert attached.filename == "myndighetsnätverket.eml"
    assert parsed.forward is not None and parsed.forward.source == "attachment"
    assert parsed.forward.original_from_address == "susanna.lofgren@lansstyrelsen.se"
    read = parse_message(attached.content, received_at=NOW)
    assert read.subject == "myndighetsnätverket"
    assert read.to == ["anders.bystrom@regionjh.se"]
    assert [(a.filename, a.content) for a in read.attachments] == [(PDF_NAME, PDF)]


def test_nested_embedded_messages_deeper_than_the_bound_stay_msg_files(library, monkeypatch):
    deepest = dict(subject="tre", sender_name="C", sender_email="c@example.se", body="3")
    middle = dict(subject="två", sender_name="B", sender_email="b@example.se", body="2",
                  embedded=[deepest])  # fmt: skip
    data = build_msg(**forwarded(attachments=[], embedded=[middle]))
    monkeypatch.setattr(outlook, "MAX_EMBEDDED_DEPTH", 1)
    top = BytesParser(policy=policy.default).parsebytes(msg_to_rfc822(data))
    parts = {part.get_filename(): part for part in top.iter_attachments()}
    inner = parts["två"].get_payload(0)
    assert inner["Subject"] == "två"
    (kept,) = inner.iter_attachments()
    assert kept.get_content_type() == "application/vnd.ms-outlook"
    assert kept.get_filename() == "tre.msg"
    with library.openMsg(io.BytesIO(kept.get_content())) as msg:
        assert (msg.subject, msg.body) == ("tre", "3")


def test_an_html_only_msg(library):
    html = "<html><body><p>Mötet flyttas till <b>torsdag</b>.</p></body></html>"
    parsed = convert(forwarded(body=None, html=html, attachments=[]))
    assert "html_only" in parsed.flags
    assert "Mötet flyttas till torsdag." in parsed.text
    assert "<b>torsdag</b>" in parsed.html


def test_an_inline_image_keeps_its_content_id(library):
    image = ("image001.png", b"\x89PNG\r\n\x1a\n", "image/png", "image001.png@01D71B2C")
    html = '<p>Logga: <img src="cid:image001.png@01D71B2C"></p>'
    parsed = convert(forwarded(html=html, attachments=[image, ("lista.txt", b"1\n2\n", None)]))
    assert [
        (a.filename, a.content_type, a.is_inline, a.content_id) for a in parsed.attachments
    ] == [
        ("image001.png", "image/png", True, "image001.png@01D71B2C"),
        ("lista.txt", "text/plain", False, None),
    ]


def test_an_unsent_draft_without_date_or_recipients(library):
    parsed = convert(dict(subject="Utkast", body="Ej skickat", unsent=True, date=None))
    assert parsed.subject == "Utkast"
    assert "date_fallback" in parsed.flags and parsed.date == NOW
    assert parsed.from_address is None and parsed.to == []


# -- damaged files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [b"", b"not an outlook file", b"/etc/passwd", bytes(4096), b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"],
    ids=["empty", "text", "a-path", "zeros", "signature-only"],
)
def test_garbage_is_unreadable(library, data):
    with pytest.raises(OutlookUnreadable):
        msg_to_rfc822(data)


@pytest.mark.parametrize("keep", [0.9, 0.5, 0.1])
def test_a_truncated_msg_is_unreadable(library, keep):
    data = build_msg(**forwarded())
    with pytest.raises(OutlookUnreadable) as raised:
        msg_to_rfc822(data[: int(len(data) * keep)])
    assert str(raised.value)


SAMPLE = build_msg(**forwarded(embedded=[dict(subject="inre", sender_name="I",
                                              sender_email="i@example.se", body="x")]))  # fmt: skip


_DIRECTORY = 512 + 512 * int.from_bytes(SAMPLE[48:52], "little")
#: Where damage matters most: the header, the FAT, the directory; and anywhere at all.
OFFSETS = st.one_of(
    st.integers(0, 511),
    st.integers(512, _DIRECTORY - 1),
    st.integers(_DIRECTORY, _DIRECTORY + 2047),
    st.integers(0, len(SAMPLE) - 1),
)
VALUES = st.one_of(st.sampled_from([0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF]), st.integers(0, 255))


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    changes=st.lists(st.tuples(OFFSETS, VALUES), min_size=1, max_size=12),
    cut=st.one_of(st.none(), st.integers(0, len(SAMPLE))),
)
def test_mutated_msg_files_convert_or_are_unreadable(library, changes, cut):
    data = bytearray(SAMPLE)
    for offset, value in changes:
        data[offset] = value
    data = bytes(data[:cut] if cut is not None else data)
    try:
        raw = msg_to_rfc822(data)
    except OutlookUnreadable:
        return
    parse_message(raw, received_at=NOW)


def test_without_extract_msg_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "extract_msg", None)  # makes the import fail
    with pytest.raises(OutlookUnavailable, match="extract-msg"):
        msg_to_rfc822(b"")


TEXT = st.text(max_size=60)


@settings(
    max_examples=120,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    subject=TEXT, name=TEXT, address=TEXT, recipient=TEXT, filename=TEXT, message_id=TEXT,
    mime=st.none() | TEXT, content_id=st.none() | TEXT, body=st.none() | st.text(max_size=300),
    html=st.none() | TEXT, headers=st.none() | st.text(max_size=300),
)  # fmt: skip
def test_any_text_in_a_sound_msg_converts(
    library, subject, name, address, recipient, filename, message_id, mime, content_id, body,
    html, headers,
):  # fmt: skip
    data = build_msg(
        subject=subject or None,
        sender_name=name or None,
        sender_email=address or None,
        to=[(recipient or "x", address or "y")],
        body=body or None,
        html=html,
        message_id=message_id or None,
        transport_headers=headers or None,
        attachments=[(filename or "f", b"data", mime or None, content_id or None)],
        embedded=[dict(subject=subject or None, transport_headers=headers or None, body="inre")],
    )
    parsed = parse_message(msg_to_rfc822(data), received_at=NOW)
    files = [a.content for a in parsed.attachments if a.content_type != "message/rfc822"]
    assert files == [b"data"]
    assert len(parsed.attachments) == 2

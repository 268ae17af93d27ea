"""parse_message beyond the corpus: identity, winmail.dat, HTML, limits and speed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from caseflow.mail.canonical import canonical_sha256
from caseflow.mail.htmlsafe import html_to_text, sanitise_html
from caseflow.mail.parsing import MAX_HTML_DEPTH, parse_message
from tests.support import assert_linear

CORPUS = Path(__file__).parent / "corpus"
NOW = datetime(2021, 3, 19, 9, 30, tzinfo=UTC)


def mail(body: str, *, headers: str = "", content_type: str = "text/plain; charset=utf-8") -> bytes:
    return (
        "From: Karin <karin@example.se>\nTo: platina@regionjh.se\nSubject: Test\n"
        "Date: Fri, 19 Mar 2021 09:16:07 +0100\nMessage-ID: <t@example.se>\n"
        f"{headers}Content-Type: {content_type}\n\n{body}"
    ).encode()


def test_derived_message_id_is_stable_and_bytes_are_not_touched():
    raw = (CORPUS / "hdr_missing_message_id.eml").read_bytes()
    buffer = bytearray(raw)
    first = parse_message(buffer, received_at=NOW)
    second = parse_message(raw, received_at=datetime(2030, 1, 1, tzinfo=UTC))
    assert bytes(buffer) == raw
    assert first.message_id == second.message_id
    assert first.message_id == f"<{canonical_sha256(raw)}@caseflow.invalid>"
    # The same message written down another way (CRLF, an mbox's trailing blank line)
    # gets the same id; another body another one.
    crlf = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") + b"\r\n"
    assert parse_message(crlf, received_at=NOW).message_id == first.message_id
    assert parse_message(raw + b"x\n", received_at=NOW).message_id != first.message_id


def test_a_naive_received_at_is_taken_as_utc():
    parsed = parse_message(
        mail("x").replace(b"Date: ", b"X-Date: "), received_at=datetime(2021, 1, 1)
    )
    assert parsed.date == datetime(2021, 1, 1, tzinfo=UTC)
    assert parsed.flags == ["date_fallback"]


def test_text_and_html_alternatives_keep_the_plain_text():
    raw = mail(
        "--b\nContent-Type: text/plain; charset=utf-8\n\nSlät text\n"
        "--b\nContent-Type: text/html; charset=utf-8\n\n<p>HTML-text</p>\n--b--\n",
        content_type='multipart/alternative; boundary="b"',
    )
    parsed = parse_message(raw, received_at=NOW)
    assert parsed.text.strip() == "Slät text"
    assert parsed.html.strip() == "<p>HTML-text</p>"
    assert parsed.html_safe.strip() == "<p>HTML-text</p>"
    assert parsed.flags == []


def test_html_is_kept_as_received_and_shown_sanitised():
    html = '<p onclick="x()">Hej <a href="JaVaScRiPt:alert(1)">a</a><img src="//t.example/p.gif">'
    parsed = parse_message(mail(html, content_type="text/html; charset=utf-8"), received_at=NOW)
    assert parsed.html == html
    assert parsed.html_safe == '<p>Hej <a rel="noopener noreferrer nofollow">a</a><img></p>'


@pytest.mark.parametrize(
    ("html", "safe"),
    [
        ('<img src="cid:a@b">', '<img src="cid:a@b">'),
        ('<img src="https://x.example/a.png" alt="a">', '<img alt="a">'),
        ('<img src="data:image/png;base64,AAAA">', "<img>"),
        ('<img srcset="https://x.example/a.png 2x">', "<img>"),
        ('<a href="mailto:a@b.se">a</a>', '<a href="mailto:a@b.se" rel="noopener noreferrer nofollow">a</a>'),  # noqa: E501
        ("<style>p{}</style><p>x</p>", "<p>x</p>"),
        ('<table background="http://x.example/b.png"><tr><td>x</td></tr></table>',
         "<table><tbody><tr><td>x</td></tr></tbody></table>"),
        ('<base href="http://x.example/"><meta http-equiv="refresh" content="0">x', "x"),
        ('<svg onload="x()"><script>x</script></svg>y', "y"),
    ],
)  # fmt: skip
def test_sanitise_html(html, safe):
    assert sanitise_html(html) == safe


def test_html_to_text():
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body>"
        "<p>Rad&nbsp;ett</p><div>Rad två<br>Rad tre</div><script>var a = '<p>';</script>"
        "<table><tr><td>A</td><td>B</td></tr></table>&lt;inte en tagg&gt; 3 < 4 <!-- kommentar -->"
        "</body></html>"
    )
    assert html_to_text(html) == "Rad ett\n\nRad två\nRad tre\n\nA B\n\n<inte en tagg> 3 < 4"


@pytest.mark.parametrize(
    "make_html, size",
    [
        (lambda n: "<a " * n, 3_500),
        (lambda n: "<" * n, 15_000),
        (lambda n: "<!--" + "a" * n, 15_000),
        (lambda n: "<script>" + "</x" * n, 5_000),
        (lambda n: "<a" * n, 7_500),
        (lambda n: "<!" * n, 7_500),
        (lambda n: "</" * n, 7_500),
        (lambda n: "<div>" * n, 5_000),
        (lambda n: "<p>hej</p>" * n, 5_000),
    ],
    ids=["open tags", "angles", "comment", "script", "a", "bang", "close", "divs", "paragraphs"],
)
def test_html_is_read_in_linear_time(make_html, size):
    # Python 3.11's html.parser needs minutes for "<a " * 70000; nh3 seconds for 40,000 <div>s.
    def read(html):
        parsed = parse_message(mail(html, content_type="text/html; charset=utf-8"), received_at=NOW)
        assert parsed.html_safe is not None

    assert_linear(read, make_html, size)


def test_html_nested_too_deep_is_shown_as_text():
    html = "<div>" * (MAX_HTML_DEPTH + 1) + "Djupt"
    parsed = parse_message(mail(html, content_type="text/html; charset=utf-8"), received_at=NOW)
    assert parsed.html_safe == "<pre>Djupt</pre>"
    assert sorted(parsed.flags) == ["html_only", "html_too_deep"]


def test_blank_lines_do_not_slow_down_the_forward_search():
    parsed = parse_message(mail("Hej" + "\n" * 300_000 + "x", headers=""), received_at=NOW)
    assert parsed.forward is None


def test_attached_messages_are_followed_only_so_deep():
    inner = b"From: a@example.se\nSubject: innerst\n\nText RS/1/2021\n"
    for level in range(10):
        inner = (
            (
                f"From: l{level}@example.se\nSubject: Fwd: niv\u00e5 {level}\nMIME-Version: 1.0\n"
                f'Content-Type: multipart/mixed; boundary="b{level}"\n\n'
                f"--b{level}\nContent-Type: message/rfc822\n\n"
            ).encode()
            + inner
            + f"\n--b{level}--\n".encode()
        )
    parsed = parse_message(inner, received_at=NOW)
    assert parsed.forward is not None
    assert [a.content_type for a in parsed.attachments] == ["message/rfc822"]


def test_deeply_nested_multiparts_do_not_crash():
    depth = 3000
    raw = b"Subject: djup\nMIME-Version: 1.0\n"
    raw += b"".join(
        f'Content-Type: multipart/mixed; boundary="d{i}"\n\n--d{i}\n'.encode() for i in range(depth)
    )
    raw += b"Content-Type: text/plain\n\ninnerst\n"
    parsed = parse_message(raw, received_at=NOW)
    assert parsed.subject == "djup"
    assert "innerst" in parsed.text
    assert sorted(parsed.flags) == ["date_fallback", "message_id_derived", "mime_unreadable"]


def test_a_duplicate_message_id_header_uses_the_first():
    raw = mail("x", headers="Message-ID: <second@example.se>\n")
    assert parse_message(raw, received_at=NOW).message_id == "<t@example.se>"


def test_references_and_in_reply_to_are_normalised():
    raw = mail(
        "x",
        headers="In-Reply-To: Karin's message <a@b.se>\nReferences: <x@y>\n\t<a@b.se> junk <x@y>\n",
    )
    parsed = parse_message(raw, received_at=NOW)
    assert parsed.in_reply_to == "<a@b.se>"
    assert parsed.references == ["<x@y>", "<a@b.se>"]
    assert parsed.is_reply


@pytest.mark.parametrize(
    ("header", "message_id", "flags"),
    [
        ("Message-ID: <a@b.se>", "<a@b.se>", []),
        ("Message-ID:   <a@b.se> (kommentar)", "<a@b.se>", []),
        ("Message-ID: <a b@c.se>", "<ab@c.se>", []),
        ("Message-ID: <a@b.se\n @c>", "<a@b.se@c>", []),
        ("Message-ID: bare@id.se", "<bare@id.se>", []),
        ("Message-ID: two words", None, ["message_id_derived"]),
        ("Message-ID: <>", None, ["message_id_derived"]),
        ("Message-ID: <" + "x" * 997 + ">", None, ["header_unreadable:Message-ID",
                                                   "message_id_derived"]),
        ("Message-ID: <" + "x" * 996 + ">", "<" + "x" * 996 + ">", []),
    ],
)  # fmt: skip
def test_message_ids(header, message_id, flags):
    raw = f"{header}\nSubject: id\nDate: Fri, 19 Mar 2021 09:16:07 +0100\n\nx".encode()
    parsed = parse_message(raw, received_at=NOW)
    assert parsed.message_id == (message_id or f"<{canonical_sha256(raw)}@caseflow.invalid>")
    assert sorted(parsed.flags) == flags


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("fwd_as_attachment.eml", b"From: =?utf-8?q?Karin", b"\n--outer--"),
        ("bounce_dsn_message.eml", b"From: Registrator", b"\n--rep2--"),
        ("att_attached_eml_reply.eml", b"From: Banken", b"\n--m--"),
    ],
)
def test_an_attached_message_is_kept_byte_for_byte(name, start, end):
    raw = (CORPUS / name).read_bytes()
    source = raw[raw.index(start) : raw.index(end)]
    parsed = parse_message(raw, received_at=NOW)
    (attached,) = [a for a in parsed.attachments if a.content_type == "message/rfc822"]
    assert attached.content.rstrip(b"\n") == source.rstrip(b"\n")


# Python's punycode codec takes quadratic time: 200 kB would take a minute.
@pytest.mark.timeout(30)
def test_a_charset_no_mail_is_written_in_is_not_used():
    raw = mail("abc-" + "a" * 200_000, content_type="text/plain; charset=punycode")
    parsed = parse_message(raw, received_at=NOW)
    assert parsed.text.startswith("abc-aaa")


def test_a_punycode_body_is_read_in_linear_time():
    def read(body):
        parse_message(mail(body, content_type="text/plain; charset=punycode"), received_at=NOW)

    assert_linear(read, lambda n: "abc-" + "a" * n, 2_000)

"""Outlook .msg files (OLE compound files, MS-OXMSG) turned into RFC 5322 bytes.

Registrars save mail out of Outlook as .msg files, and intake reads e-mail: a .msg becomes
the mail it was, for ``parse_message`` to read like any other. Its transport headers are
kept when it has them (Message-ID, In-Reply-To, Date and From as sent), else headers are
made from its properties; text and HTML bodies become alternatives, attachments parts
under their Outlook names (RFC 2231), embedded messages message/rfc822 parts. Boundaries
come from the file's hash: the queue converts the stored bytes again and gets the same.
extract-msg (GPL-3.0, the optional extra ``msg``) reads the file, imported only when used.
Whatever it cannot read raises ``OutlookUnreadable``: intake keeps the bytes, as failed.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
from email import policy
from email.header import Header
from email.message import MIMEPart
from email.utils import format_datetime, formataddr, quote

from flask_babel import lazy_gettext as _l

from caseflow.mail.decoding import decode_text
from caseflow.mail.parts import content_type_for_name

#: Embedded messages deeper than this are attached as .msg files, not converted.
MAX_EMBEDDED_DEPTH = 8
# Never refold the headers taken over as they were sent; CRLF line ends (RFC 5322).
_OUTPUT = policy.SMTP.clone(refold_source="none")
_CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_FIELD = re.compile(r"([!-9;-~]+)[ \t]*:(.*)")
_LINE_BREAKING = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")
_MIME_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*")


class OutlookUnavailable(RuntimeError):
    """extract-msg, which reads .msg files, is not installed."""


class OutlookUnreadable(ValueError):
    """The bytes are no .msg file that could be read; the message says why."""


def msg_to_rfc822(data: bytes) -> bytes:
    """The Outlook .msg file ``data`` as one RFC 5322 message (CRLF line ends)."""
    try:
        import extract_msg
        from extract_msg.msg_classes import MessageBase
    except ImportError as error:
        raise OutlookUnavailable(
            _l(
                "Outlook .msg files cannot be read: the package extract-msg is not installed "
                "(pip install 'caseflow[msg]')."
            )
        ) from error
    # extract-msg and RTFDE log every oddity of a file (some at ERROR): the reason says it.
    for name in ("extract_msg", "RTFDE"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    data = bytes(data)
    if not data.startswith(_CFB_SIGNATURE):
        raise OutlookUnreadable("not an Outlook .msg file (no compound file signature)")
    try:
        # A file object, never bytes: olefile takes short bytes for a file name.
        with extract_msg.openMsg(io.BytesIO(data), strict=False) as msg:
            top = _message(msg, MessageBase, depth=0)
        _finish(top, hashlib.sha256(data).hexdigest()[:20])
        return top.as_bytes(policy=_OUTPUT)
    except OutlookUnreadable:
        raise
    except Exception as error:  # olefile, extract-msg and the stdlib: all mean unreadable
        reason = re.sub(r"\s+", " ", f"{type(error).__name__}: {error}")
        raise OutlookUnreadable(reason[:300]) from error


def _message(msg, base: type, *, depth: int) -> MIMEPart:
    if not isinstance(msg, base):
        raise OutlookUnreadable(f"not an e-mail but {msg.classType!r}")
    top = MIMEPart(policy=_OUTPUT)  # no MIME-Version on every part, as EmailMessage adds
    sent = _transport_fields(msg.headerText)
    names = {name.lower() for name, _ in sent}
    extra = [field for field in _property_fields(msg) if field[0].lower() not in names]
    for name, value in [*sent, *extra, ("MIME-Version", "1.0")]:  # as sent, and what it lacks
        top.set_raw(name, value.encode().decode("ascii", "surrogateescape"))  # 8-bit as is
    text, html, rtf = _bodies(msg)
    if text is not None or html is None:
        top.set_content(text or "", cte="quoted-printable")
    if html is not None:
        adding = top.add_alternative if text is not None else top.set_content
        adding(html, subtype="html", cte="quoted-printable")
    if rtf is not None:  # an RTF-only body: kept as the file Outlook would show
        top.add_attachment(rtf, "text", "rtf", filename="meddelande.rtf")
    for attachment in msg.attachments:
        _attach(top, attachment, base, depth)
    return top


def _attach(top: MIMEPart, attachment, base: type, depth: int) -> None:
    data, title = attachment.data, _clean(attachment.displayName or "") or None
    name = _clean(attachment.longFilename or attachment.shortFilename or "") or title
    if isinstance(data, base) and depth < MAX_EMBEDDED_DEPTH:
        top.add_attachment(_message(data, base, depth=depth + 1), filename=title)
        return
    mime = (attachment.mimetype or "").strip().lower()
    if hasattr(data, "exportBytes"):  # too deep, or no mail: the .msg file as it is
        data, name = data.exportBytes(), (name or "meddelande") + ".msg"
        mime = "application/vnd.ms-outlook"
    if not isinstance(data, bytes):
        return  # a link (attach method 7) or an attachment without data
    if not _MIME_TYPE.fullmatch(mime) or mime.split("/")[0] in ("multipart", "message"):
        mime = content_type_for_name(name)
    cid = re.sub(r"[\s<>\x00-\x1f\x7f]", "", attachment.contentId or "") or None
    top.add_attachment(
        data, *mime.split("/", 1), filename=name, cid=f"<{cid}>" if cid else None,
        disposition="inline" if cid and attachment.hidden else "attachment",
    )  # fmt: skip


def _finish(top: MIMEPart, seed: str) -> None:
    """Boundaries from the file's hash (the stdlib would draw random ones)."""
    for number, part in enumerate(top.walk()):
        if part.get_content_maintype() == "multipart":
            part.set_boundary(f"=_cf{seed}.{number}")


def _transport_fields(text: str | None) -> list[tuple[str, str]]:
    """(name, value) of the header block as sent, without MIME headers and non-fields."""
    fields: list[tuple[str, list[str]]] = []
    for line in re.split(r"\r\n|\r|\n", (text or "").lstrip("\r\n")):
        if not line.strip():
            break  # the end of the header block
        line = _LINE_BREAKING.sub(" ", line)
        if line[0] in " \t" and fields:
            fields[-1][1].append(line)
        elif found := _FIELD.match(line):
            fields.append((found[1], [found[2].lstrip(" \t")]))
    mime = [name for name, _ in fields if re.match(r"(?i)content-|mime-version$", name)]
    return [(name, "\r\n".join(lines)) for name, lines in fields if name not in mime]


def _property_fields(msg) -> list[tuple[str, str]]:
    """The headers a sent mail would have had, made from the message's properties."""

    def string(tag: str) -> str:
        return _clean(msg.getStringStream(f"__substg1.0_{tag}") or "")

    subject, name = string("0037"), string("0C1A") or string("0042")
    address = next((a for a in map(string, ("5D01", "0C1F", "5D02", "0065")) if "@" in a), "")
    fields = [
        ("Subject", subject if subject.isascii() else Header(subject, "utf-8").encode("\r\n")),
        ("From", _address(name, address) if address else ""),
    ]
    for header, kind in (("To", 1), ("Cc", 2)):
        pairs = [(_clean(r.name or ""), _clean(r.email or "")) for r in msg.recipients
                 if int(r.type) == kind]  # fmt: skip
        fields.append((header, ",\r\n ".join(_address(*p) for p in pairs if "@" in p[1])))
    date = msg.date or msg.receivedTime
    fields.append(("Date", format_datetime(date) if date else ""))
    for header, tag in (("Message-ID", "1035"), ("In-Reply-To", "1042"), ("References", "1039")):
        fields.append((header, string(tag)))
    return [(header, value) for header, value in fields if value]


def _bodies(msg) -> tuple[str | None, str | None, bytes | None]:
    """(text, HTML, RTF): the plain and HTML bodies, and the RTF when it is the only one."""
    from extract_msg.encoding import lookupCodePage

    text, html, charset = msg.body, msg.getStream("__substg1.0_10130102"), None
    if html is None and msg.rtfBody:
        with contextlib.suppress(Exception):  # RTF that wraps no HTML: no HTML then
            html = msg.deencapsulateBody(msg.rtfBody, 1)  # DeencapType.HTML
    with contextlib.suppress(Exception):  # PR_INTERNET_CPID: the HTML's code page
        charset = lookupCodePage(int(msg.getPropertyVal("3FDE0003")))
    if isinstance(html, bytes):
        html, _ = decode_text(html.rstrip(b"\x00"), charset)
    rtf = msg.rtfBody if text is None and html is None else None
    return (text.rstrip("\x00") if text is not None else None), html or None, rtf


def _address(name: str, address: str) -> str:
    if address.isascii():
        return formataddr((name, address), charset="utf-8")
    # An internationalised address (RFC 6532) has no 7-bit form: written as UTF-8.
    return f'"{quote(name)}" <{address}>' if name else f"<{address}>"


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", _LINE_BREAKING.sub(" ", value)).strip()

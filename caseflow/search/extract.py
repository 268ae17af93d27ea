"""The text of one stored file, by its type: PDF, Word (.docx), plain text, HTML, e-mail.

Pure functions of bytes: no database, no Flask. They run in the extraction child process
(``extract_runner``), which bounds their time; a caller that trusts its input may call
:func:`extract` directly. The result is a status of ``FileText`` (``TextStatus``), the
text, and a reason code (labels in ``extract_reasons``) when there is no text.

PDF text comes from pypdfium2 (PDFium): measured against pypdf and pdfminer.six on PDF/A
made by LibreOffice it was 15–30 times faster with the same Swedish letters and word
order, and the only one that joins words hyphenated at a line end (README, libraries).
"""

from __future__ import annotations

import importlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from caseflow.search.models import TextStatus

PDF, DOCX, TEXT, HTML, MAIL, OUTLOOK, IMAGE = (
    "pdf",
    "docx",
    "text",
    "html",
    "mail",
    "outlook",
    "image",
)

_DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_BY_MIME = {
    "application/pdf": PDF,
    _DOCX_MIME: DOCX,
    "message/rfc822": MAIL,
    "application/vnd.ms-outlook": OUTLOOK,
    "text/html": HTML,
}
_BY_EXTENSION = {
    ".pdf": PDF,
    ".docx": DOCX,
    ".eml": MAIL,
    ".msg": OUTLOOK,
    ".txt": TEXT,
    ".text": TEXT,
    ".csv": TEXT,
    ".md": TEXT,
    ".html": HTML,
    ".htm": HTML,
}
_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"II*\x00",
    b"MM\x00*",
    b"BM",
)
#: A .docx whose parts unpack to more than this many times its size is refused (a zip bomb).
MAX_UNPACK_RATIO = 100


@dataclass(frozen=True)
class Extracted:
    """What extraction found: a ``TextStatus``, the text (status done) and a reason code."""

    status: str
    text: str | None = None
    reason: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Limits:
    """Per-file limits (config ``SEARCH_EXTRACT_*``, ``SEARCH_TEXT_MAX_CHARS``)."""

    max_bytes: int
    max_chars: int
    timeout: float


class NoText(Exception):
    """The file holds no text to extract (a scan without a text layer)."""


class Refused(Exception):
    """The file cannot be read: ``code`` says why (a reason code), ``status`` as what."""

    def __init__(self, code: str, status: str = TextStatus.FAILED):
        super().__init__(code)
        self.code = code
        self.status = status


#: Extractors added at run time (kind → "module:function" and the names that select it),
#: e.g. by a test; a name rather than a function so the child process can import it.
_EXTRA: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {}


def register_extractor(
    kind: str, target: str, *, mime_types: tuple[str, ...] = (), extensions: tuple[str, ...] = ()
) -> None:
    """Extract files of these MIME types or extensions with ``target`` ("module:function",
    a function ``(data: bytes, max_chars: int) -> str``)."""
    _EXTRA[kind] = (target, tuple(mime_types), tuple(e.lower() for e in extensions))


def unregister_extractor(kind: str) -> None:
    _EXTRA.pop(kind, None)


def extractor_target(kind: str) -> str | None:
    """The "module:function" of a registered extractor, passed on to the child process."""
    entry = _EXTRA.get(kind)
    return entry[0] if entry else None


def detect_kind(head: bytes, *, mime_type: str | None, filename: str | None) -> str | None:
    """The kind of a file from its first bytes, then its declared type and name; None when
    no extractor knows it. The bytes win: an upload's declared type is often wrong."""
    mime = (mime_type or "").split(";")[0].strip().lower()
    extension = ""
    if filename and "." in filename:
        extension = "." + filename.rsplit(".", 1)[1].lower()
    for kind, (_target, mimes, extensions) in _EXTRA.items():
        if mime in mimes or extension in extensions:
            return kind
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return IMAGE
    if mime.startswith("image/"):
        return IMAGE
    if head.startswith(b"PK\x03\x04"):
        return DOCX if DOCX in (_BY_MIME.get(mime), _BY_EXTENSION.get(extension)) else None
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: a .msg (a .doc or .xls is not read)
        return OUTLOOK if OUTLOOK in (_BY_MIME.get(mime), _BY_EXTENSION.get(extension)) else None
    kind = _BY_MIME.get(mime) or _BY_EXTENSION.get(extension)
    if kind is None and mime.startswith("text/"):
        kind = TEXT
    return kind


def extract(data: bytes, kind: str | None, limits: Limits) -> Extracted:
    """The text of ``data`` read as ``kind`` (from :func:`detect_kind`). Never raises for a
    bad file: a broken, encrypted or empty one gives a status and a reason code."""
    if kind is None:
        return Extracted(TextStatus.UNSUPPORTED, reason="unknown_type")
    if len(data) > limits.max_bytes:
        return Extracted(TextStatus.TOO_LARGE, reason="file_too_large", kind=kind)
    if kind == IMAGE:
        return Extracted(TextStatus.NO_TEXT, reason="image", kind=kind)
    reader = _READERS.get(kind) or _registered(kind)
    if reader is None:
        return Extracted(TextStatus.UNSUPPORTED, reason="unknown_type", kind=kind)
    try:
        text = reader(data, limits.max_chars)
    except NoText:
        return Extracted(TextStatus.NO_TEXT, reason="no_text_layer", kind=kind)
    except Refused as exc:
        return Extracted(exc.status, reason=exc.code, kind=kind)
    except MemoryError:
        return Extracted(TextStatus.FAILED, reason="out_of_memory", kind=kind)
    except Exception:
        return Extracted(TextStatus.FAILED, reason=f"broken_{kind}"[:40], kind=kind)
    return finish(text, limits.max_chars, kind)


def finish(text: str, max_chars: int, kind: str | None) -> Extracted:
    """The text made storable and cut at ``max_chars`` (said in the reason)."""
    from caseflow.mail.decoding import storable

    text = storable(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r"\n\s*\n\s*\n+", "\n\n", text).strip()
    if not text:
        return Extracted(TextStatus.NO_TEXT, reason="no_text_layer", kind=kind)
    if len(text) > max_chars:
        return Extracted(TextStatus.DONE, text[:max_chars], reason="truncated", kind=kind)
    return Extracted(TextStatus.DONE, text, kind=kind)


def _registered(kind: str) -> Callable[[bytes, int], str] | None:
    target = extractor_target(kind)
    if target is None:
        return None
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


# --- the readers, one per kind: (bytes, max_chars) -> text ------------------------------


def read_pdf(data: bytes, max_chars: int) -> str:
    """Each page's text layer in reading order; a line-end hyphen PDFium marks as soft
    (``\\x02``) joins its word again. No text on any page: :class:`NoText`."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise Refused("encrypted" if "password" in str(exc).lower() else "broken_pdf") from exc
    pages, total = [], 0
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_bounded()
            finally:
                textpage.close()
                page.close()
            text = text.replace("\x02", "").replace("\ufffe", "")
            pages.append(text)
            total += len(text)
            if total > max_chars:  # enough: the rest would be cut anyway
                break
    finally:
        document.close()
    if not any(page.strip() for page in pages):
        raise NoText()
    return "\n\n".join(pages)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_HEADER_FOOTER = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer",
)


def read_docx(data: bytes, max_chars: int) -> str:
    """The body's paragraphs and tables (nested ones and text boxes too) in order, then
    every header and footer once."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.text.paragraph import Paragraph
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise Refused("broken_docx") from exc
    if unpacked > MAX_UNPACK_RATIO * max(len(data), 1 << 20):
        raise Refused("unpacks_too_large", TextStatus.TOO_LARGE)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise Refused("broken_docx") from exc

    def paragraphs(element) -> list[str]:
        # A text box is written twice (the drawing and its VML fallback): read it once.
        found = etree.ElementBase.xpath(
            element, ".//w:p[not(ancestor::mc:Fallback)]", namespaces={"w": _W, "mc": _MC}
        )
        return [Paragraph(p, None).text for p in found]

    lines, total = [], 0
    for text in paragraphs(document.element.body):
        lines.append(text)
        total += len(text) + 1
        if total > max_chars:
            return "\n".join(lines)
    for rel in document.part.rels.values():
        if rel.reltype in _HEADER_FOOTER and not rel.is_external:
            lines.extend(paragraphs(rel.target_part.element))
    return "\n".join(lines)


def read_text(data: bytes, max_chars: int) -> str:
    """Plain text in its charset: a BOM, else UTF-8, else a guess (charset-normalizer,
    Swedish charsets first, as for mail). Binary data is not text."""
    from caseflow.mail.decoding import decode_text

    sample = data[: max_chars * 4]
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if sample.startswith(bom):
            return sample.decode(codec, "replace")
    if b"\x00" in sample[:8192]:
        raise Refused("unknown_type", TextStatus.UNSUPPORTED)
    text, _guessed = decode_text(sample, None)
    return text


def read_html(data: bytes, max_chars: int) -> str:
    """An HTML file's readable text (the mail reader's scanner: linear, scripts dropped)."""
    from caseflow.mail.htmlsafe import html_to_text

    return html_to_text(read_text(data, max_chars))


def read_mail(data: bytes, max_chars: int) -> str:
    """An e-mail's subject, sender, recipients and body: the text/plain part, else its
    HTML as text (``caseflow.mail.parsing``, which never raises)."""
    from caseflow.mail.parsing import parse_message

    parsed = parse_message(data, received_at=datetime.now(UTC))
    sender = " ".join(part for part in (parsed.from_name, parsed.from_address) if part)
    head = [parsed.subject, sender, ", ".join(parsed.to), ", ".join(parsed.cc)]
    return "\n".join([line for line in head if line] + ["", parsed.text])


def read_outlook(data: bytes, max_chars: int) -> str:
    """An Outlook .msg, converted to an e-mail first (needs the optional extract-msg)."""
    from caseflow.mail.outlook import OutlookUnavailable, OutlookUnreadable, msg_to_rfc822

    try:
        raw = msg_to_rfc822(data)
    except OutlookUnavailable as exc:
        raise Refused("msg_reader_missing", TextStatus.UNSUPPORTED) from exc
    except OutlookUnreadable as exc:
        raise Refused("broken_outlook") from exc
    return read_mail(raw, max_chars)


_READERS: dict[str, Callable[[bytes, int], str]] = {
    PDF: read_pdf,
    DOCX: read_docx,
    TEXT: read_text,
    HTML: read_html,
    MAIL: read_mail,
    OUTLOOK: read_outlook,
}

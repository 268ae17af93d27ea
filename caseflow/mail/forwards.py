"""Forwarded mail: the header blocks that mail clients write above a forwarded message.

Recognised in plain text (HTML is converted to text first):

- Outlook, Swedish and English: ``Från:/Skickat:/Till:/Kopia:/Ämne:`` and
  ``From:/Sent:/To:/Cc:/Subject:`` (also German, Danish/Norwegian and French labels);
- Thunderbird: ``-------- Vidarebefordrat meddelande --------`` / ``-------- Forwarded
  Message --------`` followed by ``Ämne:/Datum:/Från:/Till:``;
- Gmail: ``---------- Forwarded message ---------`` followed by ``From:/Date:/Subject:/To:``;
- Apple Mail: ``Begin forwarded message:``.

A block needs a sender line and at least two of date, recipient and subject, so that a
memo quoting ``Från: nämnden`` / ``Till: styrelsen`` is not taken for a forward. With
nested forwards the last block in the text is the innermost, i.e. the original.

Every scan here is line by line with anchored patterns: linear in the length of the text.

Why not a library: mail-parser-reply (1.36) finds the same blocks but returns them as
raw text (fields and dates still to be read), and its ``read()`` takes ~30 s on a body of
20,000 blank lines (its signature pattern backtracks quadratically); quotequail (0.5.4)
reads the block but not its ``Skickat:`` line, so Swedish Outlook forwards lose the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    LOCAL_TZ: tzinfo = ZoneInfo("Europe/Stockholm")
except (ImportError, ZoneInfoNotFoundError):  # pragma: no cover - no tz database at all
    LOCAL_TZ = timezone(timedelta(hours=1), "CET")

_LABELS = {
    "from": ("from", "från", "von", "fra", "de", "van", "lähettäjä"),
    "date": (
        "sent", "skickat", "skickad", "date", "datum", "gesendet", "sendt", "dato",
        "envoyé", "verzonden", "lähetetty",
    ),
    "to": ("to", "till", "an", "til", "à", "aan", "vastaanottaja"),
    "cc": ("cc", "kopia", "kopie", "kopi", "bcc", "hemlig kopia"),
    "subject": ("subject", "ämne", "betreff", "emne", "objet", "onderwerp", "aihe", "rubrik"),
    # Lines that may sit inside a block but say nothing we keep.
    "other": (
        "reply-to", "svara till", "svara-till", "antwort an", "organization", "organisation",
        "importance", "prioritet", "priority", "wichtigkeit", "bilagor", "attachments",
        "anlagen", "bifogade filer",
    ),
}  # fmt: skip
_FIELD_OF_LABEL = {label: name for name, labels in _LABELS.items() for label in labels}
_LABEL_ALTERNATION = "|".join(
    re.escape(label) for label in sorted(_FIELD_OF_LABEL, key=len, reverse=True)
)
_HEADER_LINE = re.compile(
    rf"^[ \t>]*\**(?P<label>{_LABEL_ALTERNATION})\**[ \t\u00a0]*:[ \t]*"
    r"(?P<value>.*)$",
    re.IGNORECASE,
)
_FORWARD_MARKER = re.compile(
    r"^[ \t>]*(?:-{2,}[ \t]*(?:forwarded message|vidarebefordrat meddelande|"
    r"vidarebefordrat brev|vidarebefordrat e-postmeddelande|weitergeleitete nachricht|"
    r"videresendt melding|videresendt meddelelse|message transféré)[ \t]*-{2,}"
    r"|begin forwarded message:|start of forwarded message|början på vidarebefordrat meddelande:)"
    r"[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)

_EMAIL = re.compile(r"[\w.!#$%&'+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass
class Forward:
    """What a forwarded message says about the message it forwards."""

    original_from_name: str | None = None
    original_from_address: str | None = None
    original_date: datetime | None = None
    #: The date as written in the block, kept when it could not be read.
    original_date_text: str | None = None
    original_subject: str | None = None
    original_to: list[str] = field(default_factory=list)
    #: Where the facts come from: "body" (a header block), "attachment" (an attached
    #: message) or "subject" (only the VB:/Fwd: prefix; nothing else was found).
    source: str = "body"


@dataclass
class HeaderBlock:
    """One ``From:/Sent:/To:/Subject:`` block found in a text, values as written."""

    fields: dict[str, str]
    line: int


def has_forward_marker(text: str) -> bool:
    """Whether ``text`` has a line that only forwards write (Gmail/Thunderbird/Apple)."""
    return _FORWARD_MARKER.search(text or "") is not None


def find_header_blocks(text: str) -> list[HeaderBlock]:
    """The quoted-message header blocks in ``text``, first to last."""
    blocks: list[HeaderBlock] = []
    current: dict[str, str] = {}
    start = 0
    last_field = ""

    def close() -> None:
        known = {"date", "to", "subject"} & current.keys()
        if "from" in current and len(known) >= 2:
            blocks.append(HeaderBlock(fields=dict(current), line=start))

    blank_lines = 0
    for number, line in enumerate((text or "").splitlines()):
        if current and not line.strip():
            # HTML made into text may put a blank line between the fields (one <p> each);
            # two blank lines end the block.
            blank_lines += 1
            if blank_lines > 1:
                close()
                current, last_field = {}, ""
            continue
        after_blank, blank_lines = blank_lines > 0, 0
        match = _HEADER_LINE.match(line)
        if match:
            name = _FIELD_OF_LABEL[match["label"].lower()]
            if name in current and name != "other":
                # A second From: starts the next block (blocks without blank lines between).
                close()
                current, start = {}, number
            if not current:
                start = number
            if name != "other":
                current[name] = match["value"].strip()
            last_field = name
            continue
        if (
            current
            and not after_blank
            and last_field in ("to", "cc", "subject")
            and line[:1] in " \t"
            and line.strip()
        ):
            current[last_field] += " " + line.strip(" \t>")
            continue
        if current:
            close()
            current, last_field = {}, ""
    if current:
        close()
    return blocks


def forward_from_block(block: HeaderBlock) -> Forward:
    """Read sender, date, subject and recipients out of a header block."""
    fields = block.fields
    name, address = split_name_address(fields.get("from", ""))
    date_text = _clean(fields.get("date", "")) or None
    subject = _clean(fields.get("subject", "")) or None
    return Forward(
        original_from_name=name,
        original_from_address=address,
        original_date=parse_loose_date(date_text) if date_text else None,
        original_date_text=date_text,
        original_subject=subject,
        original_to=addresses_in(fields.get("to", "")),
        source="body",
    )


def innermost_forward(text: str) -> Forward | None:
    """The innermost (last) forwarded header block in ``text``, or None."""
    blocks = find_header_blocks(text)
    return forward_from_block(blocks[-1]) if blocks else None


def split_name_address(value: str) -> tuple[str | None, str | None]:
    """``Löfgren Susanna <s.l@lst.se>`` → ("Löfgren Susanna", "s.l@lst.se"); name-only works."""
    value = _clean(value)
    found = _EMAIL.search(value)
    address = found.group(0).lower() if found else None
    name = re.sub(r"<[^<>]*>|\[mailto:[^\]]*\]|\(mailto:[^)]*\)", " ", value)
    name = re.sub(r"<|>", " ", name)
    if address:
        name = re.sub(re.escape(address), " ", name, flags=re.IGNORECASE)
    name = re.sub(r"\s+", " ", name).strip(" \t\"'„”“;,:")
    return (name or None), address


def addresses_in(value: str) -> list[str]:
    """Every address in a recipients line, lower-case, unique, in order."""
    return list(dict.fromkeys(match.group(0).lower() for match in _EMAIL.finditer(value or "")))


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", (value or "").replace("*", " ")).strip()


# -- dates as forwards write them ---------------------------------------------------------

_MONTHS = {
    **dict.fromkeys(("januari", "january", "januar", "jänner", "jan", "janv"), 1),
    **dict.fromkeys(("februari", "february", "februar", "feb", "febr", "févr"), 2),
    **dict.fromkeys(("mars", "march", "märz", "mar", "mär", "mrz"), 3),
    **dict.fromkeys(("april", "apr", "avril"), 4),
    **dict.fromkeys(("maj", "may", "mai"), 5),
    **dict.fromkeys(("juni", "june", "jun", "juin"), 6),
    **dict.fromkeys(("juli", "july", "jul", "juil"), 7),
    **dict.fromkeys(("augusti", "august", "aug", "août"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct", "octobre"), 10),
    **dict.fromkeys(("november", "nov", "novembre"), 11),
    **dict.fromkeys(("december", "dezember", "dec", "dez", "décembre"), 12),
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TIME = (
    r"(?:[, ]+(?:kl\.?|klockan|at|um|à)?[ ]*(?P<hour>\d{1,2})[:.](?P<minute>\d{2})"
    r"(?:[:.](?P<second>\d{2}))?[ ]*(?P<ampm>[ap]\.?m\.?)?)?"
)
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\.?[ ]+(?P<month>{_MONTH})\.?,?[ ]+(?P<year>\d{{4}}){_TIME}",
    re.IGNORECASE,
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?<![^\W\d_])(?P<month>{_MONTH})\.?[ ]+(?P<day>\d{{1,2}}),?[ ]+(?P<year>\d{{4}}){_TIME}",
    re.IGNORECASE,
)
_ISO = re.compile(
    r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ]+(?:kl\.?[ ]*)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?"
    r"(?:\.\d+)?[ ]*(?P<ampm>[ap]\.?m\.?)?)?",
    re.IGNORECASE,
)
_RFC2822 = re.compile(r"\d{1,2} [A-Za-z]{3} \d{4} \d{1,2}:\d{2}(?::\d{2})? [+-]\d{4}")
_OFFSET = re.compile(r"(?:GMT|UTC)?[ ]*(?P<sign>[+-])(?P<h>\d{2}):?(?P<m>\d{2})\b|(?P<z>Z)\b")
_ZONE_NAMES = {"cet": 1, "cest": 2, "gmt": 0, "utc": 0, "wet": 0, "west": 1, "eet": 2}


def parse_loose_date(text: str | None) -> datetime | None:
    """A date as a mail client writes it in a forward, timezone-aware, or None.

    Swedish (``den 17 mars 2021 18:20``), English Outlook (``Wednesday, March 17, 2021
    6:20 PM``), Gmail (``Wed, Mar 17, 2021 at 6:20 PM``), ISO (``2021-03-19 09:16:07``),
    German and RFC 2822. Without a zone it is Swedish local time.
    """
    text = _clean(text or "")[:200]
    if not text:
        return None
    if _RFC2822.search(text):
        try:
            parsed = parsedate_to_datetime(_RFC2822.search(text).group(0))
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is not None:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL_TZ)
    for pattern in (_ISO, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        match = pattern.search(text)
        if match:
            return _build(match, text[match.end() :])
    return None


def _build(match: re.Match, rest: str) -> datetime | None:
    month = match["month"]
    month_number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
    hour = int(match["hour"] or 0)
    ampm = (match["ampm"] or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        return datetime(
            int(match["year"]),
            month_number or 0,
            int(match["day"]),
            hour,
            int(match["minute"] or 0),
            int(match["second"] or 0),
            tzinfo=_zone(rest) if match["hour"] else LOCAL_TZ,
        )
    except (ValueError, OverflowError):
        return None


def _zone(rest: str) -> tzinfo:
    rest = rest.strip().lstrip("(")[:40]
    offset = _OFFSET.match(rest)
    if offset:
        if offset["z"]:
            return UTC
        minutes = int(offset["h"]) * 60 + int(offset["m"])
        if minutes < 24 * 60:
            sign = -1 if offset["sign"] == "-" else 1
            return timezone(sign * timedelta(minutes=minutes))
    word = re.match(r"\(?([A-Za-z]{3,4})\b", rest)
    if word and word.group(1).lower() in _ZONE_NAMES:
        return timezone(timedelta(hours=_ZONE_NAMES[word.group(1).lower()]))
    return LOCAL_TZ

"""Lists as CSV and Excel (XLSX) files: one helper for every page that exports.

A page's service builds a :class:`Table` — translated column headings and rows of plain
values (``str``, ``int``, ``date``, ``datetime``, ``None``) already masked for the reader
by the projection — and the view answers with :func:`respond`. This module imports
nothing of caseflow's domains, so any domain may use it.

Formats:

- **CSV** for Swedish Excel: UTF-8 with a byte-order mark (without it Excel reads å, ä,
  ö as two letters each), fields separated by ``;`` (Swedish Excel's list separator, the
  comma being the decimal sign there), every field quoted and quotes doubled (RFC 4180
  2.6-2.7), lines ending CRLF. Dates are written ``2026-12-03``, times ``2026-12-03
  14:05`` in Europe/Stockholm: the Swedish date format, which Excel reads as dates.
- **XLSX** through XlsxWriter in ``constant_memory`` mode (each row is written to disk
  as it comes; memory stays flat however long the list): dates and times are real date
  cells, text is always a text cell — never a formula, a link or a number.

Formula injection (OWASP "CSV Injection", CWE-1236): a text that begins with ``=``,
``+``, ``-``, ``@``, a tab, a carriage return, a line feed, a NUL, or the full-width
``＝ ＋ － ＠`` that Excel also accepts — also after leading spaces, which importers may
strip — is shown as text: in CSV with a ``'`` put before it, in XLSX as a text cell
with Excel's quote-prefix flag (the value itself is unchanged, and editing the cell keeps
it text).
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote

from flask import Response, current_app, flash, redirect
from flask_babel import gettext as _

from caseflow.common.errors import CaseflowError
from caseflow.common.timeutil import LOCAL_TZ

#: The formats a page may be exported in (the last part of the export URL).
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Used when the app sets no ``EXPORT_MAX_ROWS``.
DEFAULT_MAX_ROWS = 100_000
CSV_DELIMITER = ";"

#: First characters a spreadsheet reads as the start of a formula or a control.
FORMULA_STARTS = frozenset("=+-@\t\r\n\0\uff1d\uff0b\uff0d\uff20")

Value = str | int | date | datetime | None


class ExportTooLarge(CaseflowError):
    """More rows match than one export may hold."""


@dataclass
class Table:
    """What an export holds: headings and rows as the reader may see them."""

    headings: Sequence[str]
    rows: Sequence[Sequence[Value]]
    #: The sheet's name in the XLSX file (at most 31 characters, Excel's limit).
    sheet: str = "Export"
    #: Column widths in characters for the XLSX file; missing ones fit the heading.
    widths: Sequence[int] = field(default_factory=tuple)


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (or a control at its start)."""
    stripped = text.lstrip(" ")
    return bool(text) and (text[0] in FORMULA_STARTS or stripped[:1] in FORMULA_STARTS)


def neutralise(value: Value) -> Value:
    """``value`` as a CSV cell: a formula-like text gets a ``'`` in front, others stay."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def max_rows() -> int:
    """The most rows one export may hold (``EXPORT_MAX_ROWS``)."""
    return int(current_app.config.get("EXPORT_MAX_ROWS") or DEFAULT_MAX_ROWS)


def check_row_count(count: int) -> None:
    """Refuse an export of ``count`` rows when that is more than the cap, with a message
    saying what to do; services call it after counting and before loading the rows."""
    limit = max_rows()
    if count > limit:
        raise ExportTooLarge(
            _(
                "%(count)s rows match, more than the %(max)s one export may hold: narrow "
                "the filter and export again.",
                count=_spaced(count),
                max=_spaced(limit),
            )
        )


def _spaced(number: int) -> str:
    # Swedish groups thousands with a space; so does the English UI, to stay unambiguous.
    return f"{number:,}".replace(",", "\u00a0")


#: Filters whose value is free text: a holder may search for a secret word, and the audit
#: trail is read by admins who do not hold it, so only the text's length is recorded.
FREE_TEXT_FILTERS = frozenset({"q"})


def event_values(page: str, fmt: str, rows: int, filters: Mapping | None = None) -> dict:
    """What an export's audit event records: the page, its filter (free text as its
    length only, ``q_chars``), the format and the number of rows — never the values
    exported."""
    recorded = {}
    for key, value in (filters or {}).items():
        if key in FREE_TEXT_FILTERS:
            recorded[f"{key}_chars"] = len(str(value))
        else:
            recorded[key] = value
    return {"page": page, "filters": recorded, "format": fmt, "rows": rows}


# -- CSV -------------------------------------------------------------------------------------


def _csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(neutralise(value))


def _local(value: datetime) -> datetime:
    return value.astimezone(LOCAL_TZ) if value.tzinfo is not None else value


def csv_chunks(table: Table) -> Iterator[bytes]:
    """The table as CSV, in chunks of encoded bytes (the first starts with the BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=CSV_DELIMITER, quoting=csv.QUOTE_ALL, lineterminator="\r\n"
    )
    writer.writerow([_csv_text(h) for h in table.headings])
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for start in range(0, len(table.rows), 1000):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_csv_text(v) for v in row] for row in table.rows[start : start + 1000])
        yield buffer.getvalue().encode("utf-8")


def to_csv(table: Table) -> bytes:
    """The whole table as CSV bytes."""
    return b"".join(csv_chunks(table))


# -- XLSX ------------------------------------------------------------------------------------


def to_xlsx(table: Table) -> bytes:
    """The table as an XLSX workbook: one sheet, a bold frozen heading row with a filter,
    real date cells, and every text a text cell."""
    import xlsxwriter  # only the export pays for loading it

    # constant_memory writes each row to a temporary file as soon as the next begins.
    with tempfile.TemporaryDirectory(prefix="caseflow-export-") as tmp:
        path = os.path.join(tmp, "export.xlsx")
        book = xlsxwriter.Workbook(
            path,
            {
                "constant_memory": True,
                "tmpdir": tmp,
                # Text stays text: no "=…" formulas, no links, no numbers guessed.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        sheet = book.add_worksheet(_sheet_name(table.sheet))
        heading = book.add_format({"bold": True})
        as_text = book.add_format({"quote_prefix": True})
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        for col, title in enumerate(table.headings):
            width = table.widths[col] if col < len(table.widths) else len(title) + 4
            sheet.set_column(col, col, max(width, 8))
        sheet.freeze_panes(1, 0)
        for col, title in enumerate(table.headings):
            sheet.write_string(0, col, str(title), heading)
        for r, row in enumerate(table.rows, start=1):
            for col, value in enumerate(row):
                _write_cell(sheet, r, col, value, as_text=as_text, day=day, moment=moment)
        if table.headings:
            sheet.autofilter(0, 0, max(len(table.rows), 1), len(table.headings) - 1)
        book.close()
        with open(path, "rb") as handle:
            return handle.read()


def _write_cell(sheet, row: int, col: int, value: Value, *, as_text, day, moment) -> None:
    if value is None or value == "":
        return  # a blank cell, as on the page
    if isinstance(value, datetime):
        # Excel has no time zones: the local time the page shows, as a plain date-time.
        sheet.write_datetime(row, col, _local(value).replace(tzinfo=None), moment)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, datetime.combine(value, datetime.min.time()), day)
    elif isinstance(value, int):
        sheet.write_number(row, col, value)
    else:
        text = _xml_safe(str(value))
        sheet.write_string(row, col, text, as_text if is_formula_like(text) else None)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xml_safe(text: str) -> str:
    # XML 1.0 has no place for most control characters; a pasted one would break the file.
    return _CONTROL.sub("\ufffd", text)


def _sheet_name(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", name).strip("' ") or "Export"
    return cleaned[:31]


# -- the download ----------------------------------------------------------------------------


def ascii_filename(name: str) -> str:
    """``name`` in plain ASCII for old clients: letters without their marks (Ärenden →
    Arenden), anything but letters, digits, ``.``, ``-`` and ``_`` as ``_``."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^A-Za-z0-9._-]+", "_", plain).strip("._") or "export"
    return plain[:120]


def content_disposition(name: str) -> str:
    """An attachment header naming ``name``: an ASCII fallback and the UTF-8 name as
    ``filename*`` (RFC 6266, RFC 5987), so Swedish letters survive where clients allow."""
    name = re.sub(r"[\x00-\x1f\x7f/\\\"]+", "_", name).strip() or "export"
    return f"attachment; filename=\"{ascii_filename(name)}\"; filename*=UTF-8''{quote(name)}"


def response(table: Table, fmt: str, basename: str) -> Response:
    """The download of ``table`` in ``fmt`` (``csv`` or ``xlsx``), named ``basename``
    plus the extension. CSV streams as it is encoded; XLSX is sent when complete."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    body: Iterable[bytes] = csv_chunks(table) if fmt == "csv" else [to_xlsx(table)]
    answer = Response(body, content_type=CONTENT_TYPES[fmt])
    answer.headers["Content-Disposition"] = content_disposition(f"{basename}.{fmt}")
    answer.headers["X-Content-Type-Options"] = "nosniff"
    # What a holder exports may be secret: no shared cache keeps a copy.
    answer.headers["Cache-Control"] = "no-store"
    return answer


def respond(build: Callable[[], Table], fmt: str, basename: str, back: str):
    """Build the table and send it; an export over the cap goes ``back`` (the page with
    its filter) with the message instead. The view's whole export path."""
    try:
        table = build()
    except ExportTooLarge as exc:
        flash(str(exc), "error")
        return redirect(back)
    return response(table, fmt, basename)


# -- search results --------------------------------------------------------------------------


def search_results_table(hits: Iterable[Mapping], headings: Mapping[str, str]) -> Table:
    """The search page's hits as a table, for :func:`respond` — called by the search page
    (``caseflow/search/exports.py``).

    ``hits`` are the hits as the page shows them to this reader, already through the
    projection (a secret title masked, no snippet from a secret field): mappings with
    ``number``, ``kind``, ``title``, ``date`` (a ``date``), ``counterpart`` and
    ``snippet`` (plain text, without the highlighting markup). ``headings`` names each of
    those keys in the reader's language, in the order of the columns. The search view
    then does, as the case list's export does::

        export.check_row_count(total)                # before loading every hit
        record(session, "search.export", None,   # q recorded as its length only
               after=export.event_values("search", fmt, len(table.rows), {"q": q, ...}))
        return export.respond(lambda: table, fmt, _("Search results"), back=page_url)
    """
    keys = list(headings)
    return Table(
        headings=[headings[k] for k in keys],
        rows=[[hit.get(k) for k in keys] for hit in hits],
        sheet=str(_("Search results")),
    )

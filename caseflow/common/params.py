"""Query parameters read one way: what a hostile or mistyped URL sends is refused or
clamped here, never passed on to the database to fail there.

- A page number that is missing, empty, not a number or negative is the first page; a
  larger one than :data:`MAX_PAGE` is that page (the list shows its last page).
- A NUL character in any parameter or form field is refused with 400 before any view
  runs: PostgreSQL text cannot hold it, and no one types it.
- A number in a URL's path (``<int:…>``) larger than the database's integers names
  nothing: the route does not match (404) instead of the database failing on it.
- Whatever still reaches the database as a value it cannot hold (PostgreSQL's
  ``DataError``: a number out of range, a malformed value) is answered 400, not 500.
"""

from __future__ import annotations

from flask import Flask, abort, render_template, request
from sqlalchemy.exc import DataError
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter

#: Beyond any list caseflow shows; keeps the database's offset within its integers.
MAX_PAGE = 100_000
#: Longer digit strings are refused before int() has to read them.
_MAX_DIGITS = 9


def int_arg(args: MultiDict, name: str, *, minimum: int = 1, maximum: int = MAX_PAGE):
    """``name`` from ``args`` as a whole number within the bounds, None when it is none."""
    raw = (args.get(name) or "").strip()
    if not raw.isascii() or not raw.lstrip("-").isdigit() or len(raw) > _MAX_DIGITS + 1:
        return None
    return min(max(int(raw), minimum), maximum)


def page_number(args: MultiDict, name: str = "page") -> int:
    """The page a list was asked for: 1 unless a whole number says otherwise, clamped."""
    raw = (args.get(name) or "").strip()
    if raw.isascii() and raw.isdigit() and len(raw) > _MAX_DIGITS:
        return MAX_PAGE  # a huge number asks for "far on": the last page
    return int_arg(args, name) or 1


def args_without_page(args: MultiDict, name: str = "page") -> dict:
    """A list's query without its page number and empty fields: for its pager, its
    ordering links and its exports, which keep the filters and choose their own page."""
    return {k: v for k, v in args.items() if k != name and v}


def clamp_page(page: int, total: int, per_page: int) -> int:
    """``page`` within the pages ``total`` rows make (at least one)."""
    pages = max(1, -(-total // per_page))
    return min(max(1, page), pages)


class IdConverter(IntegerConverter):
    """``<int:…>`` within PostgreSQL's ``integer`` unless the route says otherwise."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _holds_nul(values: MultiDict) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def _value_the_database_cannot_hold(_error):
    from caseflow.common.error_path import rollback_request

    rollback_request()
    return render_template("errors/error.html", code=400), 400


def init_app(app: Flask) -> None:
    """Before the blueprints are registered: their ``<int:…>`` rules take the bounded one."""
    app.url_map.converters["int"] = IdConverter
    app.register_error_handler(DataError, _value_the_database_cannot_hold)

    @app.before_request
    def _refuse_nul_bytes():
        if _holds_nul(request.args) or (
            request.method not in ("GET", "HEAD") and _holds_nul(request.form)
        ):
            abort(400)

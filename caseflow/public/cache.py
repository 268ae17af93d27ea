"""Caching the public pages: they are the same for everyone who asks.

Two layers:

- **HTTP**: every public GET answers with ``Cache-Control: public`` and a strong ETag; a
  browser or proxy that sends ``If-None-Match`` gets 304 without the body. With
  ``PUBLIC_CACHE_MAX_AGE = 0`` (the default) the header is ``no-cache``: a copy may be
  kept but must be revalidated, so no proxy shows a title after it was made secret.
- **In process**: the rendered response, keyed by the public generation
  (:mod:`caseflow.public.generation`), the URL with its query string and the language.
  Any change to what the public sees raises the generation in its own transaction, so an
  entry can never be served after a change; entries of older generations are dropped
  when a newer one is seen. Per worker, bounded by ``PUBLIC_CACHE_ENTRIES`` and
  ``PUBLIC_CACHE_BYTES``, least recently used first out.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps

from flask import Response, current_app, make_response, request

from caseflow.common.i18n import select_locale
from caseflow.common.security import forbid_cookies
from caseflow.db import get_autocommit_engine
from caseflow.public.generation import current_generation

#: The request headers that can make an answer conditional (304, 412, 206).
_CONDITIONAL = frozenset(
    {"HTTP_IF_NONE_MATCH", "HTTP_IF_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_RANGE", "HTTP_RANGE"}
)

#: A response larger than this is rendered each time rather than kept.
MAX_CACHED_BYTES = 512 * 1024


@dataclass(frozen=True)
class Entry:
    body: bytes
    mimetype: str
    etag: str
    headers: tuple[tuple[str, str], ...]


class ResponseCache:
    """Rendered public responses of one generation, least recently used dropped first."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._generation = -1
        self._bytes = 0

    def get(self, generation: int, key: tuple) -> Entry | None:
        with self._lock:
            if generation != self._generation:
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, generation: int, key: tuple, entry: Entry, limit: int, max_bytes: int) -> None:
        with self._lock:
            if generation < self._generation:
                return  # rendered from older data than what is cached now
            if generation > self._generation:
                self._entries.clear()
                self._generation, self._bytes = generation, 0
            old = self._entries.pop(key, None)
            self._bytes += len(entry.body) - (len(old.body) if old else 0)
            self._entries[key] = entry
            while self._entries and (len(self._entries) > limit or self._bytes > max_bytes):
                _key, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._generation, self._bytes = -1, 0


def _cache(app) -> ResponseCache:
    return app.extensions.setdefault("caseflow.public_cache", ResponseCache())


def cache_control() -> str:
    """The Cache-Control header of every public page."""
    max_age = int(current_app.config.get("PUBLIC_CACHE_MAX_AGE") or 0)
    return f"public, max-age={max_age}" if max_age > 0 else "public, no-cache"


def finish(response: Response, etag: str | None = None) -> Response:
    """Public caching headers, and 304 when the client already has this version; no
    cookie on such a response."""
    forbid_cookies()
    response.headers["Cache-Control"] = cache_control()
    response.headers["Vary"] = "Accept-Encoding"
    if etag is None and response.status_code == 200 and not response.direct_passthrough:
        etag = hashlib.sha256(response.get_data()).hexdigest()[:32]
    if etag is not None:
        response.set_etag(etag)
        if not _CONDITIONAL.isdisjoint(request.environ):
            response.make_conditional(request)
    return response


def public_page(view):
    """Serve a public GET view from the response cache, rendering it on a miss."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        app = current_app._get_current_object()
        # First, before anything else is read: see the module's docstring.
        generation = current_generation(get_autocommit_engine())
        key = (request.path, request.query_string, select_locale())
        limit = int(app.config.get("PUBLIC_CACHE_ENTRIES") or 0)
        entry = _cache(app).get(generation, key) if limit > 0 else None
        if entry is None:
            response = make_response(view(*args, **kwargs))
            if response.status_code != 200 or response.direct_passthrough:
                return finish(response)
            body = response.get_data()
            entry = Entry(
                body=body,
                mimetype=response.mimetype,
                etag=hashlib.sha256(body).hexdigest()[:32],
                headers=tuple(
                    (k, v) for k, v in response.headers.items() if k == "Content-Disposition"
                ),
            )
            if limit > 0 and len(body) <= MAX_CACHED_BYTES:
                budget = int(app.config.get("PUBLIC_CACHE_BYTES") or 0)
                _cache(app).put(generation, key, entry, limit, budget)
        response = Response(entry.body, mimetype=entry.mimetype, headers=list(entry.headers))
        return finish(response, entry.etag)

    return wrapped

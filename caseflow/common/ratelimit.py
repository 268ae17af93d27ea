"""Rate limits on the public pages, per client, attached by endpoint name.

Anyone may use the e-diarium, so one client must not be able to take the server from
everybody else. ``PUBLIC_RATE_LIMITS`` maps endpoint names or patterns
(``"public.postlista*"``, ``"noticeboard.*"``) to limits (``"60/minute;600/hour"``, or a
list; ``"POST: 5/minute"`` counts only POSTs). A limit for some methods counts only the
requests answered without an error (below 400): a form sent back to be corrected costs
the visitor nothing of it, while a limit for every method counts every request. The
limits are looked up by the endpoint a request was routed to, so a blueprint registered
after this module's ``init_app`` is covered as well and no view needs a decorator. Every
matching entry applies. A view
that needs a login (marked by :func:`caseflow.common.permissions.require`) is never
limited here, whatever pattern matches it: officials are never held up by these limits.

Counting is Flask-Limiter's (fixed windows) in ``RATELIMIT_STORAGE_URI``: ``memory://``
keeps the counts in each process, ``redis://…`` shares them between all workers. When the
storage cannot be reached the pages keep working: the limits are counted in the process's
memory until it answers again (Flask-Limiter's fallback, logged once), and any other
failure of the limiter lets the request through (logged).

The client is its address as the house's proxy setting makes it
(:func:`caseflow.common.security.trust_proxies`; X-Forwarded-For is ignored unless
configured), an IPv6 client by its /64 network: one connection gets a whole /64.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import math
import re
import time
from datetime import timedelta

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import format_timedelta
from flask_babel import gettext as _
from flask_limiter import Limit, Limiter, RateLimitExceeded
from limits import parse_many

EXTENSION = "caseflow.ratelimit"

#: Where the storage is a server, a request waits at most this long for it (seconds), so
#: a Redis that hangs costs each request a fraction of a second, never the page.
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}

_METHODS = re.compile(r"^\s*([A-Za-z]+(?:\s*,\s*[A-Za-z]+)*)\s*:\s*(.+)$")


class PublicLimits:
    """The configured limits, resolved per endpoint once and remembered."""

    def __init__(self, app: Flask, config: dict[str, str | list[str]]):
        self.app = app
        self.entries = [
            (pattern, methods, limit)
            for pattern, value in config.items()
            for methods, limit in map(_parse_entry, _as_list(value))
        ]
        self._by_endpoint: dict[str, tuple[tuple[frozenset[str] | None, str], ...]] = {}

    def for_endpoint(self, endpoint: str) -> tuple[tuple[frozenset[str] | None, str], ...]:
        """The (methods, limit) pairs that apply to ``endpoint``; none for a login's view."""
        found = self._by_endpoint.get(endpoint)
        if found is None:
            view = self.app.view_functions.get(endpoint)
            if view is None or getattr(view, "required_right", None):
                found = ()
            else:
                found = tuple(
                    (methods, limit)
                    for pattern, methods, limit in self.entries
                    if fnmatch.fnmatchcase(endpoint, pattern)
                )
            self._by_endpoint[endpoint] = found
        return found

    def for_request(self) -> str:
        """The limits for every method of this request as one string ("" when none), for
        Flask-Limiter: each request counts."""
        return ";".join(
            limit for methods, limit in self.for_endpoint(request.endpoint or "") if methods is None
        )

    def for_request_method(self) -> str:
        """The limits for this request's method ("POST: 5/minute") as one string: only an
        accepted request counts (:func:`accepted`)."""
        method = request.method.upper()
        return ";".join(
            limit
            for methods, limit in self.for_endpoint(request.endpoint or "")
            if methods is not None and method in methods
        )

    def limited_endpoints(self) -> dict[str, list[str]]:
        """Every endpoint of the app that has limits, with them (for the README and tests)."""
        return {
            endpoint: [
                limit if methods is None else f"{','.join(sorted(methods))}: {limit}"
                for methods, limit in found
            ]
            for endpoint in sorted(self.app.view_functions)
            if (found := self.for_endpoint(endpoint))
        }


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _parse_entry(text: str) -> tuple[frozenset[str] | None, str]:
    """``"POST: 5/minute;20/day"`` → ({"POST"}, "5/minute;20/day"); checked here, so a
    mistyped limit stops the app at start, not a visitor's request."""
    match = _METHODS.match(text)
    methods = None
    if match:
        methods = frozenset(m.strip().upper() for m in match.group(1).split(","))
        text = match.group(2)
    parse_many(text)  # raises ValueError on anything that is not a limit
    return methods, text.strip()


def accepted(response) -> bool:
    """Whether a request counts against a limit for its method: it was answered without
    an error, e.g. a form that made a request, not one sent back to be corrected."""
    return response.status_code < 400


def client_key() -> str:
    """The client a limit counts: its address, an IPv6 address by its /64 network."""
    address = request.remote_addr or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def wait_in_words(seconds: int) -> str:
    """How long to wait, rounded up to the unit it is said in: "45 sekunder", "2 minuter"."""
    if seconds < 60:
        amount = timedelta(seconds=max(1, seconds))
    elif seconds < 3600:
        amount = timedelta(minutes=math.ceil(seconds / 60))
    else:
        amount = timedelta(hours=math.ceil(seconds / 3600))
    return format_timedelta(amount, granularity="second", threshold=1)


def seconds_to_wait(limiter: Limiter) -> int:
    """Whole seconds until the breached limit's window ends (at least one)."""
    breached = limiter.current_limit
    if breached is None:
        return 60
    reset_at, _remaining = breached.window
    return max(1, math.ceil(reset_at - time.time()))


def _too_many_requests(_error: RateLimitExceeded):
    """The answer to a client over its limit: how long to wait, in its language, with
    Retry-After; no cookie, nothing from the database."""
    wait = seconds_to_wait(current_app.extensions[EXTENSION]["limiter"])
    message = _(
        "You have made many requests in a short time. Wait %(wait)s and try again.",
        wait=wait_in_words(wait),
    )
    if request.accept_mimetypes.best == "application/json" or request.path.endswith(".json"):
        response = jsonify(error=message, retry_after=wait)
    else:
        page = render_template("errors/rate_limited.html", message=message)
        response = current_app.make_response(page)
    response.status_code = 429
    response.headers["Retry-After"] = str(wait)
    return response


def init_app(app: Flask) -> None:
    """Limit the configured endpoints. Called last in ``create_app``; endpoints are
    resolved at their first request, so later blueprints count too."""
    limits = PublicLimits(app, app.config.get("PUBLIC_RATE_LIMITS") or {})
    uri = app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
    options = dict(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
    if uri.startswith(("redis", "rediss", "valkey")):
        options = {**REDIS_TIMEOUTS, **options}
    limiter = Limiter(
        client_key,
        default_limits=[
            Limit(limits.for_request),
            # Checked before the view, counted after it only when accepted; a scope of its
            # own, so that it never shares a count with a limit for every method.
            Limit(limits.for_request_method, scope="accepted", deduct_when=accepted),
        ],
        storage_uri=uri,
        storage_options=options,
        # Pages keep working when the storage is down: limits move to this process's
        # memory (one warning), and any other failure of the limiter lets requests through.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
        # X-RateLimit-* headers would differ per client on pages meant to be cached.
        headers_enabled=False,
    )
    # A page without limits (every official's page) skips the limiter's own lookups.
    limiter.request_filter(lambda: not limits.for_endpoint(request.endpoint or ""))
    limiter.init_app(app)
    app.extensions[EXTENSION] = {"limiter": limiter, "limits": limits}
    app.register_error_handler(RateLimitExceeded, _too_many_requests)

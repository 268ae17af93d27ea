"""Security headers on every response, and which proxies' X-Forwarded-* headers count.

Six fixed headers; a library such as Talisman would mostly add HTTPS redirects that the
reverse proxy in front of caseflow already does.

The client's address decides how failed logins are counted, so it must not be whatever a
client writes into ``X-Forwarded-For``: Werkzeug's ProxyFix is applied only for the hops
configured in ``PROXY_FIX_*`` (all 0 by default, the headers then ignored).
"""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

PROXY_HEADERS = ("x_for", "x_proto", "x_host", "x_port", "x_prefix")

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def trust_proxies(app: Flask) -> None:
    """Believe the configured number of proxy hops in front of the app, none by default."""
    hops = {name: int(app.config.get(f"PROXY_FIX_{name.upper()}") or 0) for name in PROXY_HEADERS}
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **hops)


def init_app(app: Flask) -> None:
    trust_proxies(app)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

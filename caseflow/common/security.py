"""Security headers on every response, which proxies' X-Forwarded-* headers count, and
no session on the public pages.

Six fixed headers; a library such as Talisman would mostly add HTTPS redirects that the
reverse proxy in front of caseflow already does.

The public pages (``PUBLIC_BLUEPRINTS``), and any response marked with
:func:`forbid_cookies`, are the same for everyone: they never set a cookie, whatever a
page or an extension puts into the session (a staff member's login cookie is left as it
was), so no shared cache can hand one visitor's cookie to another.

The client's address decides how failed logins are counted, so it must not be whatever a
client writes into ``X-Forwarded-For``: Werkzeug's ProxyFix is applied only for the hops
configured in ``PROXY_FIX_*`` (all 0 by default, the headers then ignored).
"""

from flask import Flask, g, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from caseflow.common.i18n import PUBLIC_BLUEPRINTS

PROXY_HEADERS = ("x_for", "x_proto", "x_host", "x_port", "x_prefix")

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


#: Set on every response unless the view set its own.
FIXED_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cache-Control", "no-store"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000")


_COOKIELESS = "caseflow_cookieless"


def forbid_cookies() -> None:
    """This response is the same for everyone (a shared cache may keep it): it sets no
    cookie, like the public pages (e.g. the public "not found" page for an address
    outside them)."""
    g.setdefault(_COOKIELESS, True)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, never saved by the public pages."""

    def open_session(self, app, request):
        # Anonymous visitors send no cookie: a new session without building the signer.
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if request.blueprint in PUBLIC_BLUEPRINTS or g.get(_COOKIELESS):
            # Called after every after_request function: nothing sets a cookie after this
            # (Flask-Login would clear a remember cookie when it finds a session it did
            # not make).
            response.headers.remove("Set-Cookie")
            return
        super().save_session(app, session, response)


def trust_proxies(app: Flask) -> None:
    """Believe the configured number of proxy hops in front of the app, none by default."""
    hops = {name: int(app.config.get(f"PROXY_FIX_{name.upper()}") or 0) for name in PROXY_HEADERS}
    if any(hops.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **hops)


def init_app(app: Flask) -> None:
    trust_proxies(app)

    app.session_interface = SessionInterface()

    @app.after_request
    def _headers(response):
        # One pass over the few headers present (Headers.setdefault costs an exception
        # per missing name, and this runs on every response).
        present = {name.lower() for name, _value in response.headers.items()}
        secure = app.config.get("SESSION_COOKIE_SECURE")  # `caseflow run` turns it off
        for name, value in FIXED_HEADERS + ((HSTS,) if secure else ()):
            if name.lower() not in present:
                response.headers.add(name, value)
        return response

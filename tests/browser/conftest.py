"""Fixtures for the browser tests: a live server and Debian's Chromium through Playwright.

The browser tests are skipped when Playwright or ``/usr/bin/chromium`` is missing, except
under CI (``CI=true``), where they fail instead: CI must run them.
"""

from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

from tests.meetings.conftest import Mailbox
from tests.support import require_or_skip

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Milliseconds any single Playwright action or expectation may take.
TIMEOUT_MS = 15_000


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the browser tests (each test gets its own context).

    Package-scoped: Playwright's sync API runs an event loop in the main thread while it
    is started, and the tests after these (pyHanko's validation, which calls asyncio.run)
    must find none."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        require_or_skip(f"Playwright for Python is not installed ({exc}); pip install -e '.[test]'")
    if not os.access(CHROMIUM, os.X_OK):
        require_or_skip(f"{CHROMIUM} is missing; apt-get install chromium")

    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except PlaywrightError as exc:
            require_or_skip(f"Chromium at {CHROMIUM} did not start: {exc}")
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def live_server(app):
    """Serve ``app`` on a free local port, with CSRF protection switched back on."""
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh browser context whose relative URLs go to the live server.

    Depends on ``live_server`` so that the context (and its keep-alive connections) is
    closed before the server shuts down.
    """
    context = browser.new_context(base_url=live_server, locale="sv-SE", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def mailbox(app):
    """A real SMTP server on loopback; the app sends to it (set before any request)."""
    box = Mailbox()
    port = box.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        yield box
    finally:
        box.stop()

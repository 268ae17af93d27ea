"""pyHanko's synchronous calls run an event loop of their own (``asyncio.run``), which fails
when the calling thread already runs one (a test's browser driver, an async server). They
are called here in a thread of their own, where no loop runs."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor


def call_outside_event_loop(function, *args, **kwargs):
    """``function(*args, **kwargs)`` in a fresh thread; its result or its exception."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(function, *args, **kwargs).result()

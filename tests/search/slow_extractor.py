"""Extractors registered only by the tests: one too slow for any limit, one that dies."""

import os
import time


def too_slow(data: bytes, max_chars: int) -> str:
    time.sleep(30)
    return "never"


def dies(data: bytes, max_chars: int) -> str:
    os._exit(3)

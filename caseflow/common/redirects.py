"""The one check every redirect target taken from a request goes through.

A target comes from the request in three places: ``next`` after logging in, the page the
language switch returns to, and the referrer the common error path sends a refused form
back to. Each asks :func:`safe_target`, which lets through only a path on this site and
otherwise answers with the caller's default: never another host, never an error.

Browsers are lenient where this check is strict. They drop tabs and newlines from a URL
(``/\\t/evil.example`` becomes ``//evil.example``), read a backslash as a slash
(``/\\evil.example``), and some proxies decode ``%2F`` before routing. So the target is
refused when it holds a control or blank character, a backslash, a scheme or a host, or
when its path, as given or percent-decoded up to three times, holds any of these, a doubled
slash or an encoded slash. Beyond ASCII only letters and digits pass: no lookalike of a
slash or a dot.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote, unquote, urlsplit

#: Longer targets are not ours (our own URLs are short); refusing them bounds the work.
MAX_TARGET_LENGTH = 2048
_DECODE_ROUNDS = 3
#: Left as they are when the accepted target is made ASCII for the Location header.
_URL_SAFE = "/?#[]@!$&'()*+,;=:-._~%"


def _has_bad_character(text: str) -> bool:
    for char in text:
        if char == "\\" or ord(char) < 0x21 or ord(char) == 0x7F:
            return True
        if ord(char) > 0x7F:
            # Beyond ASCII only letters, marks and digits (å, ä, ö): no punctuation that
            # looks like a slash or a dot (∕ ⁄ 。), no controls, format characters (zero
            # width, bidi overrides) or spaces, and no compatibility forms that fold into
            # something else (／ into /).
            if unicodedata.category(char)[0] not in ("L", "M", "N"):
                return True
            if unicodedata.normalize("NFKC", char) != char:
                return True
    return False


def _is_local_path(path: str) -> bool:
    return path.startswith("/") and "//" not in path and not _has_bad_character(path)


def _decoded(text: str) -> list[str]:
    """What percent-decoding makes of ``text``, round by round, until nothing changes."""
    forms = []
    for _ in range(_DECODE_ROUNDS):
        if "%" not in text:
            break
        text = unquote(text, errors="strict")
        forms.append(text)
    return forms


def is_safe_target(target: object) -> bool:
    """Whether ``target`` is a path on this site that a browser cannot read as another."""
    if not isinstance(target, str) or not target or len(target) > MAX_TARGET_LENGTH:
        return False
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or _has_bad_character(target):
        return False
    # The path decides the host a browser or proxy goes to; an encoded query cannot.
    path = target.split("?", 1)[0].split("#", 1)[0]
    if "%2f" in path.lower() or "%5c" in path.lower():
        return False
    try:
        return all(_is_local_path(form) for form in (path, *_decoded(path)))
    except UnicodeDecodeError:  # %-escapes that are not UTF-8
        return False


def safe_target(target: object, default: str) -> str:
    """``target`` when it is a path on this site (made ASCII for the header), else ``default``."""
    if is_safe_target(target):
        return quote(target, safe=_URL_SAFE)
    return default

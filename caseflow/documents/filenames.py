"""Making uploaded and received filenames safe to store and offer for download."""

import re
import unicodedata

_RESERVED = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_DEVICE_NAMES = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    "CLOCK$",
    "CONIN$",
    "CONOUT$",
    *(f"COM{i}" for i in range(10)),
    *(f"LPT{i}" for i in range(10)),
}
MAX_BYTES = 200
FALLBACK = "fil"


def safe_filename(name: str | None, fallback: str = FALLBACK) -> str:
    """A readable name with no folders, no device names and no control characters.

    Swedish letters are kept (NFC-normalised); ``../../etc/passwd`` becomes ``passwd`` and
    ``CON.txt`` becomes ``_CON.txt``. The result is at most 200 bytes in UTF-8 and keeps
    its extension when it has to be shortened.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _RESERVED.sub("_", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return fallback
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if stem.split(".")[0].upper() in _DEVICE_NAMES:
        name = "_" + name
    if len(name.encode("utf-8")) > MAX_BYTES:
        ext = ("." + ext[:20]) if dot else ""
        budget = MAX_BYTES - len(ext.encode("utf-8"))
        stem = name[: len(name) - len(ext)] if dot else name
        while len(stem.encode("utf-8")) > budget:
            stem = stem[:-1]
        name = stem.rstrip(" .") + ext
    return name


def distinct_filename(name: str, taken: set[str]) -> str:
    """``bilaga.pdf``, then ``bilaga (2).pdf``, ``bilaga (3).pdf`` … when names collide."""
    if name not in taken:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    n = 2
    while True:
        candidate = f"{stem} ({n}){'.' + ext if dot else ''}"
        if candidate not in taken:
            return candidate
        n += 1


def without_folders(text: str) -> str:
    """A subject or title about to become a filename: "RS/720/2021 budget" must keep its
    beginning instead of losing it as folders."""
    return re.sub(r"[/\\]", "_", text)

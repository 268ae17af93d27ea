"""The README names no file that is not in the repository.

It is read as a newcomer reads it: every link, every backticked name that looks like a
path or a file (``bench/mail.py``, ``messages.po``) and every path in its code blocks must
exist, in the repository or, as the section on how caseflow is built writes them, in the
``caseflow`` package. What exists only once caseflow runs is allowed below, with why.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Paths the README names that exist only at run time, each with the reason.
RUNTIME = {
    "instance/": "the instance folder holds what `caseflow init` and the app write there "
    "(config.py, the database, files/, outbox/); only its README is in the repository",
    "files/": "the file store inside the instance folder, written by the app",
    "outbox/": "MAIL_OUTBOX_DIR inside the instance folder, written by the app",
    ".venv/": "the virtual environment `make run` creates",
    "bench/results/": "what the benchmarks write when they are run",
}

#: Bare file names the README uses for something other than a file of the repository.
NAMES = {
    "caseflow.sqlite": "the SQLite database in the instance folder, made by `caseflow db upgrade`",
    "database.sqlite": "the database's copy in a backup folder, made by `caseflow backup create`",
    "manifest.json": "the list of a backup folder's files, made by `caseflow backup create`",
}

#: The first names of paths: the repository's top level and the run-time folders.
ROOTS = {p.name for p in ROOT.iterdir()} | {prefix.split("/")[0] for prefix in RUNTIME}

LINK = re.compile(r"\]\(([^)\s]+)\)")
BACKTICKED = re.compile(r"`([^`\n]+)`")
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
HAS_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")
#: A bare name is a file when it ends like one (``app.cli`` is code, ``config.py`` a file).
FILE_NAME = re.compile(
    r"[\w-]+\.(py|md|json|docx|po|mo|toml|cfg|sqlite|txt|eml|msg|pdf|html|sh|ini|csv|zip|log)"
)
NOT_A_PATH = re.compile(r"[\s<>{}*@:=()\[\]]")


def _tracked() -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    folders = set()
    for path in listed:  # every ancestor folder, written with its slash
        parent = Path(path).parent
        while str(parent) != ".":
            folders.add(f"{parent}/")
            parent = parent.parent
    return set(listed) | folders


def _is_pathlike(token: str, *, in_code: bool) -> bool:
    if NOT_A_PATH.search(token) or token.startswith(("http", "#", "-")):
        return False
    if token.startswith("/") and not in_code:  # a page of the web UI: `/admin/series/`
        return False
    if re.fullmatch(r"\.[A-Za-z0-9]+", token):  # an extension: ".docx", ".eml"
        return False
    if "/" in token:
        # A case number (RS/720/2021) or a MIME type has no extension, no trailing slash
        # and does not start in a folder of the repository; a path has one of them.
        first = token.split("/")[0]
        return bool(HAS_EXTENSION.search(token) or token.endswith("/") or first in ROOTS)
    return not in_code and bool(FILE_NAME.fullmatch(token))


def referenced_paths(text: str) -> set[str]:
    """Every name in ``text`` that a reader would take for a file or folder of caseflow."""
    found = {link.split("#")[0] for link in LINK.findall(text) if "://" not in link}
    for fenced in FENCE.findall(text):
        for token in fenced.split():
            token = token.strip("'\",;")
            if _is_pathlike(token, in_code=True):
                found.add(token)
    prose = FENCE.sub("", text)
    found |= {t for t in BACKTICKED.findall(prose) if _is_pathlike(t, in_code=False)}
    return {p.removeprefix("./") for p in found if p}


def _exists(path: str, tracked: set[str]) -> bool:
    if "/" not in path.rstrip("/"):
        name = path.rstrip("/")
        return any(Path(t.rstrip("/")).name == name for t in tracked)
    return path in tracked or f"caseflow/{path}" in tracked or f"{path}/" in tracked


def test_the_rules_find_what_a_reader_takes_for_a_file():
    found = referenced_paths(
        "See `caseflow/cli.py`, [the design](docs/design.md), `messages.po`, `/admin/units/` and\n"
        "`RS/720/2021`, `.docx`, `postgresql+psycopg://u@h/db`, `{series}/{seq}`.\n"
        "```sh\n.venv/bin/python bench/registry.py --out bench/results/x.json\n```\n"
    )
    assert found == {
        "caseflow/cli.py",
        "docs/design.md",
        "messages.po",
        ".venv/bin/python",
        "bench/registry.py",
        "bench/results/x.json",
    }


def test_every_file_the_readme_names_is_in_the_repository():
    tracked = _tracked()
    missing = sorted(
        path
        for path in referenced_paths((ROOT / "README.md").read_text(encoding="utf-8"))
        if not _exists(path, tracked)
        and not any(path.startswith(prefix) or f"/{prefix}" in path for prefix in RUNTIME)
        and path not in NAMES
    )
    assert missing == [], f"README.md names files that are not in the repository: {missing}"

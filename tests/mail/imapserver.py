"""A throwaway Dovecot IMAP server for tests (Debian package ``dovecot-imapd``).

Each instance lives in its own temporary folder (config, base_dir, state, log, maildirs,
rawlog), listens on 127.0.0.1 on a free port without TLS, and is gone after ``stop()``.
Dovecot 2.3 is assumed (Debian 12); setting names differ in 2.4.
"""

from __future__ import annotations

import contextlib
import glob
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from imapclient import IMAPClient, imap_utf7

# Sessions opened by the harness announce themselves with this ID so that
# protocol_log() can leave them out and show only the code under test.
HARNESS_ID = "caseflow-imap-harness"

_SBIN_PATH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
_RAWLOG_STAMP = re.compile(rb"^\d+\.\d+ ")
_LITERAL = re.compile(rb"~?\{(\d+)\+?\}\r?\n$")
_APPENDUID = re.compile(rb"\[APPENDUID (\d+) (\d+)\]")


def dovecot_binary() -> str | None:
    """Find dovecot also where /usr/sbin is not on PATH (non-root shells)."""
    return shutil.which("dovecot", path=_SBIN_PATH)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DovecotServer:
    """Start with ``with DovecotServer() as server:``; ``server.user``/``password`` log in."""

    def __init__(self, users: dict[str, str] | None = None, start_timeout: float = 10.0):
        self.users = dict(users or {"registrar@example.test": "registrar-secret"})
        if any(":" in u or ":" in p for u, p in self.users.items()):
            raise ValueError("':' cannot appear in a passwd-file user or password")
        self.user, self.password = next(iter(self.users.items()))
        self.host = "127.0.0.1"
        self.port = 0
        self.start_timeout = start_timeout
        self.root: Path | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._output = None

    # -- life cycle ---------------------------------------------------------------------

    def __enter__(self) -> DovecotServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        binary = dovecot_binary()
        if binary is None:
            raise RuntimeError("Dovecot (Debian package dovecot-imapd) is not installed")
        if self.root is None:
            self._prepare()
        last_error: RuntimeError | None = None
        # A port found free may be taken before dovecot binds it; try another one then.
        for _ in range(3):
            self.port = self.port or _free_port()
            self._write_config()
            try:
                self._spawn(binary)
                return
            except RuntimeError as error:
                last_error = error
                if "Address already in use" not in str(error):
                    break
                self.port = 0
        self.stop()
        assert last_error is not None
        raise last_error

    def stop(self) -> None:
        self._kill()
        if self.root is not None:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def _prepare(self) -> None:
        # Not pytest's tmp_path: that sits under a 0700 folder the login user can't enter.
        self.root = Path(tempfile.mkdtemp(prefix="caseflow-dovecot-"))
        self.root.chmod(0o755)
        if os.geteuid() == 0:
            # Dovecot refuses root for login processes and for mail access (uid 0), so
            # mail is owned by the package's "dovecot" account.
            self._login_user, self._internal_user = "dovenull", "dovecot"
            account = pwd.getpwnam("dovecot")
            self._uid, self._gid = account.pw_uid, account.pw_gid
        else:
            me = pwd.getpwuid(os.geteuid()).pw_name
            self._login_user = self._internal_user = me
            self._uid, self._gid = os.geteuid(), os.getegid()
        for user in self.users:
            for sub in ("mail", "home", "rawlog"):
                # rawlog_dir only logs when the user's folder already exists.
                self._own(self.root / sub / user)
        self._own(self.root / "state")
        lines = [
            f"{u}:{{PLAIN}}{p}:{self._uid}:{self._gid}::{self.root / 'home' / u}::"
            for u, p in self.users.items()
        ]
        (self.root / "users").write_text("\n".join(lines) + "\n")

    def _own(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        for part in [path, *path.parents]:
            if part == self.root:
                break
            os.chown(part, self._uid, self._gid)

    def _write_config(self) -> None:
        assert self.root is not None
        r = self.root
        group = grp.getgrgid(self._gid).gr_name
        (r / "dovecot.conf").write_text(f"""\
protocols = imap
listen = 127.0.0.1
instance_name = caseflow-test-{r.name}
base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/dovecot.log
auth_verbose = yes
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# A production server slows wrong passwords down (2 s); the tests' wrong password need not wait.
auth_failure_delay = 0
default_login_user = {self._login_user}
default_internal_user = {self._internal_user}
default_internal_group = {group}
first_valid_uid = {self._uid}
first_valid_gid = 0
mail_location = maildir:{r}/mail/%u
rawlog_dir = {r}/rawlog/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {r}/users
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {r}/users
}}
namespace inbox {{
  inbox = yes
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
""")

    def _spawn(self, binary: str) -> None:
        assert self.root is not None
        self._output = open(self.root / "dovecot.out", "ab")  # noqa: SIM115 - closed in _kill
        self._proc = subprocess.Popen(
            [binary, "-F", "-c", str(self.root / "dovecot.conf")],
            stdin=subprocess.DEVNULL,
            stdout=self._output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.start_timeout
        while True:
            # The master accepts connections before imap-login runs, so only the
            # greeting proves the server is ready.
            problem = self._greeting_problem()
            if problem is None:
                break
            if self._proc.poll() is not None or time.monotonic() > deadline:
                message = f"Dovecot did not start on {self.host}:{self.port} ({problem})"
                log = self.log_text()
                self._kill()
                raise RuntimeError(f"{message}\n--- dovecot log ---\n{log}")
            time.sleep(0.02)
        # Log in once, so that auth or mail-location mistakes fail here, not in a test.
        with self.connect() as client:
            client.select_folder("INBOX", readonly=True)

    def _greeting_problem(self) -> str | None:
        try:
            with socket.create_connection((self.host, self.port), timeout=1) as s:
                greeting = s.recv(200)
        except OSError as error:
            return str(error)
        return None if greeting.startswith(b"* OK") else f"greeting {greeting!r}"

    def _kill(self) -> None:
        if self._proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=5)
            # Children (imap, auth, log) share the group; none may outlive the test.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait()
            self._proc = None
        if self._output is not None:
            self._output.close()
            self._output = None

    def log_text(self) -> str:
        """Dovecot's own log plus anything it printed before the log was open."""
        if self.root is None:
            return ""
        parts = [
            (self.root / name).read_text(errors="replace")
            for name in ("dovecot.out", "dovecot.log")
            if (self.root / name).exists()
        ]
        return "\n".join(parts)

    # -- IMAP helpers (their sessions are left out of protocol_log) ----------------------

    @contextlib.contextmanager
    def connect(self, user: str | None = None) -> Iterator[IMAPClient]:
        """A logged-in client for the harness; protocol_log() does not show its commands."""
        user = user or self.user
        with IMAPClient(self.host, self.port, ssl=False, timeout=10) as client:
            password = self.users[user]
            if (user + password).isascii():
                client.login(user, password)
            else:  # LOGIN is ASCII only
                client.plain_login(user, password)
            client.id_({"name": HARNESS_ID})
            yield client

    def append(
        self,
        raw: bytes,
        folder: str = "INBOX",
        flags: Iterable[bytes | str] = (),
        user: str | None = None,
    ) -> int:
        """Deliver like a mail server would; returns the new UID."""
        with self.connect(user) as client:
            response = client.append(folder, raw, flags=tuple(flags))
        match = _APPENDUID.search(response)
        assert match, response
        return int(match.group(2))

    def create_folder(self, folder: str, user: str | None = None) -> None:
        with self.connect(user) as client:
            client.create_folder(folder)

    def folders(self, user: str | None = None) -> list[str]:
        with self.connect(user) as client:
            return sorted(name for _flags, _sep, name in client.list_folders())

    def _read(self, folder: str, items: list[str], user: str | None) -> dict[int, dict]:
        with self.connect(user) as client:
            client.select_folder(folder, readonly=True)  # EXAMINE: no \Seen, no \Recent loss
            uids = client.search()
            return client.fetch(uids, items) if uids else {}

    def folder_messages(self, folder: str = "INBOX", user: str | None = None) -> list[bytes]:
        """Raw messages in UID order (as served: CRLF line ends)."""
        data = self._read(folder, ["BODY.PEEK[]"], user)
        return [data[uid][b"BODY[]"] for uid in sorted(data)]

    def flags(self, folder: str = "INBOX", user: str | None = None) -> dict[int, tuple]:
        """Flags by UID, without \\Recent, which depends on who looked first."""
        data = self._read(folder, ["FLAGS"], user)
        return {
            uid: tuple(f for f in item[b"FLAGS"] if f != b"\\Recent")
            for uid, item in sorted(data.items())
        }

    def uids(self, folder: str = "INBOX", user: str | None = None) -> list[int]:
        return sorted(self._read(folder, ["UID"], user))

    def uidvalidity(self, folder: str = "INBOX", user: str | None = None) -> int:
        return self._status(folder, user)[b"UIDVALIDITY"]

    def _status(self, folder: str, user: str | None) -> dict:
        with self.connect(user) as client:
            return client.folder_status(folder, ["UIDVALIDITY", "UIDNEXT"])

    # -- server-side events --------------------------------------------------------------

    def change_uidvalidity(
        self, folder: str = "INBOX", user: str | None = None, first_uid: int | None = None
    ) -> int:
        """Renumber a folder as after a server rebuild: new UIDVALIDITY, same messages.

        The UIDs start at ``first_uid`` (default: the old UIDNEXT, so no old UID is
        reused; pass 1 to reuse the numbers). Connected clients are dropped, because the
        server restarts. Returns the new UIDVALIDITY.
        """
        user = user or self.user
        status = self._status(folder, user)
        old = status[b"UIDVALIDITY"]
        new = max(old + 1, int(time.time()))
        first_uid = first_uid or status[b"UIDNEXT"]
        assert self.root is not None
        mail_root = self.root / "mail" / user
        folder_dir = mail_root
        if folder.upper() != "INBOX":
            folder_dir = mail_root / ("." + imap_utf7.encode(folder).decode("ascii"))
        self._kill()
        # Without its uidlist and indexes Dovecot takes the maildir files as new mail and
        # numbers them from the uidlist header (format 3: V=UIDVALIDITY, N=next UID).
        stale = [folder_dir / "dovecot-uidlist", *folder_dir.glob("dovecot.index*")]
        stale += mail_root.glob("dovecot.list.index*")  # caches STATUS answers
        for path in stale:
            path.unlink(missing_ok=True)
        (folder_dir / "dovecot-uidlist").write_text(f"3 V{new} N{first_uid}\n")
        os.chown(folder_dir / "dovecot-uidlist", self._uid, self._gid)
        self.start()
        if self.uidvalidity(folder, user) != new:
            raise RuntimeError(f"UIDVALIDITY of {folder} did not change:\n{self.log_text()}")
        return new

    # -- what clients sent ---------------------------------------------------------------

    def protocol_log(self, user: str | None = None) -> list[str]:
        """Commands sent after login, without tags and literal data, oldest first.

        Dovecot's rawlog starts after authentication, so LOGIN itself is never in it.
        Commands are written as they arrive, also while the client is still connected.
        """
        assert self.root is not None
        sessions = []
        for path in glob.glob(str(self.root / "rawlog" / (user or self.user) / "*.in")):
            raw = Path(path).read_bytes()
            commands = _parse_commands(raw)
            if not commands or commands[0].startswith(f'ID ("name" "{HARNESS_ID}")'):
                continue
            sessions.append((float(raw.split(b" ", 1)[0]), path, commands))
        return [command for *_key, commands in sorted(sessions) for command in commands]


def _parse_commands(rawlog: bytes) -> list[str]:
    # Every rawlog line starts with "<unix time> "; literal data lines do too.
    stream = b"".join(
        _RAWLOG_STAMP.sub(b"", line, count=1) for line in rawlog.splitlines(keepends=True)
    )
    commands: list[str] = []
    current = b""
    pos = 0
    while pos < len(stream):
        end = stream.find(b"\n", pos)
        end = len(stream) if end < 0 else end + 1
        line = stream[pos:end]
        pos = end
        literal = _LITERAL.search(line)
        if literal:
            size = int(literal.group(1))
            current += line[: literal.start()] + b"{%d}" % size  # placeholder for the data
            pos += size
            continue
        current += line.rstrip(b"\r\n")
        tag, _, rest = current.decode("utf-8", "replace").partition(" ")
        commands.append(rest or tag)
        current = b""
    return commands

"""A throw-away PostgreSQL server for tests.

``PostgresServer`` runs ``initdb`` in a fresh temp dir and starts the cluster with ``pg_ctl`` on a free
TCP port of 127.0.0.1 (its Unix socket stays in the temp dir), tuned for tests (no fsync). Nothing is
left behind: ``stop()`` stops the server and removes the dir. The server refuses to run as root, so
when the tests run as root (as CI does) the server commands run as the ``postgres`` user.

Each pytest-xdist worker is its own process with its own session fixtures, so each starts its own
server, on its own port, in its own dir.

Fixtures (wired into ``tests/conftest.py``, or imported by a test module):

* ``postgres_server`` (session): the running ``PostgresServer``.
* ``postgres_url`` (function): the SQLAlchemy URL of a fresh, uniquely named database, dropped
  (``WITH (FORCE)``) after the test.

Binaries come from Debian's ``postgresql`` package (``make system-deps`` installs it); the env var
``NEZARAT_PG_BINDIR`` may point at another ``bin`` dir holding ``initdb`` and ``pg_ctl``. The cluster
lives in /dev/shm when it has 1 GiB free (much faster than disk here), else /tmp; ``NEZARAT_PG_TMPDIR``
picks another parent dir.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shlex
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

PG_ROOT = Path("/usr/lib/postgresql")
BINDIR_ENV = "NEZARAT_PG_BINDIR"
TMPDIR_ENV = "NEZARAT_PG_TMPDIR"
SHM_MIN_FREE = 1 << 30  # bytes free on /dev/shm before a cluster goes there
INSTALL_HINT = (
    "PostgreSQL server binaries not found (looked for {root}/*/bin/initdb). Install them with "
    "`apt-get update && apt-get install -y postgresql` (or run `make system-deps`), "
    "or set {env} to a dir holding initdb and pg_ctl."
)
SERVER_USER = "postgres"
START_ATTEMPTS = 3
READY_TIMEOUT_S = 60.0

# Settings for a disposable cluster: durability off, plenty of connections for pooled engines.
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "'32MB'",
    "log_min_messages": "warning",
    "timezone": "'UTC'",
}

_NAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _version_key(bindir: Path) -> tuple[int, ...]:
    name = bindir.parent.name
    try:
        return tuple(int(part) for part in name.split("."))
    except ValueError:
        return (-1,)


def find_bindir() -> Path | None:
    """The ``bin`` dir of the highest installed PostgreSQL version, or None."""
    override = os.environ.get(BINDIR_ENV)
    if override:
        path = Path(override)
        return path if (path / "initdb").is_file() and (path / "pg_ctl").is_file() else None
    found = [d for d in PG_ROOT.glob("*/bin") if (d / "initdb").is_file() and (d / "pg_ctl").is_file()]
    return max(found, key=_version_key) if found else None


def _is_root() -> bool:
    return os.geteuid() == 0


def _server_user_ids() -> tuple[int, int] | None:
    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_gid


def available() -> bool:
    """True when a throw-away server can be started here (binaries, and the postgres user as root)."""
    if find_bindir() is None:
        return False
    return not _is_root() or _server_user_ids() is not None


def _base_parent() -> str | None:
    """Where the cluster's temp dir goes: tmpfs when there is room (initdb and CREATE DATABASE run
    about 10x faster there than on this machine's disk), else /tmp. Short paths either way, for the
    Unix socket path limit, and both reachable by the postgres user (unlike, say, a TMPDIR in /root)."""
    override = os.environ.get(TMPDIR_ENV)
    if override:
        return override
    shm = "/dev/shm"
    try:
        stat = os.statvfs(shm)
        if os.access(shm, os.W_OK | os.X_OK) and stat.f_bavail * stat.f_frsize >= SHM_MIN_FREE:
            return shm
    except OSError:
        pass
    return "/tmp" if Path("/tmp").is_dir() else None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """One throw-away PostgreSQL cluster. Use ``start()``/``stop()`` or ``with PostgresServer() as s``."""

    host = "127.0.0.1"
    user = SERVER_USER

    def __init__(self) -> None:
        bindir = find_bindir()
        if bindir is None:
            raise RuntimeError(INSTALL_HINT.format(root=PG_ROOT, env=BINDIR_ENV))
        self.bindir = bindir
        self.as_root = _is_root()
        if self.as_root and _server_user_ids() is None:
            raise RuntimeError(
                f"running as root but there is no `{SERVER_USER}` user to run the server as; "
                "`apt-get install -y postgresql` creates it"
            )
        self.port: int | None = None
        self.base_dir: Path | None = None
        self.startup_seconds: float | None = None
        self._lock = threading.Lock()
        self._running = False

    # -- paths and commands -------------------------------------------------------------------
    @property
    def data_dir(self) -> Path:
        assert self.base_dir is not None, "server not started"
        return self.base_dir / "data"

    @property
    def log_file(self) -> Path:
        assert self.base_dir is not None, "server not started"
        return self.base_dir / "server.log"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a server binary, as the postgres user when we are root; output is captured."""
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            if shutil.which("runuser"):
                cmd = ["runuser", "-u", SERVER_USER, "--", *cmd]
            else:
                cmd = ["su", SERVER_USER, "-s", "/bin/sh", "-c", shlex.join(cmd)]
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        for var in ("PGDATA", "PGPORT", "PGHOST", "PGUSER", "PGDATABASE", "PGOPTIONS"):
            env.pop(var, None)
        result = subprocess.run(
            cmd,
            cwd=self.base_dir or "/",  # the postgres user may not be able to enter the caller's cwd
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}{result.stderr}"
                f"{self._log_tail()}"
            )
        return result

    def _log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except (OSError, AssertionError):
            return ""
        return "\n--- server log (tail) ---\n" + "\n".join(text.splitlines()[-lines:])

    # -- life cycle -----------------------------------------------------------------------------
    def start(self) -> PostgresServer:
        with self._lock:
            if self._running:
                return self
            began = time.monotonic()
            self._reap_stale()
            self._make_base_dir()
            try:
                self._initdb()
                self._start_on_free_port()
                self._wait_ready()
            except BaseException:
                self._teardown()
                raise
            self._running = True
            self.startup_seconds = time.monotonic() - began
            atexit.register(self.stop)  # in case the session fixture never gets to tear down
            return self

    def _reap_stale(self) -> None:
        """Stop and remove clusters left by test processes that died without tearing down (SIGKILL)."""
        parent = Path(_base_parent() or tempfile.gettempdir())
        for stale in parent.glob("nezarat-pg-*-*"):
            match = re.fullmatch(r"nezarat-pg-(\d+)-\w+", stale.name)
            if not match or _pid_alive(int(match.group(1))):
                continue
            if (stale / "data" / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(stale / "data"), "-m", "immediate", "-w", "stop", check=False)
            shutil.rmtree(stale, ignore_errors=True)

    def _make_base_dir(self) -> None:
        self.base_dir = Path(tempfile.mkdtemp(prefix=f"nezarat-pg-{os.getpid()}-", dir=_base_parent()))
        if self.as_root:
            ids = _server_user_ids()
            assert ids is not None
            os.chown(self.base_dir, *ids)
        self.base_dir.chmod(0o700)

    def _initdb(self) -> None:
        common = ("-D", str(self.data_dir), "-A", "trust", "-U", SERVER_USER, "-E", "UTF8", "--no-sync")
        result = self._run("initdb", *common, "--locale=C.UTF-8", check=False)
        if result.returncode != 0:  # a libc without C.UTF-8: plain C will do for tests
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self._run("initdb", *common, "--locale=C")
        with (self.data_dir / "postgresql.conf").open("a") as conf:  # appending keeps the owner
            conf.write("\n# nezarat test settings\n")
            conf.write(f"unix_socket_directories = '{self.base_dir}'\n")
            for key, value in SETTINGS.items():
                conf.write(f"{key} = {value}\n")

    def _start_on_free_port(self) -> None:
        # Another process may grab the port between our probe and the server's bind: try again.
        for attempt in range(1, START_ATTEMPTS + 1):
            self.port = _free_port()
            result = self._run(
                "pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file), "-w", "-t",
                str(int(READY_TIMEOUT_S)), "-o", f"-p {self.port}", "start", check=False,
            )  # fmt: skip
            if result.returncode == 0:
                return
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "stop", check=False)
            if attempt == START_ATTEMPTS:
                raise RuntimeError(
                    f"PostgreSQL did not start ({START_ATTEMPTS} tries): "
                    f"{result.stdout}{result.stderr}{self._log_tail()}"
                )

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while True:
            try:
                with self.connect():
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"PostgreSQL on port {self.port} never accepted a connection"
                    ) from None
                time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server and remove its dir. Safe to call twice."""
        with self._lock:
            self._running = False
            self._teardown()
        atexit.unregister(self.stop)

    def _teardown(self) -> None:
        if self.base_dir is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            # immediate: no shutdown checkpoint, the data is thrown away anyway
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.base_dir, ignore_errors=True)
        self.base_dir = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- clients ----------------------------------------------------------------------------------
    def url_for(self, dbname: str) -> str:
        """SQLAlchemy URL of a database on this server."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{dbname}"

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the ``postgres`` maintenance database."""
        return self.url_for("postgres")

    def conninfo(self, dbname: str = "postgres") -> str:
        """libpq connection string, for psycopg."""
        return f"host={self.host} port={self.port} user={self.user} dbname={dbname} connect_timeout=10"

    def connect(self, dbname: str = "postgres", **kwargs: object) -> psycopg.Connection:
        return psycopg.connect(self.conninfo(dbname), **kwargs)

    def create_database(self, name: str) -> str:
        """CREATE DATABASE ``name``; returns its SQLAlchemy URL."""
        with self.connect(autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(_check_name(name))))
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """DROP DATABASE ``name`` even if sessions are still connected to it."""
        with self.connect(autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(_check_name(name)))
            )

    def database_names(self) -> set[str]:
        with self.connect() as conn:
            rows = conn.execute("SELECT datname FROM pg_database WHERE NOT datistemplate").fetchall()
        return {row[0] for row in rows}


def _check_name(name: str) -> str:
    if not _NAME_RE.match(name):
        raise ValueError(f"database name {name!r}: use [a-z0-9_], 63 characters at most")
    return name


def unique_database_name(label: str = "") -> str:
    slug = re.sub(r"[^a-z0-9_]+", "_", label.lower()).strip("_")[:40]
    return f"t_{slug}_{uuid.uuid4().hex[:12]}" if slug else f"t_{uuid.uuid4().hex[:12]}"


@contextlib.contextmanager
def temporary_database(server: PostgresServer, label: str = "") -> Iterator[str]:
    """A fresh database for the ``with`` block; yields its URL, drops it (FORCE) afterwards."""
    name = unique_database_name(label)
    url = server.create_database(name)
    try:
        yield url
    finally:
        server.drop_database(name)


# -- pytest fixtures (wire into tests/conftest.py) -------------------------------------------------
@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for this test process (each xdist worker starts its own)."""
    server = PostgresServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """SQLAlchemy URL of a fresh, empty database for one test; dropped (FORCE) after it."""
    with temporary_database(postgres_server, request.node.name) as url:
        yield url

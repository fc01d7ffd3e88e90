"""A real PostgreSQL server for the tests: started once per session on 127.0.0.1 (a free port, a temporary
data directory), a fresh database for each test that asks, stopped at the end.

PostgreSQL is installed from the Debian package (``apt-get install -y postgresql``) when its binaries are
missing and the tests run as root, as CI does; a developer without it and without root gets the
PostgreSQL tests skipped, with the reason. PostgreSQL refuses to run as root: as root, the server runs as
the ``postgres`` system user (``runuser``).
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

_SUPERUSER = "luoshi"
_SYSTEM_USER = "postgres"  # the Debian package's user, who runs the server when the tests run as root


@dataclass
class PostgresServer:
    """A running server: connect as ``luoshi`` (trusted, no password) on 127.0.0.1:``port``."""

    port: int
    folder: Path
    _names = itertools.count(1)

    def url(self, database: str) -> str:
        return f"postgresql://{_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A new, empty database; its name."""
        name = f"luoshi_test_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, ending the sessions still in it (a worker a test killed, a pool not closed)."""
        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _binaries() -> Path | None:
    """The folder of pg_ctl and initdb: on PATH, or the newest of the Debian package's versions."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda path: int(path.parts[-3]))
    return versions[-1].parent if versions else None


def _install() -> Path | None:
    """Install PostgreSQL from the Debian package (as root); the folder of its binaries."""
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    installed = subprocess.run(["apt-get", "install", "-y", "postgresql"], env=environment, capture_output=True)
    if installed.returncode != 0:
        subprocess.run(["apt-get", "update"], env=environment, capture_output=True, check=True)
        subprocess.run(["apt-get", "install", "-y", "postgresql"], env=environment, capture_output=True, check=True)
    return _binaries()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    """``command`` run as the ``postgres`` user when we are root (PostgreSQL will not run as root)."""
    return ["runuser", "-u", _SYSTEM_USER, "--", *command] if os.geteuid() == 0 else command


def start(bin_dir: Path) -> PostgresServer:
    """initdb a temporary folder and start a server on a free port of 127.0.0.1."""
    folder = Path(tempfile.mkdtemp(prefix="luoshi-postgres-"))  # under /tmp: the postgres user can reach it
    if os.geteuid() == 0:
        user = pwd.getpwnam(_SYSTEM_USER)
        os.chown(folder, user.pw_uid, user.pw_gid)
    data = folder / "data"
    subprocess.run(
        _as_server_user(
            [str(bin_dir / "initdb"), "-D", str(data), "-U", _SUPERUSER, "--auth=trust", "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync"]
        ),
        check=True,
        capture_output=True,
    )  # fmt: skip
    port = _free_port()
    options = (
        f"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={folder} "
        "-c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    subprocess.run(
        _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w",
                         "-t", "120", "start"]),
        check=True,
        capture_output=True,
    )  # fmt: skip
    return PostgresServer(port, folder)


def stop(bin_dir: Path, server: PostgresServer) -> None:
    subprocess.run(
        _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(server.folder / "data"), "-m", "fast", "-w", "stop"]),
        capture_output=True,
    )
    shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server (installed first if missing and we are root)."""
    bin_dir = _binaries() or _install()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql, or run the tests as root to have it)")
    server = start(bin_dir)
    try:
        yield server
    finally:
        stop(bin_dir, server)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL of a fresh database on the session's server, dropped after the test."""
    name = postgres_server.create_database()
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.drop_database(name)

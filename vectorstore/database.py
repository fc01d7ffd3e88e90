"""The catalog's database connection: a SQLite file in the data directory (the default) or a PostgreSQL
server (``LUOSHI_DATABASE_URL=postgresql://…``), behind one SQLAlchemy engine.

What differs between the two is kept here:

- SQLite: each connection gets WAL, foreign keys and full sync (or the ``synchronous`` level asked for), and
  a busy timeout; a write transaction starts with ``BEGIN IMMEDIATE`` (it takes SQLite's write lock at once,
  so two writers queue instead of failing).
- PostgreSQL: a write transaction first takes the transaction-scoped advisory lock ``COMMIT_KEY``; a
  store's writers across processes and machines take the session-scoped ``STORE_KEY`` (``write_lock``)
  for a whole write (vectors, catalog, index). The server drops both when a process dies.

>>> database = Database.open("sqlite://")
>>> with database.write() as db:
...     _ = db.exec_driver_sql("CREATE TABLE t (x INTEGER)")
>>> database.dialect
'sqlite'
>>> database.close()
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine, event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool

# Advisory lock keys (any 64-bit numbers; the same in every process using a database).
STORE_KEY = 0x4C756F736869_01  # "Luoshi" 1: one writer of the store at a time (held for a whole write)
COMMIT_KEY = 0x4C756F736869_02  # "Luoshi" 2: one catalog transaction (or schema migration) at a time

_POSTGRES_SCHEMES = ("postgresql", "postgres")
_SQLITE_PRAGMAS = ("journal_mode=WAL", "foreign_keys=ON")
_SQLITE_SYNC_LEVELS = ("OFF", "NORMAL", "FULL", "EXTRA")
BUSY_TIMEOUT_SECONDS = 30  # how long a SQLite writer waits for another's write lock before failing


class DatabaseUrlError(ValueError):
    """LUOSHI_DATABASE_URL names something other than PostgreSQL; the message is for operators."""


def postgres_url(url: str) -> str:
    """``url`` with the psycopg 3 driver named, as SQLAlchemy needs it.

    >>> postgres_url("postgresql://luoshi@db:5432/luoshi")
    'postgresql+psycopg://luoshi@db:5432/luoshi'
    >>> postgres_url("mysql://x/y")
    Traceback (most recent call last):
    ...
    vectorstore.database.DatabaseUrlError: LUOSHI_DATABASE_URL must be a postgresql:// URL, not 'mysql://...'
    """
    scheme, _, rest = url.partition("://")
    if scheme.split("+")[0] not in _POSTGRES_SCHEMES or not rest:
        raise DatabaseUrlError(f"LUOSHI_DATABASE_URL must be a postgresql:// URL, not {scheme + '://...'!r}")
    return f"postgresql+psycopg://{rest}"


def shown_url(url: str) -> str:
    """A database URL without its password, for messages and the audit trail.

    >>> shown_url("postgresql://luoshi:secret@db:5432/luoshi")
    'postgresql://luoshi:***@db:5432/luoshi'
    """
    return make_url(url).render_as_string(hide_password=True)


def is_postgres(location: Path | str | None) -> bool:
    """Whether a catalog location (a SQLite file, or a database URL) is a PostgreSQL server."""
    return isinstance(location, str) and location.partition("://")[0].split("+")[0] in _POSTGRES_SCHEMES


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path)}"


class Database:
    """One SQLAlchemy engine and how its transactions begin. Reads take a pooled connection each, so a
    reader never sees a writer's uncommitted rows; writes go through ``write``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name

    @classmethod
    def open(
        cls, location: Path | str, *, synchronous: str = "FULL", every_transaction_writes: bool = False
    ) -> Database:
        """The database at ``location``: a SQLite file (a Path, or a ``sqlite://`` URL) or a PostgreSQL URL.

        For SQLite, ``synchronous`` is its sync level (``NORMAL`` may lose the last commits in a power cut,
        never the file), and ``every_transaction_writes`` begins every transaction with ``BEGIN IMMEDIATE``
        (for short read-modify-writes through ``engine.begin()``, as the bot's shared state makes).
        """
        if is_postgres(location):
            engine = create_engine(postgres_url(str(location)), pool_pre_ping=True, pool_size=8, max_overflow=16)
            return cls(engine)
        url = location if isinstance(location, str) else sqlite_url(location)
        memory = make_url(url).database in (None, "", ":memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_SECONDS},
            **({"poolclass": StaticPool} if memory else {"pool_size": 8, "max_overflow": 24}),
        )
        if synchronous.upper() not in _SQLITE_SYNC_LEVELS:
            raise ValueError(f"synchronous must be one of {', '.join(_SQLITE_SYNC_LEVELS)}, not {synchronous!r}")
        pragmas = (*_SQLITE_PRAGMAS, f"synchronous={synchronous.upper()}")

        def connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            _sqlite_connect(dbapi_connection, pragmas)

        def begin(connection: Connection) -> None:
            _sqlite_begin(connection, every_transaction_writes)

        event.listen(engine, "connect", connect)
        event.listen(engine, "begin", begin)
        return cls(engine)

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading (its transaction is rolled back when the block ends)."""
        with self.engine.connect() as connection:
            yield connection

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One all-or-nothing write transaction, serialised with every other writer of the database."""
        with self.engine.connect() as connection:
            connection = connection.execution_options(luoshi_write=True)
            with connection.begin():
                if self.is_postgres:
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": COMMIT_KEY})
                yield connection

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the store's session-scoped write lock (PostgreSQL) for the ``with`` block: a writer on
        another machine waits. Nothing to do for SQLite, whose data directory has its file lock."""
        if not self.is_postgres:
            yield
            return
        with self.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STORE_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STORE_KEY})
                connection.commit()

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_connect(dbapi_connection: sqlite3.Connection, pragmas: tuple[str, ...]) -> None:
    """Let SQLAlchemy, not the sqlite3 module, say when transactions begin (see ``_sqlite_begin``); WAL
    (readers never wait for the writer), foreign keys and the sync level."""
    dbapi_connection.isolation_level = None
    for pragma in pragmas:
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _sqlite_begin(connection: Connection, always_immediate: bool) -> None:
    """A write takes SQLite's write lock as it begins (so two writers queue for the busy timeout rather
    than fail); a read reads one snapshot."""
    immediate = always_immediate or connection.get_execution_options().get("luoshi_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

"""The database the bot workers share their conversation state in (SQLAlchemy Core).

``LUOSHI_DATABASE_URL`` names it (PostgreSQL for several machines); by default it is a SQLite file in
the data directory, in WAL mode with a busy timeout, which every worker on one machine can share.
Writes on SQLite start with ``BEGIN IMMEDIATE``, so a read-modify-write (a rate-limit window) is never
interleaved with another process's; PostgreSQL gets a transaction-level advisory lock per key instead
(see ``shared_state.locked``).

>>> state_url(Path("/var/lib/luoshi/data"), None)
'sqlite:////var/lib/luoshi/data/bot_state.sqlite3'
>>> state_url(Path("d"), "postgresql://luoshi@db/luoshi")
'postgresql+psycopg://luoshi@db/luoshi'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa

from vectorstore.database import postgres_url

STATE_FILE = "bot_state.sqlite3"
BUSY_TIMEOUT_SECONDS = 30.0
_ADVISORY_LOCK_SCHEMA = 0x6C756F73  # "luos": serialises creating the tables across PostgreSQL workers

metadata = sa.MetaData()

ENTRIES = sa.Table(
    "luoshi_bot_state",
    metadata,
    sa.Column("kind", sa.String(32), primary_key=True),  # memory, answer, rate
    sa.Column("key", sa.String(128), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),  # JSON
    sa.Column("stored_at", sa.Float, nullable=False),  # seconds since the epoch; for the time to live
    sa.Column("used_at", sa.Float, nullable=False),  # for least-recently-used eviction
    sa.Index("luoshi_bot_state_used", "kind", "used_at"),
    sa.Index("luoshi_bot_state_stored", "kind", "stored_at"),
)


def state_url(data_dir: Path, database_url: str | None) -> str:
    """The SQLAlchemy URL of the state database: ``database_url``, else SQLite in ``data_dir``.

    A plain ``postgresql://`` URL is given the psycopg (3) driver, the one Luoshi depends on.
    """
    if not database_url:
        return f"sqlite:///{(data_dir / STATE_FILE).absolute()}"
    return postgres_url(database_url)


def open_state_database(data_dir: Path, database_url: str | None) -> sa.Engine:
    """An engine on the state database, its table created if missing. ``dispose()`` it when done."""
    url = state_url(data_dir, database_url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
        sa.event.listen(engine, "connect", _sqlite_connected)
        sa.event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_ADVISORY_LOCK_SCHEMA)))
            metadata.create_all(connection)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _sqlite_connected(dbapi_connection: Any, _record: Any) -> None:
    """WAL (readers never wait for the writer), and transactions begun by us (see ``_sqlite_begin``)."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # losing the last moments of chat state in a power cut is fine
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_SECONDS * 1000)}")
    cursor.close()


def _sqlite_begin(connection: sa.Connection) -> None:
    """Take the write lock at the start: each transaction here is short and most of them write."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")

"""The database the bot workers share their conversation state in (SQLAlchemy Core).

``LUOSHI_DATABASE_URL`` names it (PostgreSQL for several machines); by default it is a SQLite file in
the data directory, which every worker on one machine can share. It is opened like the catalog
(``vectorstore.database.Database``: WAL and a busy timeout on SQLite), except that every SQLite
transaction begins with ``BEGIN IMMEDIATE``, so a read-modify-write (a rate-limit window) is never
interleaved with another process's, and that losing the last moments of chat state in a power cut is
fine (``synchronous=NORMAL``). PostgreSQL gets a transaction-level advisory lock per key instead (see
``bot.shared.table.SharedTable.update``).

>>> state_url(Path("/var/lib/luoshi/data"), None)
'sqlite:////var/lib/luoshi/data/bot_state.sqlite3'
>>> state_url(Path("d"), "postgresql://luoshi@db/luoshi")
'postgresql+psycopg://luoshi@db/luoshi'
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from vectorstore.database import Database, postgres_url

STATE_FILE = "bot_state.sqlite3"

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
    database = Database.open(state_url(data_dir, database_url), synchronous="NORMAL", every_transaction_writes=True)
    try:
        with database.write() as connection:  # one worker creates the table, the others wait and find it
            metadata.create_all(connection)
    except BaseException:
        database.close()
        raise
    return database.engine

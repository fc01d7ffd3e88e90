"""A bounded, expiring map of JSON strings in the state database, shared by every bot worker.

One ``kind`` of entry per map (follow-up memory, answer messages, rate-limit windows), all in one
table (``bot.shared.database.ENTRIES``). Like an LRU cache: at most ``max_size`` entries of a kind (the least
recently used go first) and each for at most ``ttl`` seconds after it was stored. Time is the wall
clock, because workers on several machines compare it.

>>> import tempfile
>>> from pathlib import Path
>>> from bot.shared.database import open_state_database
>>> folder = Path(tempfile.mkdtemp())
>>> table = SharedTable(open_state_database(folder, None), "demo", max_size=2)
>>> table.put("a", '"x"'); table.get("a")
'"x"'
>>> table.update("n", lambda old: str(int(old or 0) + 1)); table.update("n", lambda old: str(int(old or 0) + 1))
'1'
'2'
>>> table.put("b", "1"); len(table)
2
>>> table.engine.dispose()
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from bot.shared.database import ENTRIES


class SharedTable:
    """Entries of one ``kind``: ``get``, ``put``, ``pop`` and ``update`` (read-modify-write, locked)."""

    def __init__(
        self,
        engine: sa.Engine,
        kind: str,
        max_size: int,
        ttl: float | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self.engine = engine
        self.kind = kind
        self.max_size = max_size
        self.ttl = ttl
        self._clock = clock

    def _where(self, key: str) -> sa.ColumnElement[bool]:
        return sa.and_(ENTRIES.c.kind == self.kind, ENTRIES.c.key == key)

    def _live(self, stored_at: float, now: float) -> bool:
        return self.ttl is None or now - stored_at <= self.ttl

    def get(self, key: str) -> str | None:
        """The value of ``key``, or None if there is none or it expired; marks it used."""
        with self.engine.begin() as connection:
            row = connection.execute(sa.select(ENTRIES.c.value, ENTRIES.c.stored_at).where(self._where(key))).first()
            if row is None:
                return None
            now = self._clock()
            if not self._live(row.stored_at, now):
                connection.execute(sa.delete(ENTRIES).where(self._where(key)))
                return None
            connection.execute(sa.update(ENTRIES).where(self._where(key)).values(used_at=now))
            return row.value

    def put(self, key: str, value: str) -> None:
        """Store ``value`` under ``key`` (its time to live starts now), then drop expired and surplus entries."""
        with self.engine.begin() as connection:
            self._write(connection, key, value, self._clock(), fresh=True)
            self._prune(connection, self._clock())

    def pop(self, key: str) -> str | None:
        """Remove ``key``; its value if it had a live one."""
        with self.engine.begin() as connection:
            row = connection.execute(sa.select(ENTRIES.c.value, ENTRIES.c.stored_at).where(self._where(key))).first()
            connection.execute(sa.delete(ENTRIES).where(self._where(key)))
            return row.value if row is not None and self._live(row.stored_at, self._clock()) else None

    def update(self, key: str, change: Callable[[str | None], str]) -> str:
        """Replace the value of ``key`` (None if missing or expired) by ``change(value)``, with no other
        worker's update of the same key in between; returns the new value. The time to live is kept."""
        with self.engine.begin() as connection:
            self._lock(connection, key)
            row = connection.execute(sa.select(ENTRIES.c.value, ENTRIES.c.stored_at).where(self._where(key))).first()
            now = self._clock()
            live = row is not None and self._live(row.stored_at, now)
            value = change(row.value if live else None)  # type: ignore[union-attr]
            self._write(connection, key, value, now if not live else row.stored_at, fresh=not live)  # type: ignore[union-attr]
            self._prune(connection, now)
            return value

    def __len__(self) -> int:
        """Live entries of this kind."""
        query = sa.select(sa.func.count()).select_from(ENTRIES).where(ENTRIES.c.kind == self.kind)
        if self.ttl is not None:
            query = query.where(ENTRIES.c.stored_at >= self._clock() - self.ttl)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    # -- internals ------------------------------------------------------------------------------------

    def _lock(self, connection: sa.Connection, key: str) -> None:
        """Serialise updates of ``key`` across workers: SQLite's ``BEGIN IMMEDIATE`` already has; on
        PostgreSQL an advisory lock held until the transaction ends."""
        if connection.dialect.name == "postgresql":
            lock_id = zlib.crc32(f"{self.kind}\0{key}".encode())
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(lock_id)))

    def _write(self, connection: sa.Connection, key: str, value: str, stored_at: float, *, fresh: bool) -> None:
        now = self._clock()
        values = {"kind": self.kind, "key": key, "value": value, "stored_at": stored_at, "used_at": now}
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(ENTRIES).values(**values)
        changed = {"value": value, "used_at": now, **({"stored_at": stored_at} if fresh else {})}
        connection.execute(statement.on_conflict_do_update(index_elements=["kind", "key"], set_=changed))

    def _prune(self, connection: sa.Connection, now: float) -> None:
        """Delete this kind's expired entries, then all but the ``max_size`` most recently used."""
        mine = ENTRIES.c.kind == self.kind
        if self.ttl is not None:
            connection.execute(sa.delete(ENTRIES).where(mine, ENTRIES.c.stored_at < now - self.ttl))
        surplus = sa.select(ENTRIES.c.key).where(mine).order_by(ENTRIES.c.used_at.desc()).offset(self.max_size)
        connection.execute(sa.delete(ENTRIES).where(mine, ENTRIES.c.key.in_(surplus)))

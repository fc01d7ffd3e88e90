"""The two setups a scale-out benchmark compares, and what it reads about processes.

``embedded``: SQLite catalog, Chroma in the data directory, bm25s (the default). ``servers``: the
catalog in PostgreSQL, the vectors on a ``chroma run`` server, tantivy; both servers are started
for the run on 127.0.0.1 with temporary folders (``tests/servers_postgres.py``,
``tests/servers_chroma.py``) and stopped afterwards.

    with backend("servers", Path("/tmp/x")) as setup:
        Store(data_dir, model, **setup.store_options())
"""

from __future__ import annotations

import contextlib
import os
import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BACKENDS = ("embedded", "servers")


@dataclass(frozen=True)
class Backend:
    """Where a store keeps its parts (``None``: in the data directory).

    >>> Backend("embedded").settings()
    {'lexical_index': 'bm25s'}
    """

    name: str
    database_url: str | None = None
    chroma_url: str | None = None
    lexical: str = "bm25s"
    server_pids: tuple[int, ...] = ()  # the Chroma server's process, whose memory holds the vectors

    def store_options(self) -> dict[str, str | None]:
        """Keyword arguments of ``Store``."""
        return {"chroma_url": self.chroma_url, "database_url": self.database_url, "lexical": self.lexical}

    def settings(self) -> dict[str, str]:
        """The ``LUOSHI_*`` settings (lower case, without the prefix) a worker needs for it."""
        values = {"database_url": self.database_url, "chroma_url": self.chroma_url, "lexical_index": self.lexical}
        return {key: value for key, value in values.items() if value is not None}

    def describe(self) -> str:
        if self.name == "embedded":
            return "embedded (SQLite catalog, local Chroma, bm25s)"
        return f"servers (PostgreSQL catalog and bot state, `chroma run`, {self.lexical})"


@contextlib.contextmanager
def backend(name: str, folder: Path) -> Iterator[Backend]:
    """The setup ``name``; for ``servers``, PostgreSQL and ``chroma run`` live until the block ends."""
    if name == "embedded":
        yield Backend(name)
        return
    if name != "servers":
        raise ValueError(f"unknown backend {name!r}: one of {', '.join(BACKENDS)}")
    from tests import servers_postgres
    from tests.servers_chroma import start_chroma, stop_chroma

    bin_dir = servers_postgres._binaries() or servers_postgres._install()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    folder.mkdir(parents=True, exist_ok=True)
    postgres = servers_postgres.start(bin_dir)
    try:
        database = postgres.create_database()
        chroma, url = start_chroma(folder / "chroma-server", folder / "chroma.log")
        try:
            yield Backend(name, postgres.url(database), url, "tantivy", (chroma.pid,))
        finally:
            stop_chroma(chroma)
    finally:
        servers_postgres.stop(bin_dir, postgres)


def rss_mb(pid: int) -> float:
    """Resident memory of a process (Linux ``/proc``), 0 where unavailable."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb(pid: int | None = None) -> float:
    """The highest resident memory a process reached (``VmHWM``), 0 where unavailable."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid or os.getpid()}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float | None:
    """The value under which ``share`` of ``values`` lie (inclusive method); ``None`` when empty.

    >>> percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.5)
    3.0
    """
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]

"""The state database the bot workers share, under concurrency: several engines (as several worker
processes have) updating the same entries at once lose no update and let no extra question through."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.shared.database import open_state_database
from bot.shared.limits import OnceGate, QuestionRateLimiter
from bot.shared.table import SharedTable

WORKERS = 4
TRIES = 30


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[list[sa.Engine]]:
    """One engine per simulated worker on the default state database (SQLite in the data directory)."""
    engines = [open_state_database(tmp_path, None) for _ in range(WORKERS)]
    yield engines
    for engine in engines:
        engine.dispose()


def _in_parallel(work: list) -> None:
    threads = [threading.Thread(target=job) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_concurrent_updates_from_several_workers_lose_nothing(databases: list[sa.Engine]) -> None:
    tables = [SharedTable(engine, "counter", max_size=10) for engine in databases]

    def count(table: SharedTable) -> None:
        for _ in range(TRIES):
            table.update("n", lambda value: str(int(value or 0) + 1))

    _in_parallel([lambda table=table: count(table) for table in tables])
    assert tables[0].get("n") == str(WORKERS * TRIES)


def test_the_rate_limit_holds_exactly_across_workers(databases: list[sa.Engine]) -> None:
    limiters = [QuestionRateLimiter(25, engine) for engine in databases]
    allowed: list[bool] = []

    def ask(limiter: QuestionRateLimiter) -> None:
        for _ in range(TRIES):
            allowed.append(limiter.hit(77) is None)

    _in_parallel([lambda limiter=limiter: ask(limiter) for limiter in limiters])
    assert sum(allowed) == 25 and len(allowed) == WORKERS * TRIES
    assert sum(limiter.should_notify(77, 60.0) for limiter in limiters) == 1  # told once, by one worker


def test_on_postgresql_workers_create_the_table_once_and_share_every_entry(postgres_url: str, tmp_path: Path) -> None:
    """Workers opening the state database in the catalog's PostgreSQL at once: one creates the table, and
    counters, the rate limit and the once-only refusal hold across them."""
    engines: list[sa.Engine] = []
    _in_parallel([lambda: engines.append(open_state_database(tmp_path, postgres_url)) for _ in range(WORKERS)])
    try:
        tables = [SharedTable(engine, "counter", max_size=10) for engine in engines]
        _in_parallel(
            [
                lambda table=table: [table.update("n", lambda v: str(int(v or 0) + 1)) for _ in range(10)]
                for table in tables
            ]
        )
        assert tables[0].get("n") == str(WORKERS * 10)
        firsts: list[bool] = []
        gates = [OnceGate(engine) for engine in engines]
        _in_parallel([lambda gate=gate: firsts.append(gate.first_time("user:1003")) for gate in gates])
        assert sorted(firsts) == [False] * (WORKERS - 1) + [True]
    finally:
        for engine in engines:
            engine.dispose()

"""Limits every channel's workers count together: a refusal told once, and questions per user per minute.

Both live in the shared state database (``bot.shared.table``), so a user served by two workers is
counted once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from pydantic import TypeAdapter

from bot.shared.table import SharedTable


class OnceGate:
    """Remembers keys already seen, in the shared state database: a key is "first" once across every
    worker. Bounded (least recently seen forgotten first).

    Used so that an outsider gets exactly one polite refusal rather than one per message, whichever
    worker each message reaches.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from bot.shared.database import open_state_database
    >>> gate = OnceGate(open_state_database(Path(tempfile.mkdtemp()), None))
    >>> gate.first_time("user:7"), gate.first_time("user:7")
    (True, False)
    """

    def __init__(self, database: sa.Engine, max_keys: int = 10_000) -> None:
        self._seen = SharedTable(database, "refused", max_keys, ttl=None)

    def first_time(self, key: str) -> bool:
        """True the first time any worker sees ``key`` (and records it)."""
        # Read and marked with no other worker in between: only the first finds nothing there.
        return self._seen.update(key, lambda value: "first" if value is None else "seen") == "first"

    def __len__(self) -> int:
        return len(self._seen)


@dataclass
class _Window:
    """One user's questions in the last window (times, oldest first) and until when they were told."""

    hits: list[float]
    notified_until: float = 0.0


_WINDOW = TypeAdapter(_Window)


class QuestionRateLimiter:
    """Sliding-window limit of questions per user per minute, counted across every worker.

    Our own rather than PTB's ``AIORateLimiter``: that one paces the *bot's* calls to Telegram (flood
    limits) by waiting; this one protects the engine from one user's burst of *questions* and answers
    the user at once with a friendly message instead of queueing the work. The windows live in the
    shared state database (``bot.shared.table``), so a user cannot double the limit by being served by two
    workers.
    """

    def __init__(
        self,
        per_minute: int,
        database: sa.Engine,
        *,
        window_seconds: float = 60.0,
        max_users: int = 10_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.per_minute = per_minute
        self.window = window_seconds
        self._clock = clock
        self._users = SharedTable(database, "rate", max_users, ttl=None, clock=clock)

    def hit(self, user_id: int | str) -> float | None:
        """Record a question; return None if allowed, else the seconds until the next is allowed."""
        wait: list[float] = []

        def count(value: str | None) -> str:
            now = self._clock()
            state = _Window([]) if value is None else _WINDOW.validate_json(value)
            hits = [at for at in state.hits if at > now - self.window]
            if len(hits) >= self.per_minute:
                wait.append(max(0.0, hits[0] + self.window - now))
            else:
                hits.append(now)
            return _WINDOW.dump_json(_Window(hits, state.notified_until)).decode()

        self._users.update(str(user_id), count)
        return wait[0] if wait else None

    def should_notify(self, user_id: int | str, wait: float) -> bool:
        """Tell a limited user once per blocked period, not on every message."""
        told: list[bool] = []

        def note(value: str | None) -> str:
            now = self._clock()
            state = _Window([]) if value is None else _WINDOW.validate_json(value)
            if value is not None and now >= state.notified_until:
                state = _Window(state.hits, now + wait)
                told.append(True)
            return _WINDOW.dump_json(state).decode()

        self._users.update(str(user_id), note)
        return bool(told)

    def __len__(self) -> int:
        return len(self._users)

"""Who may use the bot: allow-lists, admins, refusing once, and the per-user question rate limit."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import sqlalchemy as sa
from pydantic import TypeAdapter

from bot.settings import Settings
from bot.telegram.shared_state import SharedTable


class Decision(Enum):
    """The outcome of an access check."""

    ALLOWED = "allowed"
    USER_NOT_ALLOWED = "user_not_allowed"  # private chat with a user who is not on the list
    CHAT_NOT_ALLOWED = "chat_not_allowed"  # group chat that is not on the list


@dataclass(frozen=True)
class AccessPolicy:
    """Allow-lists from settings. Admins are always allowed users.

    In a private chat the *user* must be allowed. In a group the *chat* must be allowed: an answer
    posted in a group is read by every member, so an allowed user in an unlisted group gets nothing.
    """

    admin_ids: frozenset[int]
    allowed_user_ids: frozenset[int]
    allowed_chat_ids: frozenset[int]
    open_to_everyone: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> AccessPolicy:
        return cls(
            admin_ids=settings.admin_ids,
            allowed_user_ids=settings.allowed_user_ids,
            allowed_chat_ids=settings.allowed_chat_ids,
            open_to_everyone=settings.open_to_everyone,
        )

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids

    def check(self, user_id: int | None, chat_id: int, private: bool) -> Decision:
        """May this user, in this chat, get answers from the documents?"""
        if self.open_to_everyone:
            return Decision.ALLOWED
        if private:
            if user_id is not None and (user_id in self.allowed_user_ids or user_id in self.admin_ids):
                return Decision.ALLOWED
            return Decision.USER_NOT_ALLOWED
        if chat_id in self.allowed_chat_ids:
            return Decision.ALLOWED
        return Decision.CHAT_NOT_ALLOWED


class OnceGate:
    """Remembers keys already seen, in the shared state database: a key is "first" once across every
    worker. Bounded (least recently seen forgotten first).

    Used so that an outsider gets exactly one polite refusal rather than one per message, whichever
    worker each message reaches.

    >>> import tempfile
    >>> from pathlib import Path
    >>> from bot.telegram.state_db import open_state_database
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
    shared state database (``shared_state``), so a user cannot double the limit by being served by two
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

    def hit(self, user_id: int) -> float | None:
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

    def should_notify(self, user_id: int, wait: float) -> bool:
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

"""Small, bounded in-memory state: the last answer per chat (for follow-ups) and recent answer messages
(for the source buttons). Nothing here is persisted; a restart forgets it, which is harmless."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.answers import Answer

K = TypeVar("K")
V = TypeVar("V")


class BoundedLRU(Generic[K, V]):
    """A mapping that keeps at most ``max_size`` entries, each for at most ``ttl`` seconds."""

    def __init__(self, max_size: int, ttl: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        if max_size < 1:
            raise ValueError("max_size must be at least 1")
        self.max_size = max_size
        self.ttl = ttl
        self._clock = clock
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        item = self._items.get(key)
        if item is None:
            return None
        stored_at, value = item
        if self.ttl is not None and self._clock() - stored_at > self.ttl:
            del self._items[key]
            return None
        self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = (self._clock(), value)
        self._items.move_to_end(key)
        while len(self._items) > self.max_size:
            self._items.popitem(last=False)

    def pop(self, key: K) -> V | None:
        item = self._items.pop(key, None)
        return None if item is None else item[1]

    def __len__(self) -> int:
        return len(self._items)


class ChatMemory:
    """The last answer that found something, per chat: the context for a follow-up question.

    Short-lived by design (``ttl``): a question an hour later is a new conversation.
    """

    def __init__(self, max_chats: int = 2_000, ttl: float = 30 * 60) -> None:
        self._last: BoundedLRU[int, Answer] = BoundedLRU(max_chats, ttl)

    def previous(self, chat_id: int) -> Answer | None:
        return self._last.get(chat_id)

    def remember(self, chat_id: int, answer: Answer) -> None:
        """Keep ``answer`` as the context if it found something; a refusal keeps the older context."""
        if answer.found:
            self._last.put(chat_id, answer)

    def __len__(self) -> int:
        return len(self._last)


@dataclass(frozen=True)
class AnswerMessage:
    """An answer as shown in one Telegram message that carries source buttons."""

    answer: Answer
    html: str  # the text of that message, to restore it after showing a source in place


class AnswerArchive:
    """Recent answer messages by (chat id, message id), for source buttons and replies to answers.

    Our own rather than PTB's ``arbitrary_callback_data``: the buttons only need "src:N" (a message's
    chat and id come with every button press), replying to an answer needs the same lookup, and it
    spares the ``callback-data`` extra.
    """

    def __init__(self, max_messages: int = 2_000, ttl: float = 7 * 24 * 3600) -> None:
        self._messages: BoundedLRU[tuple[int, int], AnswerMessage] = BoundedLRU(max_messages, ttl)

    def get(self, chat_id: int, message_id: int) -> AnswerMessage | None:
        return self._messages.get((chat_id, message_id))

    def put(self, chat_id: int, message_id: int, entry: AnswerMessage) -> None:
        self._messages.put((chat_id, message_id), entry)

    def __len__(self) -> int:
        return len(self._messages)

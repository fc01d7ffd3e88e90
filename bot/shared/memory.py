"""Conversation state shared by every worker through the state database (``bot.shared.table``):
the last answer per chat (for follow-ups) and recent answer messages (for the source buttons).

Both are bounded and short-lived; answers are stored as JSON (pydantic reads the dataclasses back).

>>> import tempfile
>>> from pathlib import Path
>>> from bot.shared.database import open_state_database
>>> database = open_state_database(Path(tempfile.mkdtemp()), None)
>>> memory = ChatMemory(database)
>>> memory.remember(7, Answer("谁牵头？", "李新。", True, "lead", entity="李新"))
>>> memory.previous(7).entity
'李新'
>>> database.dispose()
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from pydantic import TypeAdapter

from bot.answers import Answer
from bot.shared.table import SharedTable


class ChatMemory:
    """The last answer that found something, per chat: the context for a follow-up question.

    Short-lived by design (``ttl``): a question an hour later is a new conversation.
    """

    def __init__(
        self,
        database: sa.Engine,
        max_chats: int = 2_000,
        ttl: float = 30 * 60,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._last = SharedTable(database, "memory", max_chats, ttl, clock)

    def previous(self, chat_id: int | str) -> Answer | None:
        value = self._last.get(str(chat_id))
        return None if value is None else _ANSWER.validate_json(value)

    def remember(self, chat_id: int | str, answer: Answer) -> None:
        """Keep ``answer`` as the context if it found something; a refusal keeps the older context."""
        if answer.found:
            self._last.put(str(chat_id), _ANSWER.dump_json(answer).decode())

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
    spares the ``callback-data`` extra. Shared, so a button works on whichever worker gets the press.
    """

    def __init__(
        self,
        database: sa.Engine,
        max_messages: int = 2_000,
        ttl: float = 7 * 24 * 3600,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._messages = SharedTable(database, "answer", max_messages, ttl, clock)

    def get(self, chat_id: int, message_id: int) -> AnswerMessage | None:
        value = self._messages.get(f"{chat_id}:{message_id}")
        return None if value is None else _MESSAGE.validate_json(value)

    def put(self, chat_id: int, message_id: int, entry: AnswerMessage) -> None:
        self._messages.put(f"{chat_id}:{message_id}", _MESSAGE.dump_json(entry).decode())

    def __len__(self) -> int:
        return len(self._messages)


_ANSWER = TypeAdapter(Answer)
_MESSAGE = TypeAdapter(AnswerMessage)

"""What users do in the fake Bot API: texts, documents and button presses, queued as updates.

Each becomes an update for the bot's ``getUpdates``; texts carry the entities Telegram adds (a
leading bot command, @mentions).
"""

from __future__ import annotations

import re
import time
from typing import Any

from fake_telegram_rules import utf16_len
from fake_telegram_state import FakeTelegramState

_COMMAND = re.compile(r"^(/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?)")


class FakeTelegramUsers(FakeTelegramState):
    """The user side of the fake: messages as Telegram would deliver them to the bot."""

    def user_message(
        self,
        chat: dict[str, Any],
        user: dict[str, Any],
        text: str | None = None,
        *,
        reply_to: dict[str, Any] | None = None,
        document: dict[str, Any] | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """A message from a user, with the entities Telegram would add (commands, @mentions)."""
        self.chats[chat["id"]] = chat
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
        }
        if text is not None:
            message["text"] = text
            entities = self._entities(text)
            if entities:
                message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if document is not None:
            message["document"] = document
        if caption is not None:
            message["caption"] = caption
        self.messages[(chat["id"], message["message_id"])] = message
        return message

    def _entities(self, text: str) -> list[dict[str, Any]]:
        """The entities Telegram marks in a user's text: a leading bot command and @mentions."""
        entities = []
        command = _COMMAND.match(text)
        if command:
            entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group(1))})
        for match in re.finditer(r"@[A-Za-z0-9_]{5,32}", text):
            entities.append(
                {"type": "mention", "offset": utf16_len(text[: match.start()]), "length": len(match.group())}
            )
        return entities

    def send_text(self, chat: dict[str, Any], user: dict[str, Any], text: str, **kwargs: Any) -> dict[str, Any]:
        """A user sends ``text``; returns the message."""
        message = self.user_message(chat, user, text, **kwargs)
        self.queue_update({"message": message})
        return message

    def send_document(
        self,
        chat: dict[str, Any],
        user: dict[str, Any],
        content: bytes,
        file_name: str,
        mime_type: str,
        caption: str | None = None,
        *,
        declared_size: int | None = None,
        chunked: bool = False,
    ) -> dict[str, Any]:
        """A user sends a file (stored for getFile and download); returns the message.

        ``declared_size``: the file_size Telegram states, if not the real one; ``chunked``: the
        download comes without Content-Length.
        """
        file_id = self.add_file(content, file_name, declared_size=declared_size, chunked=chunked)
        document = {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": self.stated_size(file_id),
        }
        message = self.user_message(chat, user, document=document, caption=caption)
        self.queue_update({"message": message})
        return message

    def press_button(self, user: dict[str, Any], bot_message: dict[str, Any], data: str) -> str:
        """A user presses an inline button under one of the bot's messages; returns the query id."""
        query_id = f"Q{next(self._callback_ids)}"
        current = self.messages[(bot_message["chat"]["id"], bot_message["message_id"])]
        self.queue_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "message": {key: value for key, value in current.items() if key != "html"},
                    "chat_instance": f"CI{bot_message['chat']['id']}",
                    "data": data,
                }
            }
        )
        return query_id

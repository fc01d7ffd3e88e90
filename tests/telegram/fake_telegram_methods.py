"""The Bot API methods the fake implements, with Telegram's JSON shapes: one ``_api_<method>`` each.

The HTTP server (``fake_telegram_api``) dispatches a call of ``<method>`` to ``_api_<method>``
with its parameters (and, for ``UPLOAD_METHODS``, its uploaded files); an ``ApiError`` becomes
Telegram's error answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import mimetypes
import time
from typing import Any

from fake_telegram_rules import ApiError, check_caption, check_commands, check_text
from fake_telegram_state import FakeTelegramState

UPLOAD_METHODS = {"sendDocument"}


class FakeBotMethods(FakeTelegramState):
    """The methods the bot calls, answered from and recorded into the fake's state."""

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        """A chat the fake has seen a message in; ApiError "chat not found" otherwise."""
        try:
            wanted = int(chat_id)
        except (TypeError, ValueError) as error:
            raise ApiError(400, "Bad Request: chat not found") from error
        chat = self.chats.get(wanted)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _replied(self, chat: dict[str, Any], params: dict[str, Any]) -> dict[str, Any] | None:
        """The message ``reply_parameters`` points to, if any; ApiError if it is gone and that is not allowed."""
        reply = params.get("reply_parameters")
        if not reply:
            return None
        replied = self.messages.get((chat["id"], int(reply["message_id"])))
        if replied is None and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
        return replied

    async def _api_getMe(self, params: dict[str, Any]) -> Any:
        return self.bot

    async def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        self._updates = [update for update in self._updates if update["update_id"] >= offset]

        def pending() -> list[dict[str, Any]]:
            return [update for update in self._updates if update["update_id"] >= offset][:limit]

        async with self._cond:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._cond.wait_for(pending), timeout)
        return pending()

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _api_setWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = params
        return True

    async def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        check_commands(params.get("commands") or [])
        return True

    async def _api_sendChatAction(self, params: dict[str, Any]) -> Any:
        self._chat(params.get("chat_id"))
        return True

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        rendered = check_text(params)
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot,
            "text": rendered,
        }
        replied = self._replied(chat, params)
        if replied is not None:
            message["reply_to_message"] = replied
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        message["html"] = params["text"]
        self.messages[(chat["id"], message["message_id"])] = message
        return {key: value for key, value in message.items() if key != "html"}

    async def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        key = (chat["id"], int(params.get("message_id") or 0))
        message = self.messages.get(key)
        if message is None or message["from"]["id"] != self.bot["id"]:
            raise ApiError(400, "Bad Request: message to edit not found")
        rendered = check_text(params)
        markup = params.get("reply_markup")
        if message.get("html") == params["text"] and message.get("reply_markup") == markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message",
            )
        message.update(text=rendered, html=params["text"], edit_date=int(time.time()))
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return {k: v for k, v in message.items() if k != "html"}

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        if not str(params.get("callback_query_id", "")).startswith("Q"):
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        return True

    async def _api_getFile(self, params: dict[str, Any]) -> Any:
        file_id = params.get("file_id")
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        file_path, _content = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}",
            "file_size": self.stated_size(file_id),
            "file_path": file_path,
        }

    async def _api_sendDocument(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        """A document sent by multipart upload (field ``document`` or ``attach://name``) or by file_id."""
        chat = self._chat(params.get("chat_id"))
        reference = params.get("document")
        if isinstance(reference, str) and reference.startswith("attach://"):
            upload = files.get(reference.removeprefix("attach://"))
        else:
            upload = files.get("document")
        if upload is None and isinstance(reference, str) and reference in self.files:
            file_path, content = self.files[reference]
            upload = (file_path.rsplit("/", 1)[-1], content)
        if upload is None:
            raise ApiError(400, "Bad Request: there is no document in the request")
        file_name, content = upload
        if not content:
            raise ApiError(400, "Bad Request: file must be non-empty")
        caption = check_caption(params)
        file_id = self.add_file(content, file_name)
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot,
            "document": {
                "file_id": file_id,
                "file_unique_id": f"U{file_id}",
                "file_name": file_name,
                "mime_type": _mime_type(file_name),
                "file_size": len(content),
            },
        }
        if caption:
            message["caption"] = caption
        replied = self._replied(chat, params)
        if replied is not None:
            message["reply_to_message"] = replied
        self.messages[(chat["id"], message["message_id"])] = message
        return message


def _mime_type(file_name: str) -> str:
    """The MIME type Telegram would report for ``file_name``."""
    return mimetypes.guess_type(file_name)[0] or "application/octet-stream"

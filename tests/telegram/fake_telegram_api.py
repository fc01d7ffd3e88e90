"""A small fake Telegram Bot API server for tests (aiohttp, 127.0.0.1, random port).

It implements the methods the bot uses with Telegram's JSON shapes (``sendDocument`` too, by
multipart upload), records every call (method and parameters, multipart uploads included), serves
queued updates through long-polling ``getUpdates`` and file downloads at
``/file/bot<token>/<file_path>``, and enforces the Telegram rules that a bot most often breaks: HTML
that Telegram cannot parse, texts over 4096 characters, captions over 1024, callback data over 64
bytes, editing a message into exactly what it already is. It can fail a chosen method once
(e.g. 429 with ``retry_after``, or a dropped connection).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import mimetypes
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "tg-emoji",
    "blockquote",
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:=\"[^\"]*\"|='[^']*')?)*)\s*>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_COMMAND = re.compile(r"^(/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?)")
MAX_TEXT = 4096
MAX_CAPTION = 1024
_UPLOAD_METHODS = {"sendDocument"}
_INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id", "max_connections"}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def html_to_text(source: str) -> str:
    """Parse Telegram-flavoured HTML like Telegram does; raise ValueError with Telegram's complaint."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "<":
            match = _TAG.match(source, i)
            if match is None:
                raise ValueError(f"Unsupported start tag at byte offset {i}")
            closing, name = match.group(1) == "/", match.group(2).lower()
            if name not in ALLOWED_TAGS:
                raise ValueError(f'Unsupported start tag "{name}" at byte offset {i}')
            if closing:
                if not stack or stack[-1] != name:
                    raise ValueError(f'Unexpected end tag "{name}" at byte offset {i}')
                stack.pop()
            else:
                stack.append(name)
            i = match.end()
        elif char == "&":
            match = _ENTITY.match(source, i)
            if match is None:
                raise ValueError(f"Unsupported character entity at byte offset {i}")
            out.append(html.unescape(match.group(0)))
            i = match.end()
        elif char == ">":
            raise ValueError(f"Unexpected character > at byte offset {i}")
        else:
            out.append(char)
            i += 1
    if stack:
        raise ValueError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    status: int = 200
    result: Any = None
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass
class _Failure:
    status: int
    description: str
    parameters: dict[str, Any] | None = None
    disconnect: bool = False


class FakeTelegramAPI:
    """The fake server. Use ``async with FakeTelegramAPI() as api:``."""

    def __init__(
        self, token: str = "123456:TEST-token-abcdef", bot_id: int = 777000, username: str = "luoshi_test_bot"
    ) -> None:
        self.token = token
        self.bot = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "落实",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.errors: list[Call] = []  # calls answered with an error (other than injected failures)
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}  # chats the bot has seen a message in
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self.webhook: dict[str, Any] | None = None
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._callback_ids = itertools.count(1)
        self._failures: dict[str, list[_Failure]] = {}
        self._cond = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle ----------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeTelegramAPI:
        app = web.Application(client_max_size=100 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- test controls ------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 429,
        description: str = "Too Many Requests: retry after 1",
        retry_after: int | None = 1,
        disconnect: bool = False,
    ) -> None:
        """Answer the next call of ``method`` with an error (or drop the connection) once."""
        parameters = {"retry_after": retry_after} if status == 429 and retry_after else None
        self._failures.setdefault(method, []).append(_Failure(status, description, parameters, disconnect))

    def add_file(self, content: bytes, file_name: str) -> str:
        """Store a file as if a user had uploaded it; returns its file_id."""
        number = len(self.files) + 1
        file_id = f"FILE{number:04d}"
        suffix = "." + file_name.rsplit(".", 1)[-1] if "." in file_name else ""
        self.files[file_id] = (f"documents/file_{number}{suffix}", content)
        return file_id

    def queue_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (``update_id`` is added) for getUpdates; returns the full update."""
        update = {"update_id": next(self._update_ids), **payload}
        self._updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return update

    async def _notify(self) -> None:
        async with self._cond:
            self._cond.notify_all()

    def make_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """An update (with id) that is *not* queued: for POSTing to a webhook."""
        return {"update_id": next(self._update_ids), **payload}

    # -- building user messages -----------------------------------------------------------------------

    def _next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

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
    ) -> dict[str, Any]:
        file_id = self.add_file(content, file_name)
        document = {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content),
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

    # -- waiting and looking ------------------------------------------------------------------------

    def calls_of(self, method: str, chat_id: int | None = None, since: int = 0) -> list[Call]:
        return [
            call
            for call in self.calls[since:]
            if call.method == method and (chat_id is None or call.chat_id == chat_id)
        ]

    def mark(self) -> int:
        """A position in the call log, for ``since=``."""
        return len(self.calls)

    async def wait_for(self, condition: Callable[[], Any], timeout: float = 30.0, what: str = "condition") -> Any:
        """Poll ``condition`` until it returns something truthy (which is returned)."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                calls = [c for c in self.calls if c.method != "getUpdates"][-20:]
                log = "\n".join(f"  {c.method} {c.status} {str(c.params)[:300]}" for c in calls)
                raise AssertionError(f"timed out waiting for {what}; last calls:\n{log}")
            await asyncio.sleep(0.02)

    async def wait_for_call(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        since: int = 0,
        ok: bool | None = True,
        match: Callable[[Call], bool] | None = None,
        timeout: float = 30.0,
    ) -> Call:
        """The first call of ``method`` after ``since`` that matches."""

        def find() -> Call | None:
            for call in self.calls_of(method, chat_id, since):
                if (ok is None or call.ok == ok) and (match is None or match(call)):
                    return call
            return None

        return await self.wait_for(find, timeout, f"{method} (chat {chat_id})")

    # -- the API ------------------------------------------------------------------------------------

    async def _read_params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request.content_type == "application/json":
            params = await request.json()
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = (value.filename, value.file.read())
                else:
                    params[key] = value
        params.update(request.query)
        for key in _INT_FIELDS & params.keys():
            if isinstance(params[key], str) and re.fullmatch(r"-?\d+", params[key]):
                params[key] = int(params[key])
        for key, value in list(params.items()):
            if isinstance(value, str) and value[:1] in "[{":
                with contextlib.suppress(ValueError):
                    params[key] = json.loads(value)
        return params, files

    async def _handle_method(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params, files = await self._read_params(request)
        call = Call(method, params, files)
        self.calls.append(call)
        if request.match_info["token"] != self.token:
            call.status = 401
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        failures = self._failures.get(method)
        if failures:
            failure = failures.pop(0)
            call.status = failure.status
            if failure.disconnect:
                assert request.transport is not None
                request.transport.close()
                return web.Response(status=500)
            body = {"ok": False, "error_code": failure.status, "description": failure.description}
            if failure.parameters:
                body["parameters"] = failure.parameters
            return web.json_response(body, status=failure.status)
        handler = getattr(self, f"_api_{method}", None)
        try:
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = await (handler(params, files) if method in _UPLOAD_METHODS else handler(params))
        except ApiError as error:
            call.status = error.code
            self.errors.append(call)
            body = {"ok": False, "error_code": error.code, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            return web.json_response(body, status=error.code)
        call.result = result
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        """File downloads are recorded as calls of the pseudo-method "download"."""
        path = request.match_info["path"]
        call = Call("download", {"file_path": path})
        self.calls.append(call)
        if request.match_info["token"] != self.token:
            call.status = 401
            return web.Response(status=401)
        failures = self._failures.get("download")
        if failures:
            call.status = failures.pop(0).status
            return web.json_response(
                {"ok": False, "error_code": call.status, "description": "Bad Gateway"}, status=call.status
            )
        for file_path, content in self.files.values():
            if file_path == path:
                return web.Response(body=content, content_type="application/octet-stream")
        return web.Response(status=404)

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        try:
            wanted = int(chat_id)
        except (TypeError, ValueError) as error:
            raise ApiError(400, "Bad Request: chat not found") from error
        chat = self.chats.get(wanted)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _check_text(self, params: dict[str, Any]) -> str:
        text = params.get("text")
        if not isinstance(text, str):
            raise ApiError(400, "Bad Request: message text is empty")
        if params.get("parse_mode") == "HTML":
            try:
                rendered = html_to_text(text)
            except ValueError as error:
                raise ApiError(400, f"Bad Request: can't parse entities: {error}") from error
        elif params.get("parse_mode"):
            raise ApiError(400, "Bad Request: unsupported parse_mode in this fake")
        else:
            rendered = text
        rendered = rendered.strip()
        if not rendered:
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(rendered) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        if markup:
            for row in markup.get("inline_keyboard", []):
                for button in row:
                    data = button.get("callback_data")
                    if data is not None and not 1 <= len(data.encode()) <= 64:
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return rendered

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
        commands = params.get("commands") or []
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        return True

    async def _api_sendChatAction(self, params: dict[str, Any]) -> Any:
        self._chat(params.get("chat_id"))
        return True

    async def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        chat = self._chat(params.get("chat_id"))
        rendered = self._check_text(params)
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat["id"]),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot,
            "text": rendered,
        }
        reply = params.get("reply_parameters")
        if reply:
            replied = self.messages.get((chat["id"], int(reply["message_id"])))
            if replied is None and not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
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
        rendered = self._check_text(params)
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
        file_path, content = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"U{file_id}",
            "file_size": len(content),
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
        caption = params.get("caption")
        if caption is not None:
            if params.get("parse_mode") == "HTML":
                try:
                    caption = html_to_text(caption)
                except ValueError as error:
                    raise ApiError(400, f"Bad Request: can't parse entities: {error}") from error
            if utf16_len(caption) > MAX_CAPTION:
                raise ApiError(400, "Bad Request: message caption is too long")
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
        reply = params.get("reply_parameters")
        if reply:
            replied = self.messages.get((chat["id"], int(reply["message_id"])))
            if replied is None and not reply.get("allow_sending_without_reply"):
                raise ApiError(400, "Bad Request: message to be replied not found")
            if replied is not None:
                message["reply_to_message"] = replied
        self.messages[(chat["id"], message["message_id"])] = message
        return message


def _mime_type(file_name: str) -> str:
    return mimetypes.guess_type(file_name)[0] or "application/octet-stream"

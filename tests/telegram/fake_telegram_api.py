"""A small fake Telegram Bot API server for tests (aiohttp, 127.0.0.1, random port).

It implements the methods the bot uses with Telegram's JSON shapes (``sendDocument`` too, by
multipart upload), records every call (method and parameters, multipart uploads included), serves
queued updates through long-polling ``getUpdates`` and file downloads at
``/file/bot<token>/<file_path>`` (streamed, counting the bytes sent before the bot hangs up), and
enforces the Telegram rules that a bot most often breaks: HTML that Telegram cannot parse, texts over
4096 characters, captions over 1024, callback data over 64 bytes, editing a message into exactly what
it already is. It can fail a chosen method once (e.g. 429 with ``retry_after``, or a dropped
connection).

This module is the HTTP side: routes, request parsing, injected failures, downloads. The rest:
``fake_telegram_state`` (the call log, chats, messages, files, updates; waiting for calls),
``fake_telegram_users`` (what users send), ``fake_telegram_methods`` (the Bot API methods) and
``fake_telegram_rules`` (Telegram's limits and HTML).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from typing import Any

from aiohttp import web
from fake_telegram_methods import UPLOAD_METHODS, FakeBotMethods
from fake_telegram_rules import ApiError, html_to_text, utf16_len
from fake_telegram_state import Call
from fake_telegram_users import FakeTelegramUsers

__all__ = ["Call", "FakeTelegramAPI", "html_to_text", "utf16_len"]

_DOWNLOAD_PIECE = 64 * 1024
_INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id", "max_connections"}


class FakeTelegramAPI(FakeTelegramUsers, FakeBotMethods):
    """The fake server. Use ``async with FakeTelegramAPI() as api:``."""

    def __init__(
        self, token: str = "123456:TEST-token-abcdef", bot_id: int = 777000, username: str = "luoshi_test_bot"
    ) -> None:
        super().__init__(token, bot_id, username)
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
        """The bot's ``base_url`` for this server."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """The bot's ``base_file_url`` for this server."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- HTTP -----------------------------------------------------------------------------------------

    async def _read_params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        """A request's parameters (JSON, form or query; numbers and JSON fields decoded) and uploaded files."""
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
        """``/bot<token>/<method>``: record the call, then answer it (an injected failure, or ``_api_<method>``)."""
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
            result = await (handler(params, files) if method in UPLOAD_METHODS else handler(params))
        except ApiError as error:
            call.status = error.code
            self.errors.append(call)
            body = {"ok": False, "error_code": error.code, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
            return web.json_response(body, status=error.code)
        call.result = result
        delays = self._delays.get(method)
        if delays:
            self.held_back += 1
            try:
                await asyncio.sleep(delays.pop(0))
            finally:
                self.held_back -= 1
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
        for file_id, (file_path, content) in self.files.items():
            if file_path == path:
                return await self._send_file(request, call, content, chunked=file_id in self.chunked_files)
        return web.Response(status=404)

    async def _send_file(self, request: web.Request, call: Call, content: bytes, chunked: bool) -> web.StreamResponse:
        """Stream ``content`` in pieces, counting in ``call.sent`` what was sent before the client hung up."""
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        if chunked:
            response.enable_chunked_encoding()
        else:
            response.content_length = len(content)
        await response.prepare(request)
        call.sent = 0
        try:
            for start in range(0, len(content), _DOWNLOAD_PIECE):
                piece = content[start : start + _DOWNLOAD_PIECE]
                await response.write(piece)
                call.sent += len(piece)
            await response.write_eof()
        except ConnectionError:  # the bot stopped the download
            pass
        return response

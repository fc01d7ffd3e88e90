"""What the fake Bot API holds and records, and the controls and waits tests use on it (no HTTP here).

State: every call the bot made (``Call``), the chats and messages the fake has seen, stored files,
queued updates for ``getUpdates`` and failures to inject once.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    status: int = 200
    result: Any = None
    sent: int | None = None  # for a download: the bytes the fake managed to send before it ended
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
class Failure:
    """An error (or a dropped connection) to answer the next call of a method with, once."""

    status: int
    description: str
    parameters: dict[str, Any] | None = None
    disconnect: bool = False


class FakeTelegramState:
    """The fake's state and the test-side controls over it; the HTTP server and the methods build on it."""

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
        self.declared_sizes: dict[str, int] = {}  # file_id -> the file_size Telegram states, if not the real one
        self.chunked_files: set[str] = set()  # file_ids served without Content-Length (chunked)
        self.webhook: dict[str, Any] | None = None
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count] = {}
        self._callback_ids = itertools.count(1)
        self._failures: dict[str, list[Failure]] = {}
        self._delays: dict[str, list[float]] = {}  # method -> seconds to hold the next responses back
        self.held_back = 0  # responses being held back now
        self._cond = asyncio.Condition()

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
        self._failures.setdefault(method, []).append(Failure(status, description, parameters, disconnect))

    def delay_next_response(self, method: str, seconds: float) -> None:
        """Carry out the next call of ``method`` at once (the user sees the message) but answer the bot
        only after ``seconds``, as a slow network between the bot and Telegram would."""
        self._delays.setdefault(method, []).append(seconds)

    def add_file(
        self, content: bytes, file_name: str, *, declared_size: int | None = None, chunked: bool = False
    ) -> str:
        """Store a file as if a user had uploaded it; returns its file_id.

        ``declared_size`` is the size the document and getFile state instead of the real one (a lying
        server); ``chunked`` serves the download without Content-Length.
        """
        number = len(self.files) + 1
        file_id = f"FILE{number:04d}"
        suffix = "." + file_name.rsplit(".", 1)[-1] if "." in file_name else ""
        self.files[file_id] = (f"documents/file_{number}{suffix}", content)
        if declared_size is not None:
            self.declared_sizes[file_id] = declared_size
        if chunked:
            self.chunked_files.add(file_id)
        return file_id

    def stated_size(self, file_id: str) -> int:
        """The file_size the fake states for a file: the declared one, else the real one."""
        return self.declared_sizes.get(file_id, len(self.files[file_id][1]))

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

    def _next_message_id(self, chat_id: int) -> int:
        """The next message id in ``chat_id`` (users' and the bot's messages share one sequence per chat)."""
        return next(self._message_ids.setdefault(chat_id, itertools.count(1)))

    # -- waiting and looking ------------------------------------------------------------------------

    def calls_of(self, method: str, chat_id: int | None = None, since: int = 0) -> list[Call]:
        """The calls of ``method`` (in ``chat_id``, if given) from position ``since`` of the call log on."""
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

"""Calls to the Bot API that survive Telegram's flood limits and brief network trouble."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import NetworkError
from telegram.ext import AIORateLimiter

logger = logging.getLogger(__name__)

JSONResult = bool | dict[str, Any] | list[dict[str, Any]]


class ResilientRateLimiter(AIORateLimiter):
    """PTB's :class:`AIORateLimiter` (paces calls under Telegram's flood limits and waits out a 429
    ``RetryAfter``), plus a few retries of calls that failed for a network reason.

    PTB retries ``getUpdates`` itself but leaves every other call to the caller. We retry only plain
    :class:`NetworkError` (connection refused or reset, 5xx from Telegram) — never ``BadRequest``
    (our fault; retrying cannot help) nor ``TimedOut`` (the request may have reached Telegram, and
    sending a message twice is worse than reporting the error).
    """

    def __init__(self, *, network_retries: int = 2, backoff_seconds: float = 1.0, **kwargs: Any) -> None:
        kwargs.setdefault("max_retries", 3)
        super().__init__(**kwargs)
        self._network_retries = network_retries
        self._backoff = backoff_seconds

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSONResult]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSONResult:
        attempt = 0
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as exc:
                if type(exc) is not NetworkError or attempt >= self._network_retries:
                    raise
                attempt += 1
                delay = self._backoff * attempt
                logger.warning(
                    "Bot API call %s failed (%s); retry %d of %d in %.1f s",
                    endpoint,
                    exc.message,
                    attempt,
                    self._network_retries,
                    delay,
                )
                await asyncio.sleep(delay)

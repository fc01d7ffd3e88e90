"""The DingTalk (钉钉) enterprise-internal robot's callback URL (HTTP mode), ``/dingtalk/callback``, as a
FastAPI router.

``POST`` (a user's message, JSON): the ``timestamp`` and ``sign`` headers checked (403 otherwise,
:mod:`bot.dingtalk.signature`), DingTalk answered at once with an empty 200, and the question answered in a
worker thread and sent to the message's sessionWebhook (:mod:`bot.dingtalk.responder`).

Mounted by the HTTP API's ``channel_routers`` when ``LUOSHI_DINGTALK_APP_SECRET`` is set::

    app.include_router(dingtalk_router(settings, desk))
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, FastAPI, Header, HTTPException, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from bot.api.limited_body import limited_body
from bot.desk import Desk
from bot.dingtalk.client import SessionWebhookClient
from bot.dingtalk.config import DingTalkSettingsError, dingtalk_config
from bot.dingtalk.messages import MAX_BODY_BYTES, BadMessage, parse_message
from bot.dingtalk.responder import DingTalkResponder
from bot.dingtalk.signature import SignatureError, check_signature
from bot.settings import Settings

logger = logging.getLogger(__name__)

CALLBACK_PATH = "/dingtalk/callback"

Stamp = Annotated[str, Header(max_length=20)]
Sign = Annotated[str, Header(max_length=128)]


def dingtalk_router(settings: Settings, desk: Desk, *, clock: Callable[[], float] = time.time) -> APIRouter:
    """The callback router for the robot ``settings`` describe, answering through ``desk``. Raises
    :class:`~bot.dingtalk.config.DingTalkSettingsError` if DingTalk is off."""
    config = dingtalk_config(settings)
    if config is None:
        raise DingTalkSettingsError("DingTalk is off: set LUOSHI_DINGTALK_APP_SECRET")
    client = SessionWebhookClient(config.webhook_bases)
    responder = DingTalkResponder(desk, client, config.user_ids)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        client.close()

    router = APIRouter(tags=["dingtalk"], lifespan=lifespan)

    @router.post(CALLBACK_PATH, summary="A DingTalk user's message to the robot (JSON, signed in the headers)")
    async def receive(
        request: Request, background: BackgroundTasks, timestamp: Stamp = "", sign: Sign = ""
    ) -> Response:
        try:
            check_signature(config.app_secret, timestamp, sign, now=clock())
        except SignatureError as error:
            logger.warning("DingTalk callback refused: %s", error)
            raise HTTPException(403, "bad signature") from None
        body = await limited_body(request, MAX_BODY_BYTES)
        try:
            message = parse_message(body)
        except BadMessage as error:
            logger.warning("DingTalk callback refused: %s", error)
            raise HTTPException(400, "bad message") from None
        if await run_in_threadpool(responder.first_delivery, message):
            background.add_task(responder.handle, message)  # a sync function: run in a worker thread
        return Response(status_code=200)  # at once and empty: the reply goes through the sessionWebhook

    return router

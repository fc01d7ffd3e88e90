"""The WeCom (企业微信) self-built app's callback URL, ``/wecom/callback``, as a FastAPI router.

- ``GET`` (the URL check WeCom makes when the callback is saved): the signature verified, the decrypted
  ``echostr`` returned as text/plain.
- ``POST`` (a user's message, encrypted XML): the signature and the timestamp checked (403 otherwise), the
  message decrypted, WeCom answered at once with an empty 200 (it retries after 5 s), and the question
  answered in a worker thread and sent through the message API (:mod:`bot.wecom.responder`).

Mounted by the HTTP API's ``channel_routers`` when ``LUOSHI_WECOM_CORP_ID`` is set::

    app.include_router(wecom_router(settings, desk))
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, FastAPI, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from bot.api.limited_body import limited_body
from bot.desk import Desk
from bot.settings import Settings
from bot.wecom.client import WeComClient
from bot.wecom.config import WeComSettingsError, wecom_config
from bot.wecom.crypto import CallbackCrypto, DecryptError, SignatureError
from bot.wecom.messages import MAX_XML_BYTES, BadMessage, encrypted_part, parse_message
from bot.wecom.responder import WeComResponder

logger = logging.getLogger(__name__)

CALLBACK_PATH = "/wecom/callback"
MAX_CLOCK_SKEW = 300.0  # seconds a callback's timestamp may be off our clock (WeCom retries within 15 s)

Signature = Annotated[str, Query(max_length=64)]
Stamp = Annotated[str, Query(max_length=20)]
Nonce = Annotated[str, Query(max_length=64)]


def _check_timestamp(timestamp: str, clock: Callable[[], float]) -> None:
    try:
        skew = abs(clock() - int(timestamp))
    except ValueError:
        raise HTTPException(403, "bad timestamp") from None
    if skew > MAX_CLOCK_SKEW:
        logger.warning("WeCom callback refused: timestamp %s s off the clock", round(skew))
        raise HTTPException(403, "stale timestamp")


def wecom_router(settings: Settings, desk: Desk, *, clock: Callable[[], float] = time.time) -> APIRouter:
    """The callback router for the app ``settings`` describe, answering through ``desk``. Raises
    :class:`~bot.wecom.config.WeComSettingsError` if WeCom is off or half configured."""
    config = wecom_config(settings)
    if config is None:
        raise WeComSettingsError("WeCom is off: set LUOSHI_WECOM_CORP_ID and the other LUOSHI_WECOM_* settings")
    crypto = CallbackCrypto(config.token, config.aes_key, config.corp_id)
    client = WeComClient(config.api_base_url, config.corp_id, config.secret, config.agent_id)
    responder = WeComResponder(desk, client, config.user_ids)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        client.close()

    router = APIRouter(tags=["wecom"], lifespan=lifespan)

    @router.get(CALLBACK_PATH, response_class=PlainTextResponse, summary="WeCom's callback URL check")
    def verify_url(msg_signature: Signature, timestamp: Stamp, nonce: Nonce, echostr: Annotated[str, Query()]) -> str:
        try:
            return crypto.decrypt_signed(msg_signature, timestamp, nonce, echostr)
        except SignatureError:
            logger.warning("WeCom URL check refused: bad signature")
            raise HTTPException(403, "bad signature") from None
        except DecryptError as error:
            logger.warning("WeCom URL check refused: %s", error)
            raise HTTPException(400, "cannot decrypt echostr") from None

    @router.post(CALLBACK_PATH, summary="A WeCom user's message (encrypted XML)")
    async def receive(
        request: Request, background: BackgroundTasks, msg_signature: Signature, timestamp: Stamp, nonce: Nonce
    ) -> Response:
        body = await limited_body(request, MAX_XML_BYTES)
        try:
            encrypt = encrypted_part(body)
            crypto.verify(msg_signature, timestamp, nonce, encrypt)
            _check_timestamp(timestamp, clock)
            message = parse_message(crypto.decrypt(encrypt))
        except SignatureError:
            logger.warning("WeCom callback refused: bad signature")
            raise HTTPException(403, "bad signature") from None
        except (BadMessage, DecryptError) as error:
            logger.warning("WeCom callback refused: %s", error)
            raise HTTPException(400, "bad message") from None
        if message.msg_type != "event" and await run_in_threadpool(responder.first_delivery, message):
            background.add_task(responder.handle, message)  # a sync function: run in a worker thread
        return Response(status_code=200)  # at once and empty: WeCom wants no passive reply

    return router

"""The real bot through the fake Bot API: Telegram's errors are retried or reported; webhook mode.

Errors: 429 with ``retry_after``, 5xx, dropped connections, getUpdates failing, an answer Telegram
refuses inside a handler. Webhook: a forged secret token is refused, a genuine update answered.
"""

from __future__ import annotations

import asyncio
import logging
import socket

import aiohttp
import pytest
from telegram_harness import CADRE, LEAD_QUESTION, LEAD_QUOTE, ask, bot_session, private, run

from bot.engine import Engine
from bot.telegram.app import ALLOWED_UPDATES, services_of, webhook_parameters


def test_telegram_errors_are_retried_or_reported_and_never_stop_the_bot(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    async def scenario() -> None:
        async with bot_session(engine) as (api, _app):
            chat = private(CADRE)
            # 429 Too Many Requests: waited out (retry_after) and sent again.
            api.fail_next("sendMessage", status=429, retry_after=1)
            reply = await ask(api, chat, CADRE, LEAD_QUESTION)
            assert "李新" in reply.result["text"]
            limited, delivered = api.calls_of("sendMessage", CADRE["id"])[-2:]
            assert limited.status == 429 and delivered.ok and limited.text == delivered.text
            assert delivered.at - limited.at >= 1.0

            # A 502 from Telegram and a dropped connection: retried.
            api.fail_next("sendMessage", status=502, description="Bad Gateway", retry_after=None)
            assert "李新" in (await ask(api, chat, CADRE, LEAD_QUESTION)).result["text"]
            api.fail_next("sendMessage", disconnect=True)
            assert "李新" in (await ask(api, chat, CADRE, LEAD_QUESTION)).result["text"]

            # getUpdates failing: the updater keeps polling.
            api.fail_next("getUpdates", status=502, description="Bad Gateway", retry_after=None)
            api.fail_next("getUpdates", status=429, retry_after=1)
            await api.wait_for(lambda: len([c for c in api.calls_of("getUpdates") if not c.ok]) == 2)
            assert "李新" in (await ask(api, chat, CADRE, LEAD_QUESTION)).result["text"]

            # An error inside a handler (Telegram refuses the answer): logged, and the user is told.
            api.fail_next("sendMessage", status=400, description="Bad Request: chat is deactivated", retry_after=None)
            mark = api.mark()
            api.send_text(chat, CADRE, LEAD_QUESTION)
            told = await api.wait_for_call("sendMessage", chat_id=CADRE["id"], since=mark)
            assert told.result["text"] == "抱歉，处理时出了点问题，请稍后再试。"
            assert "李新" in (await ask(api, chat, CADRE, LEAD_QUESTION)).result["text"]

    run(scenario())
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert any("Error while handling update" in r.getMessage() and "chat=1002" in r.getMessage() for r in errors)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_webhook_mode_answers_updates_posted_to_the_bots_endpoint(engine: Engine) -> None:
    port = _free_port()

    async def scenario() -> None:
        async with bot_session(
            engine,
            polling=False,
            webhook_url="https://bot.example.org/luoshi",
            webhook_path="/hook-7f3a",
            webhook_secret_token="s3cret-Token_1",
            webhook_listen="127.0.0.1",
            webhook_port=port,
        ) as (api, application):
            parameters = webhook_parameters(services_of(application).settings)
            assert application.updater is not None
            await application.updater.start_webhook(**parameters, allowed_updates=ALLOWED_UPDATES)
            assert api.webhook is not None
            assert api.webhook["url"] == "https://bot.example.org/luoshi/hook-7f3a"
            assert api.webhook["secret_token"] == "s3cret-Token_1"
            assert api.webhook["allowed_updates"] == ["message", "callback_query"]

            question = api.make_update({"message": api.user_message(private(CADRE), CADRE, LEAD_QUESTION)})
            url = f"http://127.0.0.1:{port}/hook-7f3a"
            async with aiohttp.ClientSession() as session:
                forged = await session.post(url, json=question, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
                assert forged.status == 403
                genuine = await session.post(
                    url, json=question, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
                )
                assert genuine.status == 200
            reply = await api.wait_for_call("sendMessage", chat_id=CADRE["id"])
            assert "李新" in reply.result["text"] and LEAD_QUOTE in reply.result["text"]
            assert not api.calls_of("getUpdates")
            await asyncio.sleep(0.2)
            assert len(api.calls_of("sendMessage", CADRE["id"])) == 1  # the forged update was dropped

    run(scenario())

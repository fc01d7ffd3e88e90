"""The access gate, in the real bot (python-telegram-bot Application over the real engine) driven over
HTTP through the fake Bot API: strangers are stopped before any handler — also before handlers that a
test adds later and that check nothing themselves."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from fake_telegram_api import Call, FakeTelegramAPI
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, TypeHandler
from telegram_harness import CADRE, OTHER_GROUP, OUTSIDER, WORK_GROUP, bot_session, private

from bot.engine import Engine
from bot.telegram.guards import GATE_GROUP
from prompts import telegram_texts as texts

STRANGER = {"id": 1004, "is_bot": False, "first_name": "访客"}
QUIET_GROUP = {"id": -100400, "type": "group", "title": "老乡群"}  # not allowed; never addresses the bot
SECRET = "secret handler reached"
LEAD_QUESTION = "谁牵头加强社会治安防控体系建设？"


class Arrivals:
    """Every update the bot fetched, seen before the gate (by a handler in a group before it)."""

    def __init__(self, application: Application) -> None:
        self.updates: list[Update] = []
        application.add_handler(TypeHandler(Update, self.arrive), group=GATE_GROUP - 1)

    async def arrive(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.updates.append(update)

    async def wait_for_all(self, api: FakeTelegramAPI, chat: dict[str, Any], user: dict[str, Any], text: str) -> None:
        """Send one last message and wait until every update sent so far has been fetched; once the
        session has ended (the application stopped), all of them have been handled to the end."""
        last = api.queue_update({"message": api.user_message(chat, user, text)})
        await api.wait_for(lambda: len(self.updates) == last["update_id"], what="every update fetched")


class UnguardedHandlers:
    """Handlers added after the bot's own that check nothing, and the updates that reached them."""

    def __init__(self, application: Application) -> None:
        self.reached: list[Update] = []
        application.add_handler(CommandHandler("secret", self.secret))  # group 0, beside the bot's own
        application.add_handler(CallbackQueryHandler(self.secret_button, pattern="^secret$"))
        application.add_handler(TypeHandler(Update, self.reach), group=1)  # everything, after group 0

    async def secret(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.reached.append(update)
        assert update.effective_message is not None
        await update.effective_message.reply_text(SECRET, parse_mode=None)

    async def secret_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.reached.append(update)
        assert update.callback_query is not None
        await update.callback_query.answer(SECRET)

    async def reach(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.reached.append(update)


async def send(api: FakeTelegramAPI, chat: dict[str, Any], user: dict[str, Any], text: str) -> Call:
    """Send ``text`` and return the bot's first message to that chat after it."""
    mark = api.mark()
    api.send_text(chat, user, text)
    return await api.wait_for_call("sendMessage", chat_id=chat["id"], since=mark)


async def press(api: FakeTelegramAPI, user: dict[str, Any], bot_message: dict[str, Any], data: str) -> Call:
    """Press a button and return the bot's answer to that callback query."""
    mark = api.mark()
    query_id = api.press_button(user, bot_message, data)
    return await api.wait_for_call(
        "answerCallbackQuery", since=mark, match=lambda call: call.params["callback_query_id"] == query_id
    )


def sent_to(api: FakeTelegramAPI, chat: dict[str, Any]) -> list[Call]:
    """Every call the bot made about ``chat`` (messages, edits, documents, chat actions)."""
    return [call for call in api.calls if call.chat_id == chat["id"]]


def test_strangers_are_stopped_before_every_handler_even_ones_added_later(engine: Engine) -> None:
    outsider = private(OUTSIDER)
    refuse_outsider = texts.REFUSE_USER.format(user_id=OUTSIDER["id"])
    refuse_group = texts.REFUSE_CHAT.format(chat_id=OTHER_GROUP["id"])

    async def scenario() -> tuple[FakeTelegramAPI, list[Update]]:
        async with bot_session(engine) as (api, application):
            arrivals, unguarded = Arrivals(application), UnguardedHandlers(application)

            # Allowed users reach the added handlers: they work, so their silence below means something.
            welcome = await send(api, private(CADRE), CADRE, "/start")
            assert (await send(api, WORK_GROUP, CADRE, "/secret@luoshi_test_bot")).text == SECRET
            assert (await press(api, CADRE, welcome.result, "secret")).params["text"] == SECRET

            # A stranger in a private chat: one refusal, then commands, questions and buttons get nothing.
            refusal = await send(api, outsider, OUTSIDER, "/secret")
            assert refusal.text == refuse_outsider
            for text in ("/secret", LEAD_QUESTION, "/docs", "/tasks 导出", "/source 1", "/stats", "/help"):
                api.send_text(outsider, OUTSIDER, text)
            for data in ("secret", "src:1", "ans", "ledger:xlsx:"):
                alert = await press(api, OUTSIDER, refusal.result, data)
                assert alert.params["text"] == refuse_outsider and alert.params["show_alert"] in (True, "true")

            # A group that is not allowed, whoever writes in it: one refusal, then nothing.
            group_refusal = await send(api, OTHER_GROUP, CADRE, "/secret@luoshi_test_bot")
            assert group_refusal.text == refuse_group
            api.send_text(OTHER_GROUP, CADRE, f"@luoshi_test_bot {LEAD_QUESTION}")
            api.send_text(OTHER_GROUP, OUTSIDER, "/ask@luoshi_test_bot 信访稳定工作是哪个单位牵头？")
            alert = await press(api, CADRE, group_refusal.result, "secret")
            assert alert.params["text"] == refuse_group and alert.params["show_alert"] in (True, "true")

            await arrivals.wait_for_all(api, outsider, OUTSIDER, "/secret")
        return api, unguarded.reached  # read once the session has ended, every update handled to the end

    api, reached = run(scenario())
    assert reached, "the added handlers were never reached at all"
    assert {update.effective_chat.id for update in reached if update.effective_chat} <= {CADRE["id"], WORK_GROUP["id"]}
    assert all(update.effective_user and update.effective_user.id == CADRE["id"] for update in reached)
    assert [call.method for call in sent_to(api, outsider)] == ["sendMessage"]
    assert [call.method for call in sent_to(api, OTHER_GROUP)] == ["sendMessage"]
    assert not api.calls_of("sendDocument") and not api.calls_of("editMessageText")
    assert {call.params["text"] for call in api.calls_of("answerCallbackQuery")} == {
        SECRET,
        refuse_outsider,
        refuse_group,
    }


def test_what_the_bot_would_not_answer_gets_no_refusal_either(engine: Engine) -> None:
    async def scenario() -> FakeTelegramAPI:
        async with bot_session(engine) as (api, application):
            arrivals = Arrivals(application)
            chatter = api.send_text(QUIET_GROUP, CADRE, "今天下午的会改到几点？")
            api.send_text(QUIET_GROUP, OUTSIDER, "@some_other_bot 谁牵头信访稳定工作？")
            api.send_text(QUIET_GROUP, OUTSIDER, "收到", reply_to=chatter)
            api.send_text(QUIET_GROUP, OUTSIDER, "/ask@some_other_bot 谁牵头？")
            sticker = api.user_message(private(OUTSIDER), OUTSIDER)
            sticker["sticker"] = {
                "file_id": "STICKER1",
                "file_unique_id": "S1",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
            api.queue_update({"message": sticker})
            await arrivals.wait_for_all(api, QUIET_GROUP, CADRE, "好的")

            # The refusal was not used up by the chatter: the first message to the bot gets it.
            mention = api.send_text(QUIET_GROUP, CADRE, f"@luoshi_test_bot {LEAD_QUESTION}")
            refusal = await api.wait_for_call("sendMessage", chat_id=QUIET_GROUP["id"])
            assert refusal.text == texts.REFUSE_CHAT.format(chat_id=QUIET_GROUP["id"])
            assert refusal.params["reply_parameters"]["message_id"] == mention["message_id"]
        return api

    api = run(scenario())
    assert len(sent_to(api, QUIET_GROUP)) == 1
    assert sent_to(api, private(OUTSIDER)) == []


def test_a_refusal_that_cannot_be_delivered_still_stops_the_update(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    stranger = private(STRANGER)

    async def scenario() -> tuple[FakeTelegramAPI, list[Update]]:
        async with bot_session(engine) as (api, application):
            arrivals, unguarded = Arrivals(application), UnguardedHandlers(application)
            api.fail_next("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
            api.send_text(stranger, STRANGER, "/secret")
            failed = await api.wait_for_call("sendMessage", chat_id=STRANGER["id"], ok=False)
            assert failed.status == 403 and failed.text == texts.REFUSE_USER.format(user_id=STRANGER["id"])
            await arrivals.wait_for_all(api, stranger, STRANGER, LEAD_QUESTION)
        return api, unguarded.reached

    api, reached = run(scenario())
    assert reached == []
    assert [call.status for call in sent_to(api, stranger)] == [403]
    assert any("Could not send the refusal to chat 1004" in record.getMessage() for record in caplog.records)


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)

"""The real bot through the fake Bot API: questions and cited answers in private chats and in groups.

The python-telegram-bot Application runs over the real engine and store and is driven over HTTP;
whole conversations (source buttons, follow-ups, the rate limit) are asserted on what the fake
server received.
"""

from __future__ import annotations

import json
import logging

import pytest
from telegram_harness import (
    ADMIN,
    CADRE,
    LEAD_QUESTION,
    LEAD_QUOTE,
    NOT_FOUND,
    OUTSIDER,
    TOKEN,
    WORK_GROUP,
    ask,
    bot_session,
    private,
    run,
)

from bot.engine import Engine
from prompts import telegram_texts as texts
from tests.conftest import luoshi

SPEECH_TITLE = "县长在县政府全体(扩大)会议上的讲话(第2/2页)"


def test_private_conversation_with_cited_answer_source_buttons_and_follow_up(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    async def scenario() -> None:
        async with bot_session(engine) as (api, _app):
            # Startup: command menus in Chinese (admins get the admin commands), no webhook for polling.
            menus = {call.params["scope"]["type"]: call.params for call in api.calls_of("setMyCommands")}
            user_menu = {command["command"]: command["description"] for command in menus["default"]["commands"]}
            assert set(user_menu) == {"start", "help", "ask", "docs", "source", "tasks", "slogans"}
            assert user_menu["docs"].startswith("查看已收录的文件")
            assert menus["chat"]["scope"]["chat_id"] == ADMIN["id"]
            assert {"remove", "stats"} <= {command["command"] for command in menus["chat"]["commands"]}
            assert api.calls_of("deleteWebhook")

            chat = private(CADRE)
            mark = api.mark()
            reply = await ask(api, chat, CADRE, LEAD_QUESTION)
            typing = api.calls_of("sendChatAction", CADRE["id"], since=mark)
            assert typing and typing[0].params["action"] == "typing" and typing[0].at <= reply.at
            text = reply.result["text"]
            assert text.startswith("答：") and "李新" in text.split("出处")[0]
            assert f"1. 《{SPEECH_TITLE}》" in text
            assert "（三）毫不放松抓好底线工作，确保安全稳定 › 三要全力以赴做好社会治安和信访稳定工作" in text
            assert LEAD_QUOTE in text
            assert reply.params["parse_mode"] == "HTML"
            assert [(b["text"], b["callback_data"]) for b in reply.buttons()] == [("原文 1", "src:1")]

            # "原文 1" shows the surrounding paragraph in place, the quote in bold, with a way back.
            mark = api.mark()
            query_id = api.press_button(CADRE, reply.result, "src:1")
            shown = await api.wait_for_call("editMessageText", chat_id=CADRE["id"], since=mark)
            assert shown.params["message_id"] == reply.result["message_id"]
            assert "临近年底,保持和谐安定的社会环境是我们必须完成的政治任务。" in shown.result["text"]
            assert f"<b>{LEAD_QUOTE}" in shown.text
            assert [b["text"] for b in shown.buttons()] == ["返回回答"]
            answered = await api.wait_for_call("answerCallbackQuery", since=mark)
            assert answered.params["callback_query_id"] == query_id

            # Pressing it again changes nothing: Telegram's "not modified" must not reach the user.
            mark = api.mark()
            api.press_button(CADRE, reply.result, "src:1")
            await api.wait_for_call("answerCallbackQuery", since=mark)
            await api.wait_for_call("editMessageText", since=mark, ok=False)

            mark = api.mark()
            api.press_button(CADRE, reply.result, "ans")
            back = await api.wait_for_call("editMessageText", since=mark)
            assert back.text == reply.text and back.buttons() == reply.buttons()

            # A follow-up keeps the chat's context (without it the engine finds nothing).
            follow_up = await ask(api, chat, CADRE, "那他还负责什么？")
            assert NOT_FOUND not in follow_up.result["text"]
            assert "李新" in follow_up.result["text"]

            source = await ask(api, chat, CADRE, "/source 1")
            assert "临近年底,保持和谐安定的社会环境" in source.result["text"]
            assert (await ask(api, chat, CADRE, "/source 9")).result["text"].startswith("上一个回答只有 1 条出处")

            docs = await ask(api, chat, CADRE, "/docs")
            assert "已收录文件（共" in docs.result["text"] and SPEECH_TITLE in docs.result["text"]
            help_text = (await ask(api, chat, CADRE, "/help")).result["text"]
            assert LEAD_QUESTION in help_text and "caption" not in help_text  # no admin part for cadres
            start = await ask(api, chat, CADRE, "/start")
            assert "落实" in start.result["text"]

            unknown = await ask(api, chat, CADRE, "什么是量子纠缠？")
            assert unknown.result["text"].startswith(NOT_FOUND)
            assert not unknown.buttons()

            # Every message the bot sent was valid for Telegram (HTML, length, buttons, edits).
            assert [call for call in api.errors if call.method != "editMessageText"] == []

    run(scenario())
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text


def test_a_button_under_an_old_message_no_longer_archived_says_expired_at_once(engine: Engine) -> None:
    async def scenario() -> None:
        async with bot_session(engine) as (api, _app):
            start = await ask(api, private(CADRE), CADRE, "/start")  # not an answer: nothing archived for it
            api.messages[(CADRE["id"], start.result["message_id"])]["date"] -= 3600  # as if sent an hour ago
            mark = api.mark()
            api.press_button(CADRE, start.result, "src:1")
            answered = await api.wait_for_call("answerCallbackQuery", since=mark, timeout=10)
            assert answered.params["text"] == texts.SOURCE_EXPIRED

    run(scenario())


def test_group_answers_only_when_mentioned_replied_to_or_asked(engine: Engine) -> None:
    async def scenario() -> None:
        async with bot_session(engine) as (api, _app):
            group = WORK_GROUP
            chatter = api.send_text(group, CADRE, "今天下午的会改到几点？")
            other_bot = api.send_text(group, CADRE, "@some_other_bot 谁牵头信访稳定工作？")
            # Any member of an allowed group may ask, also one who is not on the user list.
            mentioned = await ask(api, group, OUTSIDER, f"@luoshi_test_bot {LEAD_QUESTION}")
            assert "李新" in mentioned.result["text"]
            assert mentioned.params["reply_parameters"]["allow_sending_without_reply"] is True
            assert api.calls_of("sendChatAction", group["id"])

            follow_up = await ask(api, group, CADRE, "那他还负责什么？", reply_to=mentioned.result)
            assert NOT_FOUND not in follow_up.result["text"]

            asked = await ask(api, group, CADRE, "/ask@luoshi_test_bot 信访稳定工作是哪个单位牵头？")
            assert "信访联席办" in asked.result["text"]
            usage = await ask(api, group, CADRE, "/ask")
            assert usage.result["text"].startswith("请在 /ask 后面写上问题")

            human_reply = api.send_text(group, OUTSIDER, "收到", reply_to=chatter)
            last = await ask(api, group, CADRE, f"@LUOSHI_TEST_BOT {LEAD_QUESTION}")
            assert "李新" in last.result["text"]

            replied_to = {
                int((call.params.get("reply_parameters") or {}).get("message_id", 0))
                for call in api.calls_of("sendMessage", group["id"])
            }
            for ignored in (chatter, other_bot, human_reply):
                assert ignored["message_id"] not in replied_to
            assert len(api.calls_of("sendMessage", group["id"])) == 5

    run(scenario())


def test_question_rate_limit_is_friendly(engine: Engine) -> None:
    async def scenario() -> None:
        async with bot_session(engine, rate_limit_per_minute=2) as (api, _app):
            chat = private(CADRE)
            for _ in range(2):
                assert "李新" in (await ask(api, chat, CADRE, LEAD_QUESTION)).result["text"]
            limited = await ask(api, chat, CADRE, LEAD_QUESTION)
            assert limited.result["text"].startswith("提问有点频繁了，请") and "秒后再试" in limited.result["text"]
            api.send_text(chat, CADRE, LEAD_QUESTION)  # told once per blocked period, not every time
            other = await ask(api, private(ADMIN), ADMIN, LEAD_QUESTION)  # others are not affected
            assert "李新" in other.result["text"]
            assert len(api.calls_of("sendMessage", CADRE["id"])) == 3

    run(scenario())


def test_control_characters_and_undecodable_text_are_cleaned_like_in_the_cli(engine: Engine) -> None:
    """A question pasted with a byte-order mark, NUL, a bell or a lone surrogate (what a broken client
    sends) gets the answer the clean question gets, as ``luoshi ask`` does (bot/question_input.clean)."""

    async def scenario() -> None:
        async with bot_session(engine) as (api, _app):
            chat = private(CADRE)
            clean_reply = await ask(api, chat, CADRE, LEAD_QUESTION)
            dirty_reply = await ask(api, chat, CADRE, "\ufeff\x00" + LEAD_QUESTION + "\x07\udcff")
            assert "李新" in clean_reply.result["text"]
            assert dirty_reply.result["text"].split("出处")[0] == clean_reply.result["text"].split("出处")[0]

    run(scenario())


def test_the_bot_shows_the_answer_object_luoshi_ask_json_gives(engine: Engine) -> None:
    """The same question, the same answer object, through the terminal and the bot (the API, the console and
    WeCom have tests of their own against `luoshi ask --json`)."""
    questions = [LEAD_QUESTION, "“四个决不”指什么？", "明年全县GDP增长目标是多少？"]
    cli = luoshi(engine.settings.data_dir, "ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert cli.returncode == 0, cli.stderr
    expected = [json.loads(line) for line in cli.stdout.splitlines()]
    assert [answer["found"] for answer in expected] == [True, True, False]  # else this test could not tell

    async def scenario() -> None:
        async with bot_session(engine) as (api, _app):
            for question, answer in zip(questions, expected, strict=True):
                shown = (await ask(api, private(CADRE), CADRE, question)).result["text"]
                assert answer["answer"].splitlines()[0] in shown
                for number, citation in enumerate(answer["citations"], start=1):
                    assert f"{number}. 《{citation['title']}》" in shown
                    assert citation["section"] in shown and citation["quote"][:40] in shown

    run(scenario())

"""The real bot (python-telegram-bot Application over the real engine and store), driven over HTTP
through the fake Bot API: whole conversations, asserted on what the fake server received."""

from __future__ import annotations

import asyncio
import io
import logging
import socket
from typing import Any

import aiohttp
import docx
import pytest
from fake_telegram_api import Call, FakeTelegramAPI
from telegram_harness import (
    ADMIN,
    CADRE,
    OTHER_GROUP,
    OUTSIDER,
    TOKEN,
    WORK_GROUP,
    bot_session,
    private,
)

from bot.engine import Engine
from bot.telegram.app import ALLOWED_UPDATES, services_of, webhook_parameters

SPEECH_TITLE = "县长在县政府全体(扩大)会议上的讲话(第2/2页)"
LEAD_QUESTION = "谁牵头加强社会治安防控体系建设？"
LEAD_QUOTE = "由李新同志牵头,县公安部门要加强社会治安防控体系建设"
NOT_FOUND = "未在已收录的文件中找到"

NOTICE_TITLE = "关于做好岁末年初安全生产工作的通知"
NOTICE_GBK = (
    "关于做好岁末年初安全生产工作的通知\n"
    "一、压实安全责任\n"
    "由王建国同志牵头，县应急管理局要在12月31日前完成全县危化品企业隐患排查整治。"
    "各乡镇要配合做好辖区内企业的摸底登记。\n"
    "二、加强宣传教育\n"
    "由县融媒体中心牵头，县委宣传部配合，开办《安全<生产>&“三查”》专题栏目，"
    "持续宣传“安全隐患就是事故”的理念。\n"
).encode("gbk")
EDUCATION_TITLE = "全县教育工作会议讲话"


def education_docx() -> bytes:
    document = docx.Document()
    document.add_heading(EDUCATION_TITLE, level=1)
    document.add_heading("一、抓好教育强县建设", level=2)
    document.add_paragraph(
        "由赵敏同志牵头，县教育局要在明年6月底前完成城区学校布局调整方案。县财政局要配合落实建设资金。"
    )
    document.add_heading("二、加强师资队伍建设", level=2)
    document.add_paragraph("由县人社局牵头，县教育局配合，全面推行“县管校聘”管理改革。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replying_to(message: dict[str, Any]) -> Any:
    """Match a sendMessage that quotes ``message``."""

    def match(call: Call) -> bool:
        reply = call.params.get("reply_parameters") or {}
        return int(reply.get("message_id", 0)) == message["message_id"]

    return match


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


async def ask(api: FakeTelegramAPI, chat: dict[str, Any], user: dict[str, Any], text: str, **kwargs: Any) -> Call:
    """Send ``text`` and return the bot's first reply in that chat."""
    mark = api.mark()
    message = api.send_text(chat, user, text, **kwargs)
    match = replying_to(message) if chat["type"] != "private" else None
    return await api.wait_for_call("sendMessage", chat_id=chat["id"], since=mark, match=match)


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


def test_outsiders_get_one_refusal_and_nothing_from_the_documents(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    async def scenario() -> None:
        async with bot_session(engine) as (api, _app):
            outsider_chat = private(OUTSIDER)
            refusal = await ask(api, outsider_chat, OUTSIDER, LEAD_QUESTION)
            assert (
                "仅向已开通的用户提供服务" in refusal.result["text"] and str(OUTSIDER["id"]) in refusal.result["text"]
            )
            api.send_text(outsider_chat, OUTSIDER, "/docs")
            api.send_text(outsider_chat, OUTSIDER, "/stats")
            api.send_document(outsider_chat, OUTSIDER, NOTICE_GBK, "notice.txt", "text/plain")
            api.send_text(outsider_chat, OUTSIDER, "那他还负责什么？")

            strange_group = await ask(api, OTHER_GROUP, CADRE, f"@luoshi_test_bot {LEAD_QUESTION}")
            assert "本群尚未开通" in strange_group.result["text"]
            api.send_text(OTHER_GROUP, CADRE, f"@luoshi_test_bot {LEAD_QUESTION}")
            api.send_text(OTHER_GROUP, CADRE, "/ask 信访稳定工作是哪个单位牵头？")

            # Allowed but not an admin: admin commands and uploads are refused and logged.
            cadre_chat = private(CADRE)
            assert (await ask(api, cadre_chat, CADRE, "/stats")).result["text"] == "抱歉，该操作仅限管理员。"
            assert (await ask(api, cadre_chat, CADRE, "/remove 13fa5ec0c806")).result["text"].startswith("抱歉")
            mark = api.mark()
            api.send_document(cadre_chat, CADRE, NOTICE_GBK, "notice.txt", "text/plain", caption="标题：测试")
            upload = await api.wait_for_call("sendMessage", chat_id=CADRE["id"], since=mark)
            assert upload.result["text"] == "抱歉，只有管理员可以上传文件收录。"
            # A last answered question: by then the outsiders' messages above have been handled.
            assert "李新" in (await ask(api, cadre_chat, CADRE, LEAD_QUESTION)).result["text"]
            await api.wait_for(lambda: len([r for r in caplog.records if "Refused (" in r.message]) >= 8)

            assert len(api.calls_of("sendMessage", OUTSIDER["id"])) == 1
            assert len(api.calls_of("sendMessage", OTHER_GROUP["id"])) == 1
            assert not api.calls_of("getFile")
            for call in api.calls_of("sendMessage", OUTSIDER["id"]) + api.calls_of("sendMessage", OTHER_GROUP["id"]):
                assert "李新" not in call.text

    run(scenario())
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("Refused admin action /stats from non-admin user=1002" in w for w in warnings)
    assert any("Refused admin action /remove" in w for w in warnings)
    assert any("Refused admin action upload from non-admin user=1002" in w for w in warnings)


def test_admin_uploads_gbk_txt_and_docx_then_cadres_ask_about_them(engine: Engine) -> None:
    async def scenario() -> None:
        async with bot_session(engine) as (api, _app):
            admin_chat = private(ADMIN)
            help_text = (await ask(api, admin_chat, ADMIN, "/help")).result["text"]
            assert "标题：" in help_text and "讲话人：" in help_text and "title=" in help_text

            # A GBK .txt with a caption: progress, then a summary, all on one message.
            caption = f"标题：{NOTICE_TITLE} 讲话人：张副县长 日期：2024年12月20日"
            mark = api.mark()
            api.send_document(
                admin_chat,
                ADMIN,
                NOTICE_GBK,
                "岁末年初安全生产.txt",
                "text/plain",
                caption=caption,
            )
            received = await api.wait_for_call("sendMessage", chat_id=ADMIN["id"], since=mark)
            assert received.result["text"].startswith("已收到《岁末年初安全生产.txt》")
            summary = await api.wait_for_call(
                "editMessageText", chat_id=ADMIN["id"], since=mark, match=lambda c: "已收录" in c.text
            )
            assert summary.params["message_id"] == received.result["message_id"]
            assert f"已收录《{NOTICE_TITLE}》" in summary.result["text"]
            assert "章节 2 个" in summary.result["text"]
            progress = [c.result["text"] for c in api.calls_of("editMessageText", ADMIN["id"], since=mark)]
            assert progress[0].startswith("正在解析《岁末年初安全生产.txt》")
            assert api.calls_of("getFile", since=mark)[0].params["file_id"] == "FILE0001"
            notice = next(d for d in engine.documents() if d.title == NOTICE_TITLE)
            assert (notice.speaker, notice.date) == ("张副县长", "2024-12-20")

            # A .docx without a caption: the title comes from the document. Its download fails once.
            mark = api.mark()
            api.fail_next("download", status=502, retry_after=None)
            api.send_document(
                admin_chat,
                ADMIN,
                education_docx(),
                "教育工作会议讲话.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            )
            summary = await api.wait_for_call(
                "editMessageText", chat_id=ADMIN["id"], since=mark, match=lambda c: "已收录" in c.text
            )
            assert f"已收录《{EDUCATION_TITLE}》" in summary.result["text"]
            assert [call.status for call in api.calls_of("download", since=mark)] == [502, 200]

            # The same file with the same caption again: idempotent.
            mark = api.mark()
            api.send_document(admin_chat, ADMIN, NOTICE_GBK, "岁末年初安全生产.txt", "text/plain", caption=caption)
            again = await api.wait_for_call(
                "editMessageText", chat_id=ADMIN["id"], since=mark, match=lambda c: "未做改动" in c.text
            )
            assert NOTICE_TITLE in again.result["text"]

            # A cadre asks about both; documents contain <>&" and must arrive escaped.
            cadre_chat = private(CADRE)
            notice_answer = await ask(api, cadre_chat, CADRE, "谁牵头危化品企业隐患排查？")
            assert "王建国" in notice_answer.result["text"] and f"《{NOTICE_TITLE}》" in notice_answer.result["text"]
            column = await ask(api, cadre_chat, CADRE, "专题栏目由谁牵头？")
            assert "《安全<生产>&“三查”》" in column.result["text"]
            assert "《安全&lt;生产&gt;&amp;“三查”》" in column.text
            education = await ask(api, cadre_chat, CADRE, "谁牵头城区学校布局调整？")
            assert "赵敏" in education.result["text"] and EDUCATION_TITLE in education.result["text"]

            docs = (await ask(api, admin_chat, ADMIN, "/docs")).result["text"]
            # In the engine's order (newest first).
            positions = [docs.index(f"《{record.title}》") for record in engine.documents()]
            assert len(positions) == 3 and positions == sorted(positions)
            assert "张副县长 · 2024-12-20" in docs
            stats = (await ask(api, admin_chat, ADMIN, "/stats")).result["text"]
            assert "文件：3" in stats

            # Bad uploads get a clear reason and change nothing.
            before = engine.stats()
            mark = api.mark()
            api.send_document(
                admin_chat, ADMIN, b"PK\x03\x04 this is not really a docx", "坏文件.docx", "application/zip"
            )
            broken = await api.wait_for_call(
                "editMessageText", chat_id=ADMIN["id"], since=mark, match=lambda c: "无法收录" in c.text
            )
            assert broken.result["text"] == "《坏文件.docx》无法收录：文件已损坏或格式与扩展名不符"
            mark = api.mark()
            api.send_document(admin_chat, ADMIN, b"MZ\x90\x00", "setup.exe", "application/octet-stream")
            refused = await api.wait_for_call("sendMessage", chat_id=ADMIN["id"], since=mark)
            assert refused.result["text"].startswith("《setup.exe》无法收录：不支持的文件类型")
            assert not api.calls_of("getFile", since=mark)
            mark = api.mark()
            api.send_document(admin_chat, ADMIN, NOTICE_GBK, "notice2.txt", "text/plain", caption="日期：去年冬天")
            bad_caption = await api.wait_for_call("sendMessage", chat_id=ADMIN["id"], since=mark)
            assert "日期「去年冬天」无法识别" in bad_caption.result["text"]
            assert engine.stats() == before

            # Removal: the answer is gone.
            mark = api.mark()
            removed = await ask(api, admin_chat, ADMIN, f"/remove {notice.doc_id}")
            assert removed.result["text"] == f"已删除文件 {notice.doc_id}。"
            assert (await ask(api, admin_chat, ADMIN, "/remove nosuchdoc")).result["text"].startswith("没有找到")
            gone = await ask(api, cadre_chat, CADRE, "谁牵头危化品企业隐患排查？")
            assert "王建国" not in gone.result["text"]

            assert [call for call in api.errors if "not modified" not in str(call.params)] == []

    run(scenario())


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

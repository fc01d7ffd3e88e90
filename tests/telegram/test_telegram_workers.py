"""Two real ``luoshi serve`` workers in webhook mode on one data directory (embedded backend), as behind
nginx: updates are POSTed to worker A or B, and the conversation must not notice which one answered.

Follow-ups, source buttons, the rate limit and who was already refused live in the shared state
database (an outsider is told no once, not once per worker); an upload through one worker is answered
through the other; a worker killed with -9 in the middle of an ingest leaves the other serving and the
document either wholly stored or absent.
"""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from fake_telegram_api import Call, FakeTelegramAPI
from telegram_harness import (
    ADMIN,
    CADRE,
    LEAD_QUESTION,
    LEAD_QUOTE,
    NOT_FOUND,
    OUTSIDER,
    SPEECH,
    TOKEN,
    make_settings,
    private,
)
from test_telegram_shutdown import TITLE as LONG_TITLE
from test_telegram_shutdown import long_speech
from webhook_workers import Worker, button_update, post_update, webhook_workers

from bot.engine import Engine
from tests.conftest import luoshi

NEW_TITLE = "关于建设智慧农业示范园的通知"
NEW_DOCUMENT = (
    f"{NEW_TITLE}\n"
    "一、工作任务\n"
    "由王建国同志牵头，县农业农村局要在6月底前完成智慧农业示范园的规划建设工作。\n"
    "二、保障措施\n"
    "县财政局要落实示范园建设资金，确保项目按期建成。\n"
)
NEW_QUESTION = "谁牵头智慧农业示范园的规划建设工作？"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A data directory holding the example speech, closed (the workers open it)."""
    data_dir = tmp_path / "data"
    engine = Engine.open(make_settings(data_dir))
    try:
        engine.ingest_file(SPEECH)
    finally:
        engine.close()
    return data_dir


async def ask_via(
    session: aiohttp.ClientSession,
    api: FakeTelegramAPI,
    worker: Worker,
    user: dict[str, Any],
    text: str,
    **message: Any,
) -> Call:
    """``user`` sends ``text`` in their private chat, delivered to ``worker``; the bot's reply."""
    mark = api.mark()
    sent = api.user_message(private(user), user, text, **message)
    await post_update(session, worker, api.make_update({"message": sent}))
    return await api.wait_for_call("sendMessage", chat_id=user["id"], since=mark, timeout=120)


async def upload_via(
    session: aiohttp.ClientSession, api: FakeTelegramAPI, worker: Worker, content: bytes, file_name: str
) -> int:
    """The admin uploads a text file through ``worker``; the position in the call log before it."""
    mark = api.mark()
    file_id = api.add_file(content, file_name)
    document = {
        "file_id": file_id,
        "file_unique_id": f"U{file_id}",
        "file_name": file_name,
        "mime_type": "text/plain",
        "file_size": len(content),
    }
    sent = api.user_message(private(ADMIN), ADMIN, document=document)
    await post_update(session, worker, api.make_update({"message": sent}))
    return mark


def stored(api: FakeTelegramAPI, since: int, title: str) -> Any:
    """The upload's final status message, once it says the document is stored."""
    done = f"已收录《{title}》"
    return lambda: next((call for call in api.calls_of("editMessageText", since=since) if done in call.text), None)


def test_two_workers_share_follow_ups_source_buttons_and_the_rate_limit(store: Path, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with (
            FakeTelegramAPI(token=TOKEN) as api,
            webhook_workers(
                api, store, 2, tmp_path / "logs", rate_limit_per_minute="4", webhook_secret_token="shared-Secret_9"
            ) as (a, b),
            aiohttp.ClientSession() as session,
        ):
            # Both set the same webhook; Telegram keeps one.
            hooks = [call.params for call in api.calls_of("setWebhook")]
            assert len(hooks) == 2 and hooks[0] == hooks[1]

            # Telegram shows A's answer at once, but A hears back late: the follow-up must still find it.
            api.delay_next_response("sendMessage", 20)  # long enough to hold through the follow-up below
            answer = await ask_via(session, api, a, CADRE, LEAD_QUESTION)  # question 1, on A
            assert "李新" in answer.text and LEAD_QUOTE in answer.result["text"]
            assert [button["callback_data"] for button in answer.buttons()] == ["src:1"]

            # The follow-up reaches B, which continues A's conversation (alone it would find nothing).
            follow_up = await ask_via(session, api, b, CADRE, "那他还负责什么？")  # question 2, on B
            assert NOT_FOUND not in follow_up.result["text"] and "李新" in follow_up.result["text"]
            # A source button under A's answer, pressed on B while A has not heard back yet: the answer is kept
            # by the message id Telegram returns, so B waits for it rather than call the button expired.
            assert api.held_back == 1
            mark = api.mark()
            await post_update(session, b, button_update(api, CADRE, answer.result, "src:1"))
            shown = await api.wait_for_call("editMessageText", chat_id=CADRE["id"], since=mark, timeout=60)
            assert shown.params["message_id"] == answer.result["message_id"]
            assert "临近年底,保持和谐安定的社会环境是我们必须完成的政治任务。" in shown.result["text"]
            assert [button["text"] for button in shown.buttons()] == ["返回回答"]

            # Replying to A's answer on B takes that answer as the context.
            replied = await ask_via(session, api, b, CADRE, "他还负责什么？", reply_to=answer.result)  # question 3
            assert NOT_FOUND not in replied.result["text"] and "李新" in replied.result["text"]

            # Four questions a minute, counted across both workers: the fifth is refused, on A.
            assert "李新" in (await ask_via(session, api, a, CADRE, LEAD_QUESTION)).text  # question 4
            limited = await ask_via(session, api, a, CADRE, LEAD_QUESTION)
            assert limited.result["text"].startswith("提问有点频繁了，请")
            assert api.errors == [], [(call.method, call.params) for call in api.errors]

    asyncio.run(scenario())


def refusals_recorded(data_dir: Path, user: dict[str, Any]) -> int:
    """How many of ``user``'s messages the workers turned away, by the audit trail they share."""
    trail = data_dir / "audit" / "audit.jsonl"
    lines = trail.read_text(encoding="utf-8").splitlines() if trail.exists() else []
    return sum(1 for entry in map(json.loads, lines) if entry["event"] == "access" and entry["user"] == str(user["id"]))


def test_an_outsider_is_refused_once_whichever_worker_their_messages_reach(store: Path, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with (
            FakeTelegramAPI(token=TOKEN) as api,
            webhook_workers(api, store, 2, tmp_path / "logs") as (a, b),
            aiohttp.ClientSession() as session,
        ):
            refused = await ask_via(session, api, a, OUTSIDER, LEAD_QUESTION)
            assert refused.result["text"].startswith("抱歉，本助手仅向已开通的用户提供服务。")
            for worker in (b, a, b):
                sent = api.user_message(private(OUTSIDER), OUTSIDER, LEAD_QUESTION)
                await post_update(session, worker, api.make_update({"message": sent}))
            await api.wait_for(lambda: refusals_recorded(store, OUTSIDER) == 4, timeout=60, what="4 turned away")
            for worker in (a, b):  # each worker has done more since: a question answered
                assert "李新" in (await ask_via(session, api, worker, CADRE, LEAD_QUESTION)).text
            told = api.calls_of("sendMessage", chat_id=OUTSIDER["id"])
            assert len(told) == 1, [call.result["text"] for call in told]

    asyncio.run(scenario())


def test_an_admin_upload_through_worker_a_is_answered_through_worker_b(store: Path, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with (
            FakeTelegramAPI(token=TOKEN) as api,
            webhook_workers(api, store, 2, tmp_path / "logs") as (a, b),  # the secret each derives by itself
            aiohttp.ClientSession() as session,
        ):
            before = await ask_via(session, api, b, CADRE, NEW_QUESTION)
            assert "王建国" not in before.result["text"]
            mark = await upload_via(session, api, a, NEW_DOCUMENT.encode(), "示范园通知.txt")
            await api.wait_for(stored(api, mark, NEW_TITLE), timeout=180, what="the upload to be stored")
            answer = await ask_via(session, api, b, CADRE, NEW_QUESTION)
            assert "王建国" in answer.result["text"] and NEW_TITLE in answer.result["text"], answer.result["text"]

    asyncio.run(scenario())


def test_killing_a_worker_mid_ingest_leaves_the_other_serving_and_no_half_document(store: Path, tmp_path: Path) -> None:
    async def scenario() -> bool:
        async with (
            FakeTelegramAPI(token=TOKEN) as api,
            webhook_workers(api, store, 2, tmp_path / "logs") as (a, b),
            aiohttp.ClientSession() as session,
        ):
            mark = await upload_via(session, api, a, long_speech(80).encode(), "推进会讲话.txt")
            await api.wait_for_call(
                "editMessageText", since=mark, match=lambda call: "正在解析" in call.text, timeout=120
            )
            a.process.send_signal(signal.SIGKILL)
            assert await a.process.wait() == -signal.SIGKILL
            finished_before_kill = stored(api, mark, LONG_TITLE)() is not None

            # B keeps answering, and the store it serves has the document whole or not at all.
            answer = await ask_via(session, api, b, CADRE, LEAD_QUESTION)
            assert "李新" in answer.text
            listing = await ask_via(session, api, b, ADMIN, "/docs")
            listed = LONG_TITLE in listing.result["text"]
            assert not listed or finished_before_kill
            if not listed:  # sent again, to B: the dead worker's write lock went with it
                again = await upload_via(session, api, b, long_speech(80).encode(), "推进会讲话.txt")
                await api.wait_for(stored(api, again, LONG_TITLE), timeout=240, what="B to store the upload")
            assert LONG_TITLE in (await ask_via(session, api, b, ADMIN, "/docs")).result["text"]
            return listed

    listed_after_kill = asyncio.run(scenario())
    check = luoshi(store, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    engine = Engine.open(make_settings(store))
    try:
        documents = {document.title: document for document in engine.documents()}
        assert LONG_TITLE in documents and documents[LONG_TITLE].chunk_count > 0
        assert len([title for title in documents if title == LONG_TITLE]) == 1
    finally:
        engine.close()
    print("the killed worker's upload was", "stored" if listed_after_kill else "absent")

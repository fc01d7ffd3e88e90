"""``python -m bot.telegram`` (what ``luoshi serve`` runs) as a real process: it starts from the
environment, polls the fake Bot API, and on SIGTERM finishes the ingest in flight before it exits."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

from fake_telegram_api import FakeTelegramAPI
from telegram_harness import ADMIN, TOKEN, make_settings, private
from webhook_workers import worker_env

from bot.engine import Engine

TITLE = "全县重点项目推进会议讲话"
DEPARTMENTS = ["县发改委", "县财政局", "县住建局", "县交通运输局", "县农业农村局", "县生态环境局", "县商务局"]
TASKS = ["前期手续办理", "资金拨付", "征地拆迁", "施工组织", "竣工验收", "绩效评价"]


def long_speech(items: int) -> str:
    """A speech long enough that ingesting it takes a few seconds."""
    lines = [TITLE]
    for i in range(1, items + 1):
        department, task = DEPARTMENTS[i % len(DEPARTMENTS)], TASKS[i % len(TASKS)]
        lines.append(f"{i}．第{i}批重点项目")
        lines.append(
            f"由第{i}工作专班牵头，{department}要在{i % 12 + 1}月底前完成第{i}批重点项目的{task}工作。"
            f"各乡镇要配合做好第{i}批项目的要素保障，确保第{i}批项目按期开工、按期见效。"
        )
    return "\n".join(lines) + "\n"


def test_sigterm_during_an_upload_finishes_the_ingest_then_exits_cleanly(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"

    async def scenario() -> tuple[int, bytes, float, float]:
        async with FakeTelegramAPI(token=TOKEN) as api:
            env = worker_env(api, data_dir, None)  # polling
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.telegram",
                cwd=tmp_path,  # no .env here
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
            assert process.stderr is not None
            stderr_task = asyncio.create_task(process.stderr.read())
            try:
                await api.wait_for(lambda: api.calls_of("getUpdates"), timeout=90, what="the bot to poll")
                mark = api.mark()
                api.send_document(private(ADMIN), ADMIN, long_speech(80).encode(), "推进会讲话.txt", "text/plain")
                await api.wait_for_call(
                    "editMessageText", since=mark, match=lambda call: "正在解析" in call.text, timeout=30
                )
                sigterm_at = time.monotonic()
                process.send_signal(signal.SIGTERM)
                return_code = await asyncio.wait_for(process.wait(), timeout=90)
            finally:
                if process.returncode is None:
                    process.kill()
                    await process.wait()
            stderr = await stderr_task
            summaries = api.calls_of("editMessageText", since=mark)
            summary = next(call for call in summaries if "已收录" in call.text)
            assert f"已收录《{TITLE}》" in summary.result["text"]
            return return_code, stderr, sigterm_at, summary.at

    return_code, stderr, sigterm_at, summary_at = asyncio.run(scenario())
    log = stderr.decode("utf-8", "replace")
    assert return_code == 0, log[-3000:]
    assert summary_at > sigterm_at, "the ingest was not in flight at SIGTERM; make the document longer"
    assert "Engine closed" in log, log[-3000:]
    assert TOKEN not in log and TOKEN.split(":")[1] not in log

    engine = Engine.open(make_settings(data_dir))
    try:
        documents = engine.documents()
        assert [document.title for document in documents] == [TITLE]
        assert documents[0].chunk_count > 0
    finally:
        engine.close()

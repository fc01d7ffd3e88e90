"""The audit trail (留痕) of the real bot through the fake Bot API: questions, uploads, removals and the
people turned away are recorded with who, when, where and what came of it; `luoshi audit` reads them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fake_telegram_api import FakeTelegramAPI
from telegram_harness import (
    ADMIN,
    CADRE,
    LEAD_QUESTION,
    OTHER_GROUP,
    OUTSIDER,
    WORK_GROUP,
    ask,
    bot_session,
    private,
    run,
)

from bot.audit import now, parse_when, read_entries
from bot.engine import Engine
from tests.conftest import luoshi

NOTICE = "关于做好防汛工作的通知\n一、压实责任\n由县水利局牵头，各乡镇配合，在5月底前完成堤防隐患排查。\n"
UNANSWERABLE = "明年全县GDP增长目标是多少？"


def entries(engine: Engine) -> list[dict[str, Any]]:
    return list(read_entries(engine.settings.data_dir / "audit" / "audit.jsonl"))


async def wait_for_entries(api: FakeTelegramAPI, engine: Engine, count: int) -> list[dict[str, Any]]:
    return await api.wait_for(lambda: len(entries(engine)) >= count and entries(engine), what=f"{count} entries")


def test_questions_are_recorded_with_who_where_and_the_documents_cited(engine: Engine) -> None:
    async def scenario() -> None:
        async with bot_session(engine, rate_limit_per_minute=2) as (api, _app):
            start = len(entries(engine))
            await ask(api, private(CADRE), CADRE, LEAD_QUESTION)
            await ask(api, private(CADRE), CADRE, "那他还负责什么？")
            await ask(api, WORK_GROUP, OUTSIDER, f"@luoshi_test_bot {UNANSWERABLE}")
            await ask(api, private(CADRE), CADRE, "由" * 501)
            limited = await ask(api, private(CADRE), CADRE, "谁负责安全生产？")
            assert "提问有点频繁" in limited.result["text"]
            recorded = (await wait_for_entries(api, engine, start + 5))[start:]
            answered, follow_up, refused, too_long, rate_limited = recorded

            assert answered["channel"] == "telegram" and answered["event"] == "question"
            assert (answered["user"], answered["name"], answered["chat"]) == ("1002", "干部", CADRE["id"])
            assert (answered["question"], answered["outcome"], answered["kind"]) == (LEAD_QUESTION, "answered", "lead")
            assert "李新" in answered["answer"]
            assert [c["title"] for c in answered["cited"]] == [engine.documents()[0].title]
            assert abs(now() - parse_when(answered["time"])).total_seconds() < 600
            assert follow_up["follow_up"] is True and follow_up["question"] == "那他还负责什么？"
            assert (refused["user"], refused["chat"], refused["question"]) == ("1003", WORK_GROUP["id"], UNANSWERABLE)
            assert (refused["outcome"], refused["cited"]) == ("refused", [])
            assert (too_long["outcome"], too_long["question"]) == ("too_long", "由" * 501)
            assert (rate_limited["outcome"], rate_limited["question"]) == ("rate_limited", "谁负责安全生产？")

    run(scenario())


def test_admin_actions_and_refusals_are_recorded_and_luoshi_audit_reads_them(engine: Engine, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with bot_session(engine) as (api, _app):
            start = len(entries(engine))
            admin_chat, cadre_chat = private(ADMIN), private(CADRE)
            # Turned away: a stranger (once answered, always recorded), a strange group, a non-admin.
            await ask(api, private(OUTSIDER), OUTSIDER, LEAD_QUESTION)
            api.send_text(private(OUTSIDER), OUTSIDER, "/docs")
            await wait_for_entries(api, engine, start + 2)  # not answered again, but recorded
            await ask(api, OTHER_GROUP, CADRE, f"@luoshi_test_bot {LEAD_QUESTION}")
            await ask(api, cadre_chat, CADRE, "/stats")
            mark = api.mark()
            api.send_document(cadre_chat, CADRE, NOTICE.encode(), "防汛.txt", "text/plain")
            await api.wait_for_call("sendMessage", chat_id=CADRE["id"], since=mark)
            # An admin: a refused upload, an accepted one, a removal and a removal of nothing.
            mark = api.mark()
            api.send_document(admin_chat, ADMIN, b"MZ\x90\x00", "setup.exe", "application/octet-stream")
            await api.wait_for_call("sendMessage", chat_id=ADMIN["id"], since=mark)
            mark = api.mark()
            api.send_document(admin_chat, ADMIN, NOTICE.encode(), "防汛.txt", "text/plain", caption="日期：2025-04-01")
            await api.wait_for_call(
                "editMessageText", chat_id=ADMIN["id"], since=mark, match=lambda c: "已收录" in c.text
            )
            notice = next(d for d in engine.documents() if d.title == "关于做好防汛工作的通知")
            await ask(api, admin_chat, ADMIN, f"/remove {notice.doc_id}")
            await ask(api, admin_chat, ADMIN, "/remove nosuchdoc")
            recorded = (await wait_for_entries(api, engine, start + 9))[start:]

            stranger, stranger_docs, group, stats, upload, exe, accepted, removed, missing = recorded
            assert {entry["event"] for entry in recorded[:5]} == {"access"}
            assert (stranger["user"], stranger["outcome"]) == ("1003", "user_not_allowed")
            assert (stranger["action"], stranger["text"]) == ("question", LEAD_QUESTION)
            assert (stranger_docs["action"], stranger_docs["text"]) == ("/docs", "/docs")
            assert (group["chat"], group["outcome"]) == (OTHER_GROUP["id"], "chat_not_allowed")
            assert (stats["user"], stats["outcome"], stats["action"]) == ("1002", "not_admin", "/stats")
            assert (upload["outcome"], upload["action"], upload["text"]) == ("not_admin", "upload", "防汛.txt")
            assert (exe["event"], exe["outcome"], exe["file"]) == ("ingest", "refused", "setup.exe")
            assert exe["reason"].startswith("《setup.exe》无法收录：不支持的文件类型")
            assert (accepted["user"], accepted["outcome"], accepted["status"]) == ("1001", "accepted", "added")
            assert (accepted["doc_id"], accepted["title"]) == (notice.doc_id, notice.title)
            assert (removed["event"], removed["outcome"], removed["doc_id"]) == ("remove", "removed", notice.doc_id)
            assert (missing["outcome"], missing["doc_id"]) == ("not_found", "nosuchdoc")

    run(scenario())
    result = luoshi(engine.settings.data_dir, "audit", "--user", "1003", "--since", now().date().isoformat(), "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines == [entry for entry in entries(engine) if entry["user"] == "1003"]
    assert [(line["channel"], line["event"]) for line in lines[-2:]] == [("telegram", "access")] * 2


def test_lookups_of_documents_tasks_slogans_and_sources_are_recorded(engine: Engine) -> None:
    async def scenario() -> None:
        async with bot_session(engine) as (api, _app):
            chat = private(CADRE)
            await ask(api, chat, CADRE, LEAD_QUESTION)
            start = len(entries(engine))
            await ask(api, chat, CADRE, "/source 1")
            await ask(api, chat, CADRE, "/docs")
            await ask(api, chat, CADRE, "/tasks 李新")
            mark = api.mark()
            api.send_text(chat, CADRE, "/tasks 李新 导出")
            await api.wait_for_call("sendDocument", chat_id=CADRE["id"], since=mark)
            await ask(api, chat, CADRE, "/slogans")
            recorded = (await wait_for_entries(api, engine, start + 5))[start:]

            assert {(entry["event"], entry["outcome"], entry["user"]) for entry in recorded} == {
                ("lookup", "shown", "1002")
            }
            source, documents, tasks, export, slogans = recorded
            assert (source["what"], source["doc_id"]) == ("source", engine.documents()[0].doc_id)
            assert (documents["what"], documents["shown"]) == ("documents", len(engine.documents()))
            assert (tasks["what"], tasks["party"], export["what"], export["party"]) == (
                "tasks",
                "李新",
                "tasks_export",
                "李新",
            )
            assert tasks["shown"] == export["shown"] > 0
            assert slogans["what"] == "slogans" and "term" not in slogans

    run(scenario())

"""Classified material and the real bot over the fake Bot API.

An admin's upload of a classified document is refused with the Chinese reason, whatever the settings; an
internal one is taken and flagged in the summary and in /docs. A store that holds a classified document
(let in by an operator's `luoshi ingest`) is not served: the bot will not start on it, and if one comes
in while it runs, the people it serves get a notice instead of answers until an admin removes it.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from telegram_harness import ADMIN, CADRE, LEAD_QUESTION, OUTSIDER, ask, bot_session, make_settings, private, run

from bot.audit import read_entries
from bot.classified_store import ClassifiedStoreError
from bot.engine import Engine
from bot.telegram.app import build_application

NOTICE_TITLE = "关于做好岁末年初安全生产工作的通知"
BODY = "一、压实安全责任\n由王建国同志牵头，县应急管理局要在12月31日前完成全县危化品企业隐患排查整治。\n"
SECRET = f"机 密\n★1年\n关于维稳预案的通知\n{BODY}".encode("gbk")
INTERNAL = f"内部资料　注意保存\n县政发〔2025〕12号\n{NOTICE_TITLE}\n{BODY}".encode()
WITHHELD = "抱歉，本助手暂停服务：文件库中有标有密级的涉密文件，须由管理员删除后才能恢复。"


def test_classified_uploads_are_refused_and_internal_ones_flagged(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    async def scenario() -> None:
        # Even with the operator's switch on, the bot takes no classified upload.
        async with bot_session(engine, allow_classified=True) as (api, _app):
            admin_chat = private(ADMIN)
            before = engine.stats()
            mark = api.mark()
            api.send_document(admin_chat, ADMIN, SECRET, "维稳预案.txt", "text/plain")
            refused = await api.wait_for_call(
                "editMessageText", chat_id=ADMIN["id"], since=mark, match=lambda c: "无法收录" in c.text
            )
            assert refused.result["text"] == (
                "《维稳预案.txt》无法收录：文件标有密级「机密★1年」。涉密文件不得通过本系统收录和传播，请按保密规定处理"
            )
            assert engine.stats() == before and engine.store.catalog.classified_documents() == []

            mark = api.mark()
            api.send_document(admin_chat, ADMIN, INTERNAL, "安全生产通知.txt", "text/plain")
            summary = await api.wait_for_call(
                "editMessageText", chat_id=ADMIN["id"], since=mark, match=lambda c: "已收录" in c.text
            )
            assert f"已收录《{NOTICE_TITLE}》" in summary.result["text"]
            assert "⚠ 标注「内部资料 注意保存」：内部文件，请勿外传" in summary.result["text"]
            docs = (await ask(api, private(CADRE), CADRE, "/docs")).result["text"]
            assert f"《{NOTICE_TITLE}》\n⚠ 标注「内部资料 注意保存」" in docs
            assert "《内部资料" not in docs and "《县政发" not in docs

    run(scenario())
    messages = [record.getMessage() for record in caplog.records]
    assert any("Refused classified document 维稳预案.txt: marked 机密★1年" in m for m in messages)
    assert any("Upload '维稳预案.txt' not ingested" in m and "classified" in m for m in messages)


def test_a_store_with_classified_documents_is_not_served(
    engine: Engine, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    secret = tmp_path / "维稳预案.txt"
    secret.write_bytes(SECRET)

    async def scenario() -> None:
        async with bot_session(engine) as (api, _app):
            cadre_chat, admin_chat = private(CADRE), private(ADMIN)
            assert "李新" in (await ask(api, cadre_chat, CADRE, LEAD_QUESTION)).result["text"]

            # An operator's `luoshi ingest` with LUOSHI_ALLOW_CLASSIFIED, into the store the bot serves.
            record = engine.ingest_file(secret, allow_classified=True)
            assert record.marking == "机密★1年"
            assert (await ask(api, cadre_chat, CADRE, LEAD_QUESTION)).result["text"] == WITHHELD
            assert (await ask(api, cadre_chat, CADRE, "/tasks")).result["text"] == WITHHELD
            assert (await ask(api, admin_chat, ADMIN, LEAD_QUESTION)).result["text"] == WITHHELD
            refusal = (await ask(api, private(OUTSIDER), OUTSIDER, LEAD_QUESTION)).result["text"]
            assert "仅向已开通的用户提供服务" in refusal  # outsiders hear what they always hear

            # Admins may still see what is there and take it out.
            docs = (await ask(api, admin_chat, ADMIN, "/docs")).result["text"]
            assert "⛔ 涉密文件（机密★1年）" in docs and record.doc_id in docs
            removed = await ask(api, admin_chat, ADMIN, f"/remove {record.doc_id}")
            assert removed.result["text"] == f"已删除文件 {record.doc_id}。"
            assert "李新" in (await ask(api, cadre_chat, CADRE, LEAD_QUESTION)).result["text"]

    run(scenario())
    withheld = [e for e in read_entries(engine.settings.audit_file) if e["outcome"] == "withheld"]
    assert [(e["user"], e["action"], e.get("text")) for e in withheld] == [
        (str(CADRE["id"]), "question", LEAD_QUESTION),
        (str(CADRE["id"]), "/tasks", "/tasks"),
        (str(ADMIN["id"]), "question", LEAD_QUESTION),
    ]
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len([e for e in errors if "Not answering" in e and "holds 1 classified document(s)" in e]) == 1

    # The bot does not start on a store that holds one.
    record = engine.ingest_file(secret, allow_classified=True)
    try:
        with pytest.raises(ClassifiedStoreError, match=rf"holds 1 classified document\(s\) \({record.doc_id} "):
            build_application(make_settings(engine.settings.data_dir), engine)
    finally:
        engine.remove(record.doc_id)

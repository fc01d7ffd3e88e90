"""The real bot through the fake Bot API: admins upload and remove documents, everyone else is refused.

Cadres then ask about the uploaded documents; outsiders and non-admins get one refusal and nothing
from the documents.
"""

from __future__ import annotations

import io
import logging

import docx
import pytest
from telegram_harness import ADMIN, CADRE, LEAD_QUESTION, OTHER_GROUP, OUTSIDER, ask, bot_session, private, run

from bot.engine import Engine

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

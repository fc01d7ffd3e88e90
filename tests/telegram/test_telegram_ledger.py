"""``/tasks`` and ``/slogans`` in the real bot over the real engine, through the fake Bot API: the
ledger as text, as an .xlsx document (by argument and by button), the glossary, and access control."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import openpyxl
from fake_telegram_api import Call, FakeTelegramAPI, html_to_text, utf16_len
from telegram_harness import ADMIN, CADRE, OUTSIDER, WORK_GROUP, bot_session, private

from bot.engine import Engine
from bot.reporting.task_export import HEADERS
from bot.telegram import rendering
from bot.telegram.task_commands import export_filename, parse_tasks_argument
from vectorstore.ledger import DirectiveRecord, GlossaryEntry, SloganRecord

SPEECH_TITLE = "县长在县政府全体(扩大)会议上的讲话(第2/2页)"


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


async def send(api: FakeTelegramAPI, chat: dict[str, Any], user: dict[str, Any], text: str) -> Call:
    mark = api.mark()
    api.send_text(chat, user, text)
    return await api.wait_for_call("sendMessage", chat_id=chat["id"], since=mark)


async def send_for_document(api: FakeTelegramAPI, chat: dict[str, Any], user: dict[str, Any], text: str) -> Call:
    mark = api.mark()
    api.send_text(chat, user, text)
    return await api.wait_for_call("sendDocument", chat_id=chat["id"], since=mark)


def workbook_rows(call: Call) -> list[tuple]:
    file_name, content = call.files["document"]
    assert file_name.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2"
    return list(sheet.iter_rows(values_only=True))


def test_tasks_and_slogans_as_text_and_as_an_xlsx_document(engine: Engine) -> None:
    async def scenario() -> None:
        async with bot_session(engine) as (api, _app):
            menus = {call.params["scope"]["type"]: call.params for call in api.calls_of("setMyCommands")}
            menu = {command["command"]: command["description"] for command in menus["default"]["commands"]}
            assert menu["tasks"].startswith("督办台账") and menu["slogans"].startswith("提法")

            chat = private(CADRE)
            everything = await send(api, chat, CADRE, "/tasks")
            text = everything.result["text"]
            assert text.startswith("督办台账（共 20 项任务")
            assert "\n20. " in text and "……另有" not in text  # all 20 listed, the button exports them
            assert [(b["text"], b["callback_data"]) for b in everything.buttons()] == [("导出 Excel", "ledger:xlsx:")]

            police = await send(api, chat, CADRE, "/tasks 公安部门")
            text = police.result["text"]
            assert text.startswith("「公安部门」承担的任务（共 1 项")
            assert "牵头：李新同志 · 负责：县公安部门" in text
            assert "加强社会治安防控体系建设" in text and f"《{SPEECH_TITLE}》" in text
            assert police.buttons()[0]["callback_data"] == "ledger:xlsx:公安部门"

            person = await send(api, chat, CADRE, "/tasks 李新")
            assert "（共 1 项" in person.result["text"] and "李新同志" in person.result["text"]

            towns = await send(api, chat, CADRE, "/tasks 乡镇")
            assert "各乡镇（街道）" in towns.result["text"]
            assert "各乡镇（办事处）、各单位" in towns.result["text"]

            nobody = await send(api, chat, CADRE, "/tasks 县教育局")
            assert nobody.result["text"] == "已收录的文件中没有找到「县教育局」承担的任务。"
            assert not nobody.buttons()

            # 「导出」 sends the ledger as an .xlsx document.
            document = await send_for_document(api, chat, CADRE, "/tasks 公安部门 导出")
            assert document.files["document"][0] == "督办台账-公安部门.xlsx"
            assert document.result["document"]["file_name"] == "督办台账-公安部门.xlsx"
            assert document.params["caption"] == "督办台账：「公安部门」，共 1 项任务。"
            rows = workbook_rows(document)
            assert rows[0] == HEADERS
            assert rows[1][2:4] == ("李新同志", "县公安部门")

            # The button under the full list sends the whole ledger.
            mark = api.mark()
            api.press_button(CADRE, everything.result, "ledger:xlsx:")
            whole = await api.wait_for_call("sendDocument", chat_id=CADRE["id"], since=mark)
            assert len(workbook_rows(whole)) == 21
            await api.wait_for_call("answerCallbackQuery", since=mark)

            glossary = await send(api, chat, CADRE, "/slogans")
            text = glossary.result["text"]
            assert text.startswith("提法（共")
            assert "“四个决不”" in text and "决不拖" in text and "“三管三必须”" in text
            one = await send(api, chat, CADRE, "/slogans “四个决不”")
            assert one.result["text"].startswith("提法（共 1 个）")
            assert "该办的事坚决办" in one.result["text"]
            missing = await send(api, chat, CADRE, "/slogans 五个一")
            assert missing.result["text"] == "已收录的文件中没有找到提法「五个一」。"

            # In a work group too; documents go to the group.
            mark = api.mark()
            api.send_text(WORK_GROUP, CADRE, "/tasks@luoshi_test_bot 督查局 xlsx")
            group_document = await api.wait_for_call("sendDocument", chat_id=WORK_GROUP["id"], since=mark)
            assert workbook_rows(group_document)[1][3] == "县督查局"

            stats = await send(api, private(ADMIN), ADMIN, "/stats")
            assert "任务分工：20" in stats.result["text"] and "提法：" in stats.result["text"]

            assert api.errors == []

    run(scenario())


def test_outsiders_get_no_ledger(engine: Engine) -> None:
    async def scenario() -> None:
        async with bot_session(engine) as (api, _app):
            refusal = await send(api, private(OUTSIDER), OUTSIDER, "/tasks 导出")
            assert "仅向已开通的用户提供服务" in refusal.result["text"]
            api.send_text(private(OUTSIDER), OUTSIDER, "/slogans")
            await asyncio.sleep(0.5)
            assert not api.calls_of("sendDocument")
            assert len(api.calls_of("sendMessage", OUTSIDER["id"])) == 1

    run(scenario())


def test_tasks_arguments_file_names_and_button_data() -> None:
    assert parse_tasks_argument("") == (None, False)
    assert parse_tasks_argument("县公安局") == ("县公安局", False)
    assert parse_tasks_argument("县公安局 导出") == ("县公安局", True)
    assert parse_tasks_argument("XLSX") == (None, True)
    assert parse_tasks_argument("各乡镇（街道）， excel") == ("各乡镇（街道）", True)
    assert export_filename(None) == "督办台账.xlsx"
    assert export_filename('县/公安 "局"') == "督办台账-县_公安_局.xlsx"
    keyboard = rendering.tasks_keyboard("县公安局")
    assert keyboard is not None
    assert rendering.parse_tasks_data(keyboard.inline_keyboard[0][0].callback_data) == "县公安局"
    assert rendering.tasks_keyboard("很长的单位名称" * 4) is None  # over Telegram's 64 bytes
    assert rendering.parse_tasks_data("src:1") is None


def record(number: int, task: str, **values: Any) -> DirectiveRecord:
    fields: dict[str, Any] = {
        "directive_id": number,
        "doc_id": "d1",
        "title": "《安全<生产>&“三查”》通知",
        "date": None,
        "ingested_at": "2025-01-01T00:00:00+00:00",
        "seq": number,
        "chunk_id": None,
        "section": ("一、<总体>要求", "（一）A&B"),
        "task": task,
        "quote": task,
        "start": 0,
        "end": len(task),
        "norm_start": 0,
        "norm_end": len(task),
        "lead": ("县<公安>局",),
        "responsible": ("各乡镇（街道）", "县直&各单位"),
        "cooperating": (),
        "deadline": "年底前",
        "origin": "sentence",
        "parties": (),
    }
    fields.update(values)
    return DirectiveRecord(**fields)


def test_task_lists_are_escaped_split_and_say_what_is_left_out() -> None:
    records = [record(n, f"第{n}项任务：<b>加强</b> & 落实" + "很长的任务描述" * 40) for n in range(25)]
    messages = rendering.render_tasks(records, "县<公安>局")
    rendered = ""
    for message in messages:
        text = html_to_text(message)  # raises on broken tags or entities
        assert utf16_len(text) <= 4096 and utf16_len(message) <= 4096
        rendered += text
    assert rendered.startswith("「县<公安>局」承担的任务（共 25 项")
    assert "牵头：县<公安>局 · 负责：各乡镇（街道）；县直&各单位 · 时限：年底前" in rendered
    assert "《《安全<生产>&“三查”》通知》 · 一、<总体>要求 › （一）A&B" in rendered
    assert "……另有 5 项未列出" in rendered and "/tasks 县<公安>局 导出" in rendered
    assert rendering.render_tasks([], None) == ["已收录的文件中没有找到任务分工。"]


def test_the_glossary_is_escaped_and_split() -> None:
    occurrence = SloganRecord(
        1, "d1", "<通知>", None, "2025", 0, "四个<决不>", "quoted", "该办的事坚决办 & 决不拖" * 30, None,
        ("一、<要求>",), "q", 0, 1, 0, 1, 0, 1,
    )  # fmt: skip
    entries = [GlossaryEntry(f"提法{n}<>", occurrence, (occurrence,) * 2) for n in range(60)]
    messages = rendering.render_slogans(entries, None)
    rendered = "".join(html_to_text(message) for message in messages)
    assert all(utf16_len(message) <= 4096 for message in messages)
    assert rendered.startswith("提法（共 60 个）") and "“提法0<>” 出现 2 次" in rendered
    assert "……另有 20 个未列出" in rendered

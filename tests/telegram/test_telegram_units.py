"""The Telegram adapter's small parts, without a server: rendering and splitting, captions, access,
bounded state, token redaction, settings mapping."""

from __future__ import annotations

import io
import logging
import random
from pathlib import Path

import pytest
from fake_telegram_api import html_to_text, utf16_len
from telegram_harness import TOKEN, make_settings

from bot.answers import Answer, Citation
from bot.shared.database import open_state_database
from bot.shared.limits import OnceGate, QuestionRateLimiter
from bot.shared.memory import AnswerArchive, AnswerMessage, ChatMemory
from bot.shared.table import SharedTable
from bot.telegram import rendering
from bot.telegram.access import AccessPolicy, Decision
from bot.telegram.app import api_url, file_url_for, webhook_parameters
from bot.telegram.captions import CaptionError, parse_caption
from bot.telegram.handlers import strip_mention
from bot.telegram.packing import Span, pack
from bot.telegram.redaction import RedactTokenFilter
from bot.telegram.rendering import render_answer, render_source, source_keyboard
from bot.upload_names import human_size, safe_filename

NASTY = '<script>alert("x")</script> & 《安全<生产>&“三查”》 a&amp;b </b> 😀𠀀'


def citation(quote: str = "由李新同志牵头,县公安部门要加强社会治安防控体系建设。", **kwargs: object) -> Citation:
    values: dict = {
        "doc_id": "d1",
        "title": "县长讲话",
        "section": "三、安全 › (一)治安",
        "quote": quote,
        "start": 0,
        "end": len(quote),
    }
    values.update(kwargs)
    return Citation(**values)


def assert_valid(messages: list[str], limit: int = 4096) -> str:
    """Every message parses as Telegram HTML and fits; returns the rendered texts joined."""
    assert messages
    rendered = []
    for message in messages:
        text = html_to_text(message)  # raises on broken tags or entities
        assert 0 < utf16_len(text) <= limit
        assert utf16_len(message) <= limit
        rendered.append(text)
    return "".join(rendered)


# -- rendering ------------------------------------------------------------------------------------


def test_answer_is_escaped_and_ordered_answer_sources_quote() -> None:
    answer = Answer(
        "问", f"由{NASTY}牵头", True, "lead", (citation(quote=NASTY, title="《a<b>》&", section="x › <y>"),)
    )
    (message,) = render_answer(answer)
    text = html_to_text(message)
    assert text.startswith("答：由" + NASTY)
    assert text.index("出处") < text.index("1. 《《a<b>》&》 · x › <y>") < text.rindex(NASTY)
    assert "<script>" not in message and "&lt;script&gt;" in message


def test_long_answers_are_split_under_the_limit_without_breaking_tags_or_entities() -> None:
    rng = random.Random(7)
    alphabet = "落实牵头负责配合。，；<>&\"'\n😀𠀀ab "
    for limit in (4096, 300, 97):
        for _ in range(20):
            body = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 9000)))
            quotes = tuple(
                citation(quote="".join(rng.choice(alphabet) for _ in range(rng.randint(1, 3000))))
                for _ in range(rng.randint(0, 4))
            )
            answer = Answer("问", body or "空", bool(quotes), "other", quotes, related_sections=("相关<章节>",))
            messages = render_answer(answer, limit=limit)
            joined = assert_valid(messages, limit)
            # Nothing is lost but whitespace at the cuts.
            expected = html_to_text("".join(span.render() for span in rendering.answer_spans(answer)))
            assert "".join(joined.split()) == "".join(expected.split())


def test_a_refusal_has_no_answer_label_and_names_related_sections_once() -> None:
    answer = Answer(
        "问",
        "未找到。可能相关的章节：《甲》一、总体",
        False,
        "other",
        related_sections=("《甲》一、总体", "《乙》"),
    )
    (message,) = render_answer(answer)
    assert html_to_text(message) == "未找到。可能相关的章节：《甲》一、总体\n\n相关章节：\n· 《乙》"


def test_splitting_prefers_line_and_sentence_boundaries() -> None:
    paragraph = "第一句话要落实。" * 40
    messages = pack([Span(paragraph + "\n" + paragraph)], limit=400)
    assert all(html_to_text(m).endswith("。") for m in messages)
    whole = [Span("甲" * 100), Span("乙" * 100, "b")]
    assert pack(whole, limit=150) == ["甲" * 100, "<b>" + "乙" * 100 + "</b>"]  # spans kept whole


def test_source_in_place_fits_one_message_and_bolds_the_quote() -> None:
    quote = "由李新同志牵头,县公安部门要加强社会治安防控体系建设。"
    paragraph = "前文<&>。" * 900 + quote + "后文。" * 900
    text = render_source(2, citation(quote=quote), paragraph)
    assert utf16_len(text) <= 4096
    rendered = html_to_text(text)
    assert rendered.startswith("原文 2 《县长讲话》\n三、安全 › (一)治安")
    assert f"<b>{quote}</b>" in text and "……" in rendered
    short = render_source(1, citation(quote=quote), "开头。" + quote + "结尾。")
    assert html_to_text(short).endswith("开头。" + quote + "结尾。")
    missing = render_source(1, citation(quote="不在段落里"), "段落。")
    assert html_to_text(missing).endswith("段落。")


def test_source_buttons_fit_telegram_and_round_trip() -> None:
    answer = Answer("问", "答", True, "lead", tuple(citation(start=i) for i in range(10)))
    keyboard = source_keyboard(answer)
    assert keyboard is not None
    buttons = [button for row in keyboard.inline_keyboard for button in row]
    assert [b.text for b in buttons] == [f"原文 {n}" for n in range(1, 9)]
    assert all(len(str(b.callback_data).encode()) <= 64 for b in buttons)
    assert [rendering.parse_source_data(str(b.callback_data)) for b in buttons] == list(range(1, 9))
    showing = source_keyboard(answer, showing=3)
    assert showing is not None and showing.inline_keyboard[-1][0].callback_data == rendering.BACK_DATA
    assert "原文 3" not in [b.text for row in showing.inline_keyboard for b in row]
    assert source_keyboard(Answer("问", "答", False, "other")) is None
    assert rendering.parse_source_data("src:0") is None and rendering.parse_source_data("x") is None


def test_documents_list_is_escaped_and_split() -> None:
    class Record:
        def __init__(self, number: int) -> None:
            self.doc_id, self.title, self.source = f"id{number}", f"<文件{number}>&", "x.txt"
            self.speaker, self.date, self.meeting = "张三", "2024-12-20", None
            self.ingested_at, self.chunk_count = "2024-12-21T08:00:00+00:00", number
            self.marking, self.classified = ("内部资料 注意保存" if number == 1 else None), False

    messages = rendering.render_documents([Record(n) for n in range(80)])
    text = assert_valid(messages)
    assert text.startswith("已收录文件（共 80 篇，最新在前）")
    assert "《<文件0>&》" in text and "……另有 30 篇未列出。" in text
    assert text.count("⚠ 标注「内部资料 注意保存」") == 1
    assert rendering.render_documents([]) == ["还没有收录任何文件。"]


def test_help_texts_are_valid_html() -> None:
    assert "标题：" not in assert_valid(rendering.render_help(False))
    assert "标题：" in assert_valid(rendering.render_help(True))


# -- captions -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        (None, (None, None, None, None)),
        ("", (None, None, None, None)),
        ("全县经济工作会议讲话", ("全县经济工作会议讲话", None, None, None)),
        (
            "标题：全县经济工作会议讲话 讲话人：王县长 日期：2024-12-20",
            ("全县经济工作会议讲话", "王县长", "2024-12-20", None),
        ),
        (
            "标题:年终总结；讲话人：李四\n日期：2024年1月5日\n会议：县政府常务会议",
            ("年终总结", "李四", "2024-01-05", "县政府常务会议"),
        ),
        (
            "title=County Work Report speaker=Wang Wu date=2024/12/20 meeting=Plenary",
            ("County Work Report", "Wang Wu", "2024-12-20", "Plenary"),
        ),
        ("Title = A  DATE=2024.3.9", ("A", None, "2024-03-09", None)),
    ],
)
def test_captions(caption: str | None, expected: tuple) -> None:
    meta = parse_caption(caption)
    assert (meta.title, meta.speaker, meta.date, meta.meeting) == expected


def test_caption_with_an_unreadable_date_is_refused() -> None:
    with pytest.raises(CaptionError, match="2024-13-45"):
        parse_caption("标题：x 日期：2024-13-45")


# -- access and state ------------------------------------------------------------------------------


def test_access_policy() -> None:
    policy = AccessPolicy(frozenset({1}), frozenset({2}), frozenset({-100}))
    assert policy.check(1, 1, private=True) is Decision.ALLOWED  # admins are users
    assert policy.check(2, 2, private=True) is Decision.ALLOWED
    assert policy.check(3, 3, private=True) is Decision.USER_NOT_ALLOWED
    assert policy.check(3, -100, private=False) is Decision.ALLOWED  # any member of an allowed group
    assert policy.check(2, -200, private=False) is Decision.CHAT_NOT_ALLOWED  # allowed user, other group
    assert policy.check(None, -200, private=False) is Decision.CHAT_NOT_ALLOWED
    assert policy.is_admin(1) and not policy.is_admin(2) and not policy.is_admin(None)
    demo = AccessPolicy(frozenset(), frozenset(), frozenset(), open_to_everyone=True)
    assert demo.check(3, -200, private=False) is Decision.ALLOWED and not demo.is_admin(3)
    default = AccessPolicy.from_settings(make_settings(Path("x")))
    assert default.open_to_everyone is False


def test_rate_limiter_sliding_window_and_one_notice(tmp_path: Path) -> None:
    now = [0.0]
    database = open_state_database(tmp_path, None)
    limiter = QuestionRateLimiter(3, database, clock=lambda: now[0], max_users=2)
    assert [limiter.hit(1) for _ in range(3)] == [None, None, None]
    wait = limiter.hit(1)
    assert wait == pytest.approx(60.0)
    assert limiter.should_notify(1, wait) and not limiter.should_notify(1, wait)
    now[0] = 30.0
    assert limiter.hit(2) is None  # other users are independent
    now[0] = 60.5
    assert limiter.hit(1) is None
    now[0] = 61.0
    limiter.hit(3)
    assert len(limiter) == 2  # bounded
    # Another worker on the same database counts the same window.
    other = QuestionRateLimiter(3, database, clock=lambda: now[0])
    assert other.hit(3) is None and other.hit(3) is None and limiter.hit(3) is not None
    database.dispose()


def test_bounded_state(tmp_path: Path) -> None:
    now = [0.0]
    database = open_state_database(tmp_path, None)
    table = SharedTable(database, "test", 2, ttl=10, clock=lambda: now[0])
    table.put("1", "a")
    now[0] = 1
    table.put("2", "b")
    now[0] = 2
    assert table.get("1") == "a"
    now[0] = 3
    table.put("3", "c")  # evicts 2, the least recently used
    assert table.get("2") is None and table.get("1") == "a" and len(table) == 2
    now[0] = 11
    assert table.get("1") is None and len(table) == 1  # expired
    assert table.pop("3") == "c" and table.pop("3") is None
    memory = ChatMemory(database, max_chats=2)
    found = Answer("q", "a", True, "lead", (Citation("d1", "题", "一、", "引文", 0, 2),), ("二、",), entity="李新")
    memory.remember(5, found)
    memory.remember(5, Answer("q2", "没找到", False, "other"))  # a refusal keeps the context
    assert memory.previous(5) == found and memory.previous(5).entity == "李新"  # read back whole, from JSON
    for chat in range(10):
        memory.remember(chat, found)
    assert len(memory) == 2
    archive = AnswerArchive(database)
    archive.put(5, 9, AnswerMessage(found, "<b>答</b>"))
    assert AnswerArchive(database).get(5, 9) == AnswerMessage(found, "<b>答</b>")  # any worker reads it
    assert archive.get(5, 10) is None
    gate = OnceGate(database, max_keys=2)
    assert gate.first_time("a") and not gate.first_time("a")
    gate.first_time("b")
    gate.first_time("c")
    assert len(gate) == 2 and gate.first_time("b") is False
    assert not OnceGate(database).first_time("c")  # another worker's gate on the same database
    database.dispose()


# -- small helpers ---------------------------------------------------------------------------------


def test_token_is_redacted_from_messages_arguments_and_tracebacks() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactTokenFilter(TOKEN))
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("calling https://api.telegram.org/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"failed: https://api.telegram.org/bot{TOKEN}/sendMessage")
        except RuntimeError:
            logger.exception("request failed")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert TOKEN not in output and output.count("<telegram-token>") == 2


def test_upload_file_names_are_safe() -> None:
    assert safe_filename("../../etc/passwd.txt") == "passwd.txt"
    assert safe_filename("C:\\Users\\x\\讲话稿.docx") == "讲话稿.docx"
    assert safe_filename('a<b>:"c|?*.pdf') == "a_b___c___.pdf"
    assert safe_filename(None, "application/pdf") == "upload.pdf"
    assert safe_filename("...") == "upload"
    long_name = safe_filename("长" * 300 + ".docx")
    assert len(long_name) == 120 and long_name.endswith(".docx")
    assert human_size(500) == "1 KB" and human_size(3 * 1024 * 1024) == "3.0 MB"


def test_mentions_are_stripped_even_before_chinese_text() -> None:
    assert strip_mention("@Luoshi_Bot谁牵头？", "luoshi_bot") == "谁牵头？"
    assert strip_mention("请问 @luoshi_bot 谁牵头？", "luoshi_bot") == "请问   谁牵头？"
    assert strip_mention("@luoshi_bot2 谁牵头？", "luoshi_bot") == "@luoshi_bot2 谁牵头？"


def test_settings_map_to_bot_api_urls_and_webhook_parameters() -> None:
    assert api_url("http://127.0.0.1:8081") == "http://127.0.0.1:8081/bot"
    assert api_url("http://127.0.0.1:8081/bot/") == "http://127.0.0.1:8081/bot"
    assert file_url_for("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    settings = make_settings(Path("x"), webhook_url="https://gov.example/luoshi/", webhook_path="/h0ok/")
    parameters = webhook_parameters(settings)
    assert parameters["webhook_url"] == "https://gov.example/luoshi/h0ok"
    assert parameters["url_path"] == "h0ok" and parameters["listen"] == "127.0.0.1"
    assert len(parameters["secret_token"]) >= 32  # derived from the bot token when not configured:
    assert webhook_parameters(settings)["secret_token"] == parameters["secret_token"]  # the same in every worker
    assert TOKEN not in parameters["secret_token"]
    other_bot = make_settings(Path("x"), webhook_url="https://gov.example/luoshi/", telegram_token="42:other")
    assert webhook_parameters(other_bot)["secret_token"] != parameters["secret_token"]
    full = make_settings(Path("x"), webhook_url="https://gov.example/h0ok", webhook_path="h0ok")
    assert webhook_parameters(full)["webhook_url"] == "https://gov.example/h0ok"
    with pytest.raises(ValueError, match="SECRET_TOKEN"):
        webhook_parameters(make_settings(Path("x"), webhook_url="https://x", webhook_secret_token="not ok!"))
    with pytest.raises(ValueError, match="WEBHOOK_URL"):
        webhook_parameters(make_settings(Path("x")))

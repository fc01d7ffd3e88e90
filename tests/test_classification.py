"""Classified material (密级): marks found in a document's head in every format, classified documents
refused (or let into a store the bot will not serve), 内部 marks kept, front matter never the title."""

from __future__ import annotations

import io
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import Engine
from ingest.classification import find_marking
from ingest.errors import IngestError
from ingest.readers import read_document
from ingest.titles import choose_title, title_from_text
from tests.reader_files import build_pdf
from vectorstore.catalog import CATALOG_FILE

BODY = "一、压实安全责任\n由县应急管理局牵头，各乡镇配合，在12月31日前完成危化品企业隐患排查整治。\n"
TITLE = "关于做好岁末年初安全生产工作的通知"


@pytest.mark.parametrize(
    ("head", "level", "mark"),
    [
        ("机密★1年", "机密", "机密★1年"),
        ("秘密★5年", "秘密", "秘密★5年"),
        ("秘密★满5年", "秘密", "秘密★满5年"),
        ("绝密★长期", "绝密", "绝密★长期"),
        ("机密", "机密", "机密"),
        ("秘密★", "秘密", "秘密★"),
        ("机\n密", "机密", "机密"),  # letter-spaced, one character a line
        ("机密\n★1年", "机密", "机密★1年"),
        ("秘\n密\n★\n5\n年", "秘密", "秘密★5年"),
        ("机 密 ★ 1 年", "机密", "机密★1年"),
        ("机　密＊１年", "机密", "机密★1年"),  # full-width space, star and digit
        ("机密*1年", "机密", "机密★1年"),
        ("秘密☆6个月", "秘密", "秘密★6个月"),
        ("\ufeff机\u200b密★1年", "机密", "机密★1年"),  # BOM and zero-width space
        ("【机密】", "机密", "机密"),
        ("機密★1年", "机密", "机密★1年"),  # traditional
        ("000123\n机密★1年\n特急", "机密", "机密★1年"),
        ("000123      秘密★5年      特急", "秘密", "秘密★5年"),
        ("密级：机密", "机密", "机密"),
        ("发文稿纸\n密级：秘密★5年；紧急程度：特急。", "秘密", "秘密★5年"),
        ("工作秘密", "工作秘密", "工作秘密"),
        ("内部资料 注意保存", "内部", "内部资料 注意保存"),
        ("（内部资料，注意保存）", "内部", "内部资料 注意保存"),
        ("内部", "内部", "内部"),
        ("内部\n秘密★5年", "秘密", "秘密★5年"),  # the strongest mark counts
    ],
)
def test_marks_in_the_head_are_found(head: str, level: str, mark: str) -> None:
    found = find_marking(f"{head}\n{TITLE}\n{BODY}")
    assert found is not None and (found.level, found.text) == (level, mark)
    assert found.classified == (level != "内部")


@pytest.mark.parametrize(
    "text",
    [
        f"{TITLE}\n{BODY}",
        "关于加强保守国家秘密工作的通知\n各单位要保守国家秘密，保护商业秘密和个人隐私。\n" + BODY,
        "商业秘密保护办法\n第一条 为保护商业秘密，制定本办法。",
        "一、秘密事项的管理\n涉及秘密的文件要专人管理。",
        "密级：公开\n" + TITLE,
        "内部审计工作要点\n" + BODY,
        # A mark in the body, past the head, is no mark of the document.
        TITLE + "\n" + "".join(f"第{n}段，由县应急管理局负责。\n" for n in range(12)) + "机密\n",
    ],
)
def test_body_that_mentions_secrets_is_not_marked(text: str) -> None:
    assert find_marking(text) is None


# Text as documents and attackers write it: the marks' own characters, CJK, digits, stars, spaces, new lines.
_MARK_CHARACTERS = "机密绝秘内部资料注意保存工作★*☆ 　\n\t1年满关于通知由县牵头。：:〔〕号签发人0"
_TEXT = st.text(st.sampled_from(_MARK_CHARACTERS) | st.characters())


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT)
def test_any_text_gives_a_marking_or_none_and_a_head_mark_is_always_found(head: str, body: str) -> None:
    find_marking(head + body)  # never raises
    title_from_text(head + body)
    marking = find_marking(f"机密★1年\n{body}")
    assert marking is not None and marking.classified


@pytest.mark.parametrize(
    "head",
    [
        "机密★1年",
        "内部资料 注意保存",
        "县政发〔2025〕12号",
        "签发人：张三",
        "000123\n特急\n青山县人民政府文件\n县政发〔2025〕12号          签发人：张三 李四",
        "青政办发[2024]3号",
        "机\n密\n★\n1\n年",
        "内部\n资料",
    ],
)
def test_front_matter_is_never_the_title(head: str) -> None:
    assert title_from_text(f"{head}\n{TITLE}\n各乡镇人民政府：\n{BODY}") == TITLE


def test_titles_without_front_matter_are_as_before() -> None:
    assert title_from_text(f"{TITLE}\n{BODY}") == TITLE
    assert title_from_text("2024年工作要点\n" + BODY) == "2024年工作要点"
    assert title_from_text(BODY) is None  # a numbered heading is no title
    assert title_from_text("同志们：今天召开会议。要抓好落实。") is None


def _docx(*paragraphs: str, title: str | None = None) -> bytes:
    document = docx.Document()
    if title:
        document.core_properties.title = title
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# name → the file's bytes; every one is marked in its head, in its own way.
CLASSIFIED_FILES: dict[str, Callable[[], bytes]] = {
    "gbk.txt": lambda: f"机密★1年\r\n{TITLE}\r\n{BODY}".encode("gbk"),
    "split.txt": lambda: f"机\n密\n★\n1\n年\n\n{TITLE}\n{BODY}".encode(),
    "mark.md": lambda: f"**秘密★5年**\n\n# {TITLE}\n\n{BODY}".encode(),
    "mark.html": lambda: (
        f"<html><head><title>秘密★满5年</title></head><body><p><span>秘密</span><span>★满5年</span></p>"
        f"<h1>{TITLE}</h1><p>{BODY}</p></body></html>"
    ).encode("gbk"),
    "mark.docx": lambda: _docx("000123", "绝密★长期", "特急", TITLE, *BODY.splitlines(), title="绝密★长期"),
    "mark.pdf": lambda: build_pdf([["000123", "机 密 ★ 1 年", TITLE, *BODY.splitlines()]]),
}


@pytest.mark.parametrize("name", sorted(CLASSIFIED_FILES))
def test_classified_files_are_refused_and_change_nothing(
    name: str, make_engine: Callable[..., Engine], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = make_engine()
    path = tmp_path / name
    path.write_bytes(CLASSIFIED_FILES[name]())
    extracted = read_document(path, max_bytes=10**7)
    assert choose_title(None, extracted, name) == TITLE
    caplog.set_level(logging.WARNING)
    with pytest.raises(IngestError) as caught:
        engine.ingest_file(path)
    error = caught.value
    assert error.reason == "classified"
    assert "classified" in error.message_en and name in error.message_en
    assert error.message_zh.startswith(f"《{name}》无法收录：文件标有密级「")
    assert engine.documents() == [] and engine.store.catalog.count_chunks() == 0
    assert any("Refused classified document" in record.getMessage() for record in caplog.records)


def test_the_operator_may_let_classified_files_into_a_store(make_engine: Callable[..., Engine], tmp_path: Path) -> None:
    engine = make_engine(allow_classified=True)
    path = tmp_path / "secret.txt"
    path.write_bytes(CLASSIFIED_FILES["gbk.txt"]())
    report = engine.ingest_file(path)
    assert report.status == "added" and report.title == TITLE and report.marking == "机密★1年"
    (record,) = engine.store.catalog.classified_documents()
    assert (record.title, record.marking, record.classified) == (TITLE, "机密★1年", True)
    with pytest.raises(IngestError):  # the bot's uploads pass allow_classified=False
        engine.ingest_file(path, source_name="secret.txt", allow_classified=False)


def test_internal_documents_are_kept_with_their_mark(make_engine: Callable[..., Engine], tmp_path: Path) -> None:
    engine = make_engine()
    path = tmp_path / "internal.txt"
    path.write_text(f"内部资料　注意保存\n县政发〔2025〕12号\n{TITLE}\n{BODY}", encoding="utf-8")
    report = engine.ingest_file(path)
    assert (report.title, report.marking) == (TITLE, "内部资料 注意保存")
    (record,) = engine.documents()
    assert (record.title, record.marking, record.classified) == (TITLE, "内部资料 注意保存", False)
    assert engine.store.catalog.classified_documents() == []
    answer = engine.answer("谁牵头危化品企业隐患排查整治？")
    assert answer.found and answer.citations[0].title == TITLE


def test_an_older_store_gets_the_marks_of_its_documents(make_engine: Callable[..., Engine], tmp_path: Path) -> None:
    """A store from before marks were kept (no markings table): opening it reads every stored document's
    mark, so a classified one that came in then is known."""
    data = tmp_path / "old"
    engine = make_engine(data, allow_classified=True)
    for name, text in (("secret.txt", f"秘密★5年\n{TITLE}\n{BODY}"), ("internal.txt", f"内部\n{TITLE}二\n{BODY}")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        engine.ingest_file(tmp_path / name)
    (tmp_path / "plain.txt").write_text(f"{TITLE}三\n{BODY}", encoding="utf-8")
    engine.ingest_file(tmp_path / "plain.txt")
    engine.close()
    with sqlite3.connect(data / CATALOG_FILE) as db:  # as the previous version left it
        db.execute("DROP TABLE markings")
        db.execute("DELETE FROM meta WHERE key IN ('markings_version', 'schema_version')")
    reopened = make_engine(data)
    marks = {record.source.rsplit("/", 1)[-1]: (record.marking, record.classified) for record in reopened.documents()}
    assert marks == {"secret.txt": ("秘密★5年", True), "internal.txt": ("内部", False), "plain.txt": (None, False)}
    assert [record.marking for record in reopened.store.catalog.classified_documents()] == ["秘密★5年"]
    assert reopened.remove(reopened.store.catalog.classified_documents()[0].doc_id)
    assert reopened.store.catalog.classified_documents() == []

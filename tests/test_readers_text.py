"""Readers, plain text and Markdown: encodings (UTF-8/16, GBK, GB18030, detection), line ends, headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.readers import SUPPORTED_SUFFIXES
from tests.reader_files import SPEECH, heading_texts, read

SPEECH_LINES = [
    "同志们：",
    "今天召开全县社会治安综合治理工作会议，主要任务是总结2023年工作，部署2024年任务。",
    "由李新同志牵头,县公安部门要加强社会治安防控体系建设。要坚持“预防为主、综合治理”，"
    "在6月30日前完成重点区域(ABC类)排查；各乡镇(街道)要积极配合!",
]


# --- plain text ----------------------------------------------------------------------------------


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm"} == SUPPORTED_SUFFIXES


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_txt_encodings_give_the_same_text(tmp_path: Path, encoding: str, expected: str) -> None:
    extracted = read(tmp_path, "讲话.txt", SPEECH.encode(encoding))
    assert extracted.text == "\n".join(SPEECH_LINES)  # ASCII and full-width punctuation untouched
    assert extracted.encoding == expected
    assert extracted.headings == ()
    assert extracted.title is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_txt_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    data = SPEECH.encode(encoding)
    if encoding != "utf-16":  # the explicit-endian codecs write no BOM: add it
        data = "\ufeff".encode(encoding) + data
    extracted = read(tmp_path, "讲话.txt", data)
    assert extracted.text == "\n".join(SPEECH_LINES)
    assert extracted.encoding in ("utf-16-le", "utf-16-be")
    assert "\ufeff" not in extracted.text


@pytest.mark.parametrize(
    "text",
    [
        "一、总体要求\r\n二、工作任务",
        "县委办公室\n2024年3月1日",
        "会议纪要",  # charset-normalizer alone reads these GBK bytes as Korean
    ],
)
def test_txt_short_gbk(tmp_path: Path, text: str) -> None:
    extracted = read(tmp_path, "短.txt", text.encode("gbk"))
    assert extracted.text == text.replace("\r\n", "\n")
    assert extracted.encoding == "gb18030"


def test_txt_line_endings_and_layout(tmp_path: Path) -> None:
    data = "第一段。\r第二段  内部空格保留。\r\n\r\n   \n\t第三段。\t\n\x0c第四页。".encode()
    extracted = read(tmp_path, "a.txt", data)
    assert extracted.text == "第一段。\n第二段  内部空格保留。\n第三段。\n第四页。"


def test_txt_other_encodings_fall_back_to_detection(tmp_path: Path) -> None:
    text = "Über die Maßnahmen: Straße, Größe und Gebühren für öffentliche Einrichtungen. " * 3
    extracted = read(tmp_path, "de.txt", text.encode("latin-1"))
    assert extracted.text == text.strip()


# --- markdown ------------------------------------------------------------------------------------


def test_markdown_headings_and_markup(tmp_path: Path) -> None:
    source = (
        "# 关于加强安全生产的通知 #\n"
        "\n"
        "各乡镇：\n"
        "## 一、总体要求\n"
        "要坚持**安全第一**、预防为主，详见[实施方案](https://example.org/a)。\n"
        "- 压实属地责任\n"
        "> 引用的原话。\n"
        "\n"
        "---\n"
        "二、工作任务\n"
        "------\n"
        "| 序号 | 重点任务 | 牵头单位 |\n"
        "|:----|------|----|\n"
        "| 1 | 开展 `隐患排查` | 县应急局 |\n"
        "\n"
        "```\n"
        "# 代码里的井号不是标题\n"
        "```\n"
    )
    extracted = read(tmp_path, "通知.md", source.encode())
    assert extracted.text.split("\n") == [
        "关于加强安全生产的通知",
        "各乡镇：",
        "一、总体要求",
        "要坚持安全第一、预防为主，详见实施方案。",
        "压实属地责任",
        "引用的原话。",
        "二、工作任务",
        "序号：1；重点任务：开展 隐患排查；牵头单位：县应急局。",
        "# 代码里的井号不是标题",
    ]
    assert heading_texts(extracted) == [
        ("关于加强安全生产的通知", 1),
        ("一、总体要求", 2),
        ("二、工作任务", 2),
    ]
    assert extracted.encoding == "utf-8"


def test_markdown_suffix_markdown_and_gbk(tmp_path: Path) -> None:
    extracted = read(tmp_path, "纪要.markdown", "### 会议纪要\n正文。".encode("gbk"))
    assert extracted.text == "会议纪要\n正文。"
    assert heading_texts(extracted) == [("会议纪要", 3)]

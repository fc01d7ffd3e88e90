"""Readers: real files built in tmp_path (txt in several encodings, md, docx, pdf, html) and bad ones."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ingest.errors import IngestError
from ingest.models import ExtractedText
from ingest.readers import SUPPORTED_SUFFIXES, read_bytes, read_document

LIMIT = 5_000_000

SPEECH = (
    "同志们：\r\n"
    "\r\n"
    "　　今天召开全县社会治安综合治理工作会议，主要任务是总结2023年工作，部署2024年任务。\r\n"
    "　　由李新同志牵头,县公安部门要加强社会治安防控体系建设。要坚持“预防为主、综合治理”，"
    "在6月30日前完成重点区域(ABC类)排查；各乡镇(街道)要积极配合!\r\n"
)
SPEECH_LINES = [
    "同志们：",
    "今天召开全县社会治安综合治理工作会议，主要任务是总结2023年工作，部署2024年任务。",
    "由李新同志牵头,县公安部门要加强社会治安防控体系建设。要坚持“预防为主、综合治理”，"
    "在6月30日前完成重点区域(ABC类)排查；各乡镇(街道)要积极配合!",
]

TASKS_HEADER = ("序号", "重点任务", "牵头单位", "责任单位", "完成时限")
TASKS = (
    ("1", "加强社会治安防控体系建设", "县公安局", "各乡镇（街道）", "2024年6月底"),
    ("2", "开展矛盾纠纷排查化解\n专项行动", "县司法局", "", "2024年12月底"),
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read(tmp_path: Path, name: str, data: bytes) -> ExtractedText:
    return read_document(write(tmp_path, name, data), max_bytes=LIMIT)


def heading_texts(extracted: ExtractedText) -> list[tuple[str, int]]:
    return [(extracted.text[hint.start : hint.end], hint.level) for hint in extracted.headings]


def assert_error(path: Path, reason: str, *, max_bytes: int = LIMIT) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read_document(path, max_bytes=max_bytes)
    error = caught.value
    assert error.reason == reason, error
    assert path.name in error.message_en
    assert path.name in error.message_zh
    return error


# --- builders of real files -----------------------------------------------------------------


def build_docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "全县社会治安综合治理工作会议讲话"
    document.add_heading("一、总体要求", level=1)
    document.add_paragraph("要坚持预防为主、综合治理。")
    document.add_paragraph("重点任务分工如下：")
    table = document.add_table(rows=1 + len(TASKS), cols=len(TASKS_HEADER))
    for column, name in enumerate(TASKS_HEADER):
        table.cell(0, column).text = name
    for row, task in enumerate(TASKS, start=1):
        for column, value in enumerate(task):
            table.cell(row, column).text = value
    document.add_heading("二、保障措施", level=1)
    document.add_paragraph("各单位要于每月底前报送进展情况。", style="Normal")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_pdf(pages: list[list[str]], *, title: str | None = None) -> bytes:
    """A PDF with a real Chinese text layer, drawn with reportlab's built-in CID font."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    if title:
        pdf.setTitle(title)
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for number, line in enumerate(lines):
            pdf.drawString(72, 760 - 20 * number, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def build_image_only_pdf() -> bytes:
    """A scan-like PDF: a page with drawing and no text."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFillGray(0.5)
    pdf.rect(72, 400, 300, 300, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypt_pdf(data: bytes, *, user_password: str) -> bytes:
    """RC4 encryption: pypdf writes it without the optional ``cryptography`` package."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


HTML = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>县政府办公室关于做好安全生产工作的通知</title>
<style>p {{ color: red; }}</style><script>var tracker = "不应出现";</script></head>
<body>
<nav><a href="/">首页</a> | <a href="/news">新闻</a></nav>
<!-- 注释不应出现 -->
<h2>一、落实安全责任</h2>
<p>各乡镇要<b>压实</b>属地责任，
县应急局要加强督导。</p>
<div>请于<span>3月31日</span>前报送。<br>联系电话：1234567</div>
<table>
<tr><th>序号</th><th>重点任务</th><th>牵头单位</th></tr>
<tr><td>1</td><td>开展隐患排查</td><td>县应急局</td></tr>
<tr><td>2</td><td>加强宣传</td><td></td></tr>
</table>
<p style="display:none">隐藏内容</p>
<script>document.write("也不应出现");</script>
</body></html>
"""


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


# --- docx ----------------------------------------------------------------------------------------


def test_docx_paragraphs_headings_and_table_in_order(tmp_path: Path) -> None:
    extracted = read(tmp_path, "讲话.docx", build_docx())
    assert extracted.text.split("\n") == [
        "一、总体要求",
        "要坚持预防为主、综合治理。",
        "重点任务分工如下：",
        "序号：1；重点任务：加强社会治安防控体系建设；牵头单位：县公安局；责任单位：各乡镇（街道）；"
        "完成时限：2024年6月底。",
        "序号：2；重点任务：开展矛盾纠纷排查化解 专项行动；牵头单位：县司法局；完成时限：2024年12月底。",
        "二、保障措施",
        "各单位要于每月底前报送进展情况。",
    ]
    assert heading_texts(extracted) == [("一、总体要求", 1), ("二、保障措施", 1)]
    assert extracted.title == "全县社会治安综合治理工作会议讲话"
    assert extracted.encoding is None


def test_docx_merged_cells_title_row_and_styles(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("关于做好防汛工作的通知", style="Title")
    document.add_heading("（一）加强监测", level=2)
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "防汛任务分解表"
    for column, name in enumerate(("任务", "牵头单位", "配合单位")):
        table.cell(1, column).text = name
    table.cell(2, 0).text = "巡查河道"
    table.cell(2, 1).merge(table.cell(2, 2)).text = "县水利局"
    table.cell(3, 0).text = "转移群众"
    table.cell(3, 1).text = "各乡镇"
    table.cell(3, 2).text = "县民政局"
    buffer = io.BytesIO()
    document.save(buffer)
    extracted = read(tmp_path, "通知.docx", buffer.getvalue())
    assert extracted.text.split("\n") == [
        "关于做好防汛工作的通知",
        "（一）加强监测",
        "防汛任务分解表",
        "任务：巡查河道；牵头单位：县水利局。",
        "任务：转移群众；牵头单位：各乡镇；配合单位：县民政局。",
    ]
    assert heading_texts(extracted) == [("关于做好防汛工作的通知", 1), ("（一）加强监测", 2)]
    assert extracted.title == "关于做好防汛工作的通知"  # no core title: the Title paragraph


def test_docx_layout_table_is_read_as_paragraphs(tmp_path: Path) -> None:
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "第一段在表格里。"
    cell.add_paragraph("第二段也在表格里。")
    buffer = io.BytesIO()
    document.save(buffer)
    extracted = read(tmp_path, "版式.docx", buffer.getvalue())
    assert extracted.text == "第一段在表格里。\n第二段也在表格里。"


def test_docx_tracked_changes_and_content_controls(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("县公安局")
    inserted = OxmlElement("w:ins")  # a tracked insertion: its text is in the document
    inserted.set(qn("w:id"), "1")
    inserted.set(qn("w:author"), "审核人")
    inserted.append(paragraph.add_run("牵头")._r)
    paragraph._p.append(inserted)
    deleted = OxmlElement("w:del")  # a tracked deletion: its text is not
    deleted.set(qn("w:id"), "2")
    deleted.set(qn("w:author"), "审核人")
    deleted_run = OxmlElement("w:r")
    deleted_text = OxmlElement("w:delText")
    deleted_text.text = "配合"
    deleted_run.append(deleted_text)
    deleted.append(deleted_run)
    paragraph._p.append(deleted)
    paragraph.add_run("落实。")
    boxed = document.add_paragraph("内容控件中的段落。")  # moved into a w:sdt content control
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    boxed._p.addprevious(sdt)
    content.append(boxed._p)
    sdt.append(content)
    buffer = io.BytesIO()
    document.save(buffer)
    extracted = read(tmp_path, "修订.docx", buffer.getvalue())
    assert extracted.text == "县公安局牵头落实。\n内容控件中的段落。"


# --- pdf -----------------------------------------------------------------------------------------


def test_pdf_chinese_text_layer(tmp_path: Path) -> None:
    data = build_pdf(
        [
            ["一、总体要求", "由李新同志牵头,县公安部门要加强社会治安防控体系建设。"],
            ["二、工作任务（2024年）"],
        ],
        title="全县社会治安综合治理工作会议讲话",
    )
    extracted = read(tmp_path, "讲话.pdf", data)
    assert extracted.text == (
        "一、总体要求\n由李新同志牵头,县公安部门要加强社会治安防控体系建设。\n二、工作任务（2024年）"
    )
    assert extracted.title == "全县社会治安综合治理工作会议讲话"
    assert extracted.headings == ()


def test_pdf_without_title_metadata(tmp_path: Path) -> None:
    extracted = read(tmp_path, "a.pdf", build_pdf([["正文。"]]))
    assert extracted.title is None  # reportlab's placeholder "untitled" is not a title


def test_pdf_image_only_has_no_text_layer(tmp_path: Path) -> None:
    assert_error(write(tmp_path, "扫描件.pdf", build_image_only_pdf()), "no_text_layer")


def test_pdf_encrypted_with_a_password(tmp_path: Path) -> None:
    data = encrypt_pdf(build_pdf([["机密内容。"]]), user_password="secret")
    assert_error(write(tmp_path, "加密.pdf", data), "encrypted")


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path) -> None:
    data = encrypt_pdf(build_pdf([["公开内容。"]]), user_password="")
    assert read(tmp_path, "限制编辑.pdf", data).text == "公开内容。"


def test_pdf_truncated(tmp_path: Path) -> None:
    data = build_pdf([["正文。"]])
    assert_error(write(tmp_path, "截断.pdf", data[: len(data) // 2]), "corrupted")


# --- html ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("charset", "encoding"), [("utf-8", "utf-8"), ("gb2312", "gb18030")])
def test_html_page(tmp_path: Path, charset: str, encoding: str) -> None:
    data = HTML.format(charset=charset).encode(encoding)
    extracted = read(tmp_path, "通知.html", data)
    assert extracted.text.split("\n") == [
        "一、落实安全责任",
        "各乡镇要压实属地责任，县应急局要加强督导。",
        "请于3月31日前报送。",
        "联系电话：1234567",
        "序号：1；重点任务：开展隐患排查；牵头单位：县应急局。",
        "序号：2；重点任务：加强宣传。",
    ]
    assert heading_texts(extracted) == [("一、落实安全责任", 2)]
    assert extracted.title == "县政府办公室关于做好安全生产工作的通知"
    assert extracted.encoding == encoding


def test_htm_without_declared_charset_is_detected(tmp_path: Path) -> None:
    data = "<html><body><h1>会议纪要</h1><p>正文 第一段。</p></body></html>".encode("gbk")
    extracted = read(tmp_path, "纪要.htm", data)
    assert extracted.text == "会议纪要\n正文 第一段。"
    assert heading_texts(extracted) == [("会议纪要", 1)]
    assert extracted.title is None
    assert extracted.encoding == "gb18030"


def test_html_rowspan_and_colspan(tmp_path: Path) -> None:
    data = """<table>
    <tr><th>任务</th><th>牵头单位</th><th>完成时限</th></tr>
    <tr><td>巡查河道</td><td rowspan="2">县水利局</td><td>5月底</td></tr>
    <tr><td>清理淤泥</td><td>6月底</td></tr>
    <tr><td colspan="2">汛期值守</td><td>全年</td></tr>
    </table>""".encode()
    extracted = read(tmp_path, "表.html", data)
    assert extracted.text.split("\n") == [
        "任务：巡查河道；牵头单位：县水利局；完成时限：5月底。",
        "任务：清理淤泥；牵头单位：县水利局；完成时限：6月底。",
        "任务：汛期值守；完成时限：全年。",
    ]


def test_html_layout_table_is_read_as_blocks(tmp_path: Path) -> None:
    data = """<table>
    <tr><td><a href="/">本站首页</a></td><td><h1>关于防汛的通知</h1><p>各乡镇：</p>
      <table><tr><th>任务</th><th>牵头单位</th></tr><tr><td>巡查河道</td><td>县水利局</td></tr></table>
    </td></tr>
    <tr><td>版权所有</td><td></td></tr>
    </table>""".encode()
    extracted = read(tmp_path, "页面.html", data)
    assert extracted.text.split("\n") == [
        "本站首页",
        "关于防汛的通知",
        "各乡镇：",
        "任务：巡查河道；牵头单位：县水利局。",
        "版权所有",
    ]
    assert heading_texts(extracted) == [("关于防汛的通知", 1)]


# --- read_bytes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [("讲话.txt", SPEECH.encode("gbk")), ("讲话.docx", build_docx()), ("a.pdf", build_pdf([["正文。"]]))],
)
def test_read_bytes_matches_read_document(tmp_path: Path, name: str, data: bytes) -> None:
    assert read_bytes(data, name, max_bytes=LIMIT) == read(tmp_path, name, data)


def test_read_bytes_uses_only_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        read_bytes(b"", "../../etc/空.TXT", max_bytes=LIMIT)
    assert caught.value.reason == "empty"
    assert caught.value.path == Path("空.TXT")
    assert "《空.TXT》" in caught.value.message_zh


def test_read_bytes_errors() -> None:
    with pytest.raises(IngestError) as caught:
        read_bytes(b"x" * 11, "a.txt", max_bytes=10)
    assert caught.value.reason == "too_large"
    with pytest.raises(IngestError) as caught:
        read_bytes(b"data", "报表.xls", max_bytes=10)
    assert caught.value.reason == "unsupported_type"
    assert "报表.xls" in caught.value.message_zh


# --- bad inputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["空.txt", "空.md", "空.docx", "空.pdf", "空.html"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    assert_error(write(tmp_path, name, b""), "empty")


@pytest.mark.parametrize(
    "data",
    [b"  \r\n\t\n   ", "\ufeff\u3000\u3000\n".encode("utf-8-sig"), "\n \n".encode("utf-16")],
)
def test_whitespace_only_txt(tmp_path: Path, data: bytes) -> None:
    assert_error(write(tmp_path, "空白.txt", data), "empty")


def test_html_without_visible_text(tmp_path: Path) -> None:
    data = b"<html><head><title>t</title><script>x()</script></head><body> </body></html>"
    assert_error(write(tmp_path, "空.html", data), "empty")


def test_docx_without_text(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    assert_error(write(tmp_path, "空.docx", buffer.getvalue()), "empty")


def test_unsupported_suffix(tmp_path: Path) -> None:
    error = assert_error(write(tmp_path, "报表.xls", b"\xd0\xcf\x11\xe0 data"), "unsupported_type")
    assert ".xls" in error.message_en


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00",
        random.Random(7).randbytes(4096),
        random.Random(7).randbytes(4096).replace(b"\x00", b"\x01"),  # no NUL byte to give it away
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        "正文".encode() + b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f",
    ],
    ids=["png", "random", "random-without-nul", "pdf-renamed", "control-bytes"],
)
def test_binary_junk_renamed_txt(tmp_path: Path, data: bytes) -> None:
    assert_error(write(tmp_path, "图片.txt", data), "binary")


@pytest.mark.parametrize(
    "data",
    [random.Random(3).randbytes(2048), b"PK\x03\x04 not really a zip", "正文".encode()],
    ids=["random", "fake-zip", "plain-text"],
)
def test_corrupted_docx(tmp_path: Path, data: bytes) -> None:
    assert_error(write(tmp_path, "损坏.docx", data), "corrupted")


def test_random_bytes_pdf(tmp_path: Path) -> None:
    assert_error(write(tmp_path, "损坏.pdf", random.Random(5).randbytes(2048)), "corrupted")


def test_over_the_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "大文件.txt", "正文。".encode() * 100)
    error = assert_error(path, "too_large", max_bytes=100)
    assert "limit 100" in error.message_en
    assert read_document(path, max_bytes=len(path.read_bytes())).text  # exactly at the limit: read


def test_missing_file(tmp_path: Path) -> None:
    assert_error(tmp_path / "不存在.docx", "not_found")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "无权限.txt", "正文。".encode())
    path.chmod(0)
    assert_error(path, "unreadable")


def test_directory_is_not_a_document(tmp_path: Path) -> None:
    (tmp_path / "目录.txt").mkdir()
    assert_error(tmp_path / "目录.txt", "not_found")

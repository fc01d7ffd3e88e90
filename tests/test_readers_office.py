"""Readers, .docx and PDF: paragraphs, headings and tables in order, tracked changes, text layers, passwords."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.reader_files import assert_error, build_docx, build_pdf, heading_texts, read, write


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

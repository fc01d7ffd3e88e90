"""Real files for the reader tests: a speech, a docx and a PDF built in memory, and read/assert helpers."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ingest.errors import IngestError
from ingest.models import ExtractedText
from ingest.readers import read_document

LIMIT = 5_000_000

SPEECH = (
    "同志们：\r\n"
    "\r\n"
    "　　今天召开全县社会治安综合治理工作会议，主要任务是总结2023年工作，部署2024年任务。\r\n"
    "　　由李新同志牵头,县公安部门要加强社会治安防控体系建设。要坚持“预防为主、综合治理”，"
    "在6月30日前完成重点区域(ABC类)排查；各乡镇(街道)要积极配合!\r\n"
)

TASKS_HEADER = ("序号", "重点任务", "牵头单位", "责任单位", "完成时限")
TASKS = (
    ("1", "加强社会治安防控体系建设", "县公安局", "各乡镇（街道）", "2024年6月底"),
    ("2", "开展矛盾纠纷排查化解\n专项行动", "县司法局", "", "2024年12月底"),
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to ``tmp_path / name``; returns the path."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read(tmp_path: Path, name: str, data: bytes) -> ExtractedText:
    """Write ``data`` as a file called ``name`` and read it back with ``read_document``."""
    return read_document(write(tmp_path, name, data), max_bytes=LIMIT)


def heading_texts(extracted: ExtractedText) -> list[tuple[str, int]]:
    """Each heading hint as (its text, its level)."""
    return [(extracted.text[hint.start : hint.end], hint.level) for hint in extracted.headings]


def assert_error(path: Path, reason: str, *, max_bytes: int = LIMIT) -> IngestError:
    """Reading ``path`` fails with ``reason``, naming the file in both languages; returns the error."""
    with pytest.raises(IngestError) as caught:
        read_document(path, max_bytes=max_bytes)
    error = caught.value
    assert error.reason == reason, error
    assert path.name in error.message_en
    assert path.name in error.message_zh
    return error


def build_docx() -> bytes:
    """A speech as .docx: core title, headings, paragraphs and a task table."""
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

"""Ingest-time extraction of 责任分工 tables: in .docx and .html through the real readers, in PDFs
and plain lines where rows are read only with certainty, and as 「列名：值；…」 rows."""

from __future__ import annotations

import io

import docx

from ingest.extraction import Extraction
from ingest.readers import read_bytes
from tests.conftest import extract_read, extraction_of

TABLE_HEADER = ["序号", "重点任务", "牵头单位", "责任单位", "配合单位", "完成时限"]
TABLE_ROWS = [
    ["1", "完善社会治安防控体系", "县公安局", "各乡镇（街道）", "县财政局、县司法局", "2025年6月底前"],
    ["2", "推进专项债券项目申报", "县发改局", "县财政局", "", "每季度"],
    ["3", "开展安全生产大检查", "县应急管理局", "各乡镇（街道）、县直有关部门", "县消防救援大队", "年底前"],
]
EXPECTED_ROWS = [
    ("完善社会治安防控体系", ("县公安局",), ("各乡镇（街道）",), ("县财政局、县司法局",), "2025年6月底前"),
    ("推进专项债券项目申报", ("县发改局",), ("县财政局",), (), "每季度"),
    ("开展安全生产大检查", ("县应急管理局",), ("各乡镇（街道）、县直有关部门",), ("县消防救援大队",), "年底前"),
]


def fengong_docx() -> bytes:
    document = docx.Document()
    document.add_heading("关于印发2025年重点工作责任分工的通知", level=1)
    document.add_paragraph("各乡镇（街道），县直各单位：现将重点工作责任分工印发给你们，请认真抓好落实。")
    document.add_heading("一、责任分工", level=2)
    table = document.add_table(rows=1, cols=len(TABLE_HEADER))
    for cell, value in zip(table.rows[0].cells, TABLE_HEADER, strict=True):
        cell.text = value
    for row in TABLE_ROWS:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    document.add_heading("二、工作要求", level=2)
    document.add_paragraph("各牵头单位要于每季度末将进展情况报县督查局。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FENGONG_HTML = """<html><head><meta charset="utf-8"><title>2025年民生实事责任分工</title></head><body>
<h1>2025年民生实事责任分工</h1>
<table>
<tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>责任单位</th><th>配合单位</th><th>完成时限</th></tr>
<tr><td>1</td><td>新建城区停车位500个</td><td rowspan="2">县住建局</td><td>城关镇</td><td>县交警大队</td>
<td>2025年10月底前</td></tr>
<tr><td>2</td><td>改造老旧小区12个</td><td>各相关社区</td><td>县财政局</td><td>年底前</td></tr>
<tr><td>3</td><td>实施农村饮水安全巩固提升工程</td><td>县水利局</td><td>各乡镇</td><td>县卫健局</td><td>限期完成</td></tr>
</table>
<p>由县民政局牵头，县财政局配合，年内完成养老服务设施建设。</p>
</body></html>"""


def rows_of(extraction: Extraction) -> list[tuple]:
    def names(directive, role: str) -> tuple[str, ...]:
        return tuple(p.name for p in directive.parties if p.role == role)

    return [
        (d.task, names(d, "lead"), names(d, "responsible"), names(d, "cooperate"), d.deadline)
        for d in extraction.directives
        if d.origin == "table"
    ]


def test_responsibility_table_in_docx() -> None:
    extracted = read_bytes(fengong_docx(), "分工.docx", max_bytes=10**7)
    extraction = extract_read(extracted, "分工.docx")
    assert rows_of(extraction) == EXPECTED_ROWS
    table = [d for d in extraction.directives if d.origin == "table"]
    assert all(d.section == ("一、责任分工",) for d in table)
    assert all(d.quote.startswith(f"序号：{n}；") for n, d in enumerate(table, start=1))
    requirement = [d for d in extraction.directives if d.origin == "sentence"]
    assert [(p.role, p.name) for d in requirement for p in d.parties] == [("responsible", "各牵头单位")]


def test_responsibility_table_in_html_with_a_merged_lead_cell() -> None:
    extracted = read_bytes(FENGONG_HTML.encode("utf-8"), "实事.html", max_bytes=10**7)
    extraction = extract_read(extracted, "实事.html")
    assert rows_of(extraction) == [
        ("新建城区停车位500个", ("县住建局",), ("城关镇",), ("县交警大队",), "2025年10月底前"),
        ("改造老旧小区12个", ("县住建局",), ("各相关社区",), ("县财政局",), "年底前"),
        ("实施农村饮水安全巩固提升工程", ("县水利局",), ("各乡镇",), ("县卫健局",), "限期完成"),
    ]
    sentence = [d for d in extraction.directives if d.origin == "sentence"]
    assert [(p.role, p.name) for p in sentence[0].parties] == [("lead", "县民政局"), ("cooperate", "县财政局")]
    assert sentence[0].deadline == "年内"


def test_a_table_row_without_a_time_column_has_no_deadline() -> None:
    extraction = extraction_of("指标：企业开办时间；目标值：0.5个工作日以内；责任单位：县市场监管局。\n")
    (directive,) = extraction.directives
    assert directive.deadline is None and directive.task == "企业开办时间；0.5个工作日以内"


def fengong_pdf() -> bytes:
    """A PDF with a 责任分工 table: pypdf gives one line per cell, and drops empty cells."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    table = Table([TABLE_HEADER, *TABLE_ROWS])
    style = [("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
    table.setStyle(TableStyle(style))
    title = Paragraph("重点工作责任分工", ParagraphStyle("title", fontName="STSong-Light", fontSize=12))
    SimpleDocTemplate(buffer, pagesize=landscape(A4)).build([title, table])
    return buffer.getvalue()


def test_responsibility_table_in_pdf_rows_read_with_certainty_only() -> None:
    extracted = read_bytes(fengong_pdf(), "分工.pdf", max_bytes=10**7)
    extraction = extract_read(extracted, "分工.pdf")
    # Row 2 has an empty 配合单位 cell that the text layer drops: its cells cannot be placed, so
    # it is left out rather than guessed.
    assert rows_of(extraction) == [EXPECTED_ROWS[0], EXPECTED_ROWS[2]]
    for directive in extraction.directives:
        assert extracted.text[directive.start : directive.end] == directive.quote


def test_a_table_written_as_lines_of_cells() -> None:
    extraction = extraction_of(
        "重点工作责任分工表\n序号 重点任务 牵头单位 责任单位 完成时限\n"
        "1 完善社会治安防控体系 县公安局 各乡镇（街道） 2025年6月底前\n2 推进项目申报 县发改局 县财政局 每季度\n"
        "3 加强宣传 县委宣传部 各单位 立即落实到位并持续开展\n以上任务请认真落实。\n"
    )
    assert rows_of(extraction) == [
        ("完善社会治安防控体系", ("县公安局",), ("各乡镇（街道）",), (), "2025年6月底前"),
        ("推进项目申报", ("县发改局",), ("县财政局",), (), "每季度"),
        ("加强宣传", ("县委宣传部",), ("各单位",), (), "立即落实到位并持续开展"),
    ]
    misaligned = extraction_of("序号 重点任务 牵头单位 责任单位\n1 完善社会治安防控体系 抓紧 各乡镇\n")
    assert rows_of(misaligned) == []  # 「抓紧」 is no unit: the columns do not line up

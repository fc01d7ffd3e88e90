"""The supervision ledger (督办台账) as a file: .xlsx for the 督查局 clerk, .csv, or Markdown.

One row per task: 序号/任务/牵头/负责/配合/时限/文件/章节/原文, in the ledger's order (newest
documents first). The .xlsx has a frozen, bold header row with an autofilter, set column widths
and wrapped text, and prints landscape with the header on every page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from vectorstore.ledger import DirectiveRecord

HEADERS: tuple[str, ...] = ("序号", "任务", "牵头", "负责", "配合", "时限", "文件", "章节", "原文")
COLUMN_WIDTHS: tuple[int, ...] = (6, 40, 16, 22, 18, 14, 26, 30, 60)
SHEET_TITLE = "督办台账"
SUFFIXES = (".xlsx", ".csv", ".md")
JOINER = "；"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # characters an .xlsx cannot hold
_FORMULA_START = ("=", "+", "-", "@")  # a spreadsheet would read these as formulas


def document_label(record: DirectiveRecord) -> str:
    """「《标题》（2024-12-20）」: the document as the ledger names it."""
    return f"《{record.title}》" + (f"（{record.date}）" if record.date else "")


def ledger_rows(records: Sequence[DirectiveRecord]) -> list[list[str]]:
    """The ledger's rows, without the header."""
    return [
        [
            str(number),
            record.task,
            JOINER.join(record.lead),
            JOINER.join(record.responsible),
            JOINER.join(record.cooperating),
            record.deadline or "",
            document_label(record),
            record.section_label,
            record.quote.strip(),
        ]
        for number, record in enumerate(records, start=1)
    ]


def xlsx_bytes(records: Sequence[DirectiveRecord], title: str = SHEET_TITLE) -> bytes:
    """The ledger as an .xlsx workbook."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    thin = Side(style="thin", color="BFBFBF")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    wrap = Alignment(wrap_text=True, vertical="top")
    centred = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for column, header in enumerate(HEADERS, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font, cell.fill, cell.alignment, cell.border = header_font, header_fill, centred, border
    for row_number, row in enumerate(ledger_rows(records), start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if column == 1:
                cell.value = int(value)
            else:
                cell.value = _ILLEGAL_XML.sub("", value)
                cell.data_type = "s"  # text, even when it starts with "="
            cell.alignment, cell.border = wrap, border
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    last = get_column_letter(len(HEADERS))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{max(1, len(records) + 1)}"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    workbook.properties.title = title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(records: Sequence[DirectiveRecord]) -> str:
    """The ledger as CSV (write it with a BOM, as :func:`export` does, so Excel reads it as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in ledger_rows(records):
        writer.writerow([_csv_safe(value) for value in row])
    return buffer.getvalue()


def markdown_text(records: Sequence[DirectiveRecord], title: str = SHEET_TITLE) -> str:
    """The ledger as a Markdown table."""
    lines = [f"# {title}", "", "| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    for row in ledger_rows(records):
        lines.append("| " + " | ".join(_markdown_cell(value) for value in row) + " |")
    return "\n".join(lines) + "\n"


def export(records: Sequence[DirectiveRecord], path: Path) -> Path:
    """Write the ledger to ``path`` in the format its suffix names (.xlsx, .csv or .md)."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        path.write_bytes(xlsx_bytes(records))
    elif suffix == ".csv":
        path.write_text(csv_text(records), encoding="utf-8-sig", newline="")
    elif suffix == ".md":
        path.write_text(markdown_text(records), encoding="utf-8")
    else:
        raise ValueError(f"unsupported export format {path.suffix!r}: use one of {', '.join(SUFFIXES)}")
    return path


def _csv_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _markdown_cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")

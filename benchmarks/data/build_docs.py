"""Build the binary / non-UTF-8 documents of the development set from their UTF-8 sources.

    .venv/bin/python benchmarks/data/build_docs.py

Sources live in ``benchmarks/data/sources/`` (plain UTF-8 text with a few line markers, see
below); the outputs are written to ``benchmarks/data/docs/`` and are committed, so the dev set is
usable without running this script. The other documents in ``docs/`` (.txt, .md, .html) are
written by hand and are not touched here.

Outputs:
- ``qingshan-rural-plan-2025.docx``  实施方案 with a 责任分工 table (python-docx)
- ``qingshan-gov-report-2025.pdf``   政府工作报告（摘要）(reportlab, STSong-Light CID font)
- ``qingshan-safety-flood-speech-2025.txt``  a speech encoded in GBK with CRLF line ends

Source markers (one per line, at the line start):
``#title`` centred title, ``#center`` centred line, ``#right`` right-aligned line,
``#h1`` / ``#h2`` headings, ``#table a|b|c`` a table header, ``#row a|b|c`` a table row;
any other non-empty line is a body paragraph.

The outputs are made reproducible: fixed document dates, fixed zip timestamps, reportlab's
invariant mode.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
DOCS = HERE / "docs"

FIXED_DATE = dt.datetime(2025, 3, 5, 9, 0, 0)


def parse(path: Path) -> list[tuple[str, str]]:
    """Return (kind, text) blocks; kind is one of title/center/right/h1/h2/table/row/p."""
    blocks: list[tuple[str, str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            kind, _, text = line[1:].partition(" ")
            blocks.append((kind, text.strip()))
        else:
            blocks.append(("p", line))
    return blocks


# --------------------------------------------------------------------------- docx


def _set_east_asian_font(run, name: str) -> None:
    from docx.oxml.ns import qn

    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), name)


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps and sorted-as-written order (byte-stable output)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 3, 5, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def build_docx(src: Path, dest: Path) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.name = "Times New Roman"
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "仿宋_GB2312"
    )

    blocks = parse(src)
    i = 0
    while i < len(blocks):
        kind, text = blocks[i]
        if kind == "table":
            header = text.split("|")
            rows = []
            while i + 1 < len(blocks) and blocks[i + 1][0] == "row":
                i += 1
                rows.append(blocks[i][1].split("|"))
            table = doc.add_table(rows=1 + len(rows), cols=len(header))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, values in enumerate([header, *rows]):
                assert len(values) == len(header), values
                for c, value in enumerate(values):
                    cell = table.cell(r, c)
                    cell.text = value
                    for para in cell.paragraphs:
                        for run in para.runs:
                            run.font.size = Pt(10.5)
                            run.bold = r == 0
                            _set_east_asian_font(run, "黑体" if r == 0 else "仿宋_GB2312")
        elif kind == "h1":
            para = doc.add_heading(text, level=1)
            for run in para.runs:
                _set_east_asian_font(run, "黑体")
        elif kind == "h2":
            # Second-level headings are plain bold paragraphs, as in many real office files.
            para = doc.add_paragraph()
            run = para.add_run(text)
            run.bold = True
            _set_east_asian_font(run, "楷体_GB2312")
        else:
            para = doc.add_paragraph()
            run = para.add_run(text)
            if kind == "title":
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run.font.size = Pt(22)
                _set_east_asian_font(run, "方正小标宋简体")
            elif kind == "center":
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif kind == "right":
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif kind == "p":
                para.paragraph_format.first_line_indent = Pt(32)
            else:
                raise ValueError(f"unknown marker #{kind} in {src.name}")
        i += 1

    props = doc.core_properties
    props.author = "青山县人民政府办公室"
    props.title = "青山县2025年和美乡村建设实施方案"
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    props.last_modified_by = "青山县人民政府办公室"
    buf = io.BytesIO()
    doc.save(buf)
    dest.write_bytes(_normalise_zip(buf.getvalue()))


# --------------------------------------------------------------------------- pdf


def build_pdf(src: Path, dest: Path) -> None:
    from reportlab import rl_config

    rl_config.invariant = 1  # no creation date / random id: byte-stable output
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    base = {"fontName": "STSong-Light", "wordWrap": "CJK"}
    styles = {
        "title": ParagraphStyle("title", fontSize=20, leading=30, alignment=TA_CENTER, **base),
        "center": ParagraphStyle("center", fontSize=12, leading=20, alignment=TA_CENTER, **base),
        "h1": ParagraphStyle("h1", fontSize=15, leading=26, spaceBefore=8, **base),
        "h2": ParagraphStyle("h2", fontSize=13, leading=22, spaceBefore=4, **base),
        "p": ParagraphStyle("p", fontSize=12, leading=21, firstLineIndent=24, **base),
    }
    story = []
    for kind, text in parse(src):
        story.append(Paragraph(text, styles[kind]))
        if kind == "title":
            story.append(Spacer(1, 4 * mm))
    doc = SimpleDocTemplate(
        str(dest),
        pagesize=A4,
        leftMargin=28 * mm,
        rightMargin=26 * mm,
        topMargin=37 * mm,
        bottomMargin=35 * mm,
        title="青山县2025年政府工作报告（摘要）",
        author="青山县人民政府",
    )
    doc.build(story)


# --------------------------------------------------------------------------- gbk


def build_gbk(src: Path, dest: Path) -> None:
    text = src.read_text(encoding="utf-8")
    dest.write_bytes(text.replace("\n", "\r\n").encode("gbk"))


def main() -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    build_docx(SOURCES / "qingshan-rural-plan-2025.txt", DOCS / "qingshan-rural-plan-2025.docx")
    build_pdf(SOURCES / "qingshan-gov-report-2025.txt", DOCS / "qingshan-gov-report-2025.pdf")
    build_gbk(
        SOURCES / "qingshan-safety-flood-speech-2025.txt",
        DOCS / "qingshan-safety-flood-speech-2025.txt",
    )
    for path in sorted(DOCS.iterdir()):
        print(f"{path.stat().st_size:>8}  {path.relative_to(HERE)}")


if __name__ == "__main__":
    main()

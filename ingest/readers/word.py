"""Word files (.docx), with python-docx.

Paragraphs and tables are read in document order. Two things are done by hand, on python-docx's
XML objects, because the library's shortcuts lose text that matters in government drafts:
``Document.iter_inner_content()`` skips content controls (``w:sdt``), and ``Paragraph.text``
skips runs inside tracked insertions (``w:ins``), smart tags and simple fields.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml.etree import _Element

from ingest.errors import IngestError
from ingest.models import ExtractedText
from ingest.readers.archive import check_zip
from ingest.readers.builder import TextBuilder, one_line
from ingest.readers.tables import is_layout_table, table_lines

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLES = frozenset({"title", "标题"})
_MAX_STYLE_DEPTH = 10  # guards against a cycle of based-on styles in a broken file

# Runs whose text is on the page: not deleted, not inside a text box (drawn elsewhere).
_VISIBLE_RUNS = ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"


def read_docx(data: bytes, source: Path) -> ExtractedText:
    """Paragraphs, headings and tables of a .docx file. Raises ``IngestError``."""
    check_zip(data, source)  # before python-docx inflates a part
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # a bad package fails in zipfile, lxml, KeyError, ValueError, …
        raise IngestError(source, "corrupted", _describe(exc)) from exc
    reader = _WordReader()
    try:
        reader.add_blocks(document.element.body, document)
        title = document.core_properties.title
    except Exception as exc:  # malformed XML inside a well-formed package
        raise IngestError(source, "corrupted", _describe(exc)) from exc
    return reader.builder.build(title=title or reader.first_title)


class _WordReader:
    """Walks the body of a document into a ``TextBuilder``."""

    def __init__(self) -> None:
        self.builder = TextBuilder()
        self.first_title: str | None = None  # text of the first "Title" paragraph
        # Heading level by paragraph style id: python-docx finds a paragraph's style (the default
        # one above all) by scanning every style, which made a 5,000-paragraph file take 25 s.
        self._style_levels: dict[str | None, tuple[int | None, bool]] = {}

    def add_blocks(self, container: _Element, parent: object) -> None:
        """Add the paragraphs and tables under ``container`` (the body or a table cell)."""
        for block in _blocks(container, parent):
            if isinstance(block, Table):
                self._add_table(block)
            else:
                self._add_paragraph(block)

    def _add_paragraph(self, paragraph: Paragraph) -> None:
        text = _paragraph_text(paragraph)
        level, is_title = self._heading_level(paragraph)
        if is_title and self.first_title is None and text.strip():
            self.first_title = one_line(text)
        if level:
            self.builder.add_heading(text, level)
        else:
            self.builder.add(text)

    def _heading_level(self, paragraph: Paragraph) -> tuple[int | None, bool]:
        """``(level, is_title)`` of a paragraph: its outline level, else its style's (see ``_style_level``)."""
        direct = _outline_level(paragraph._p.pPr)
        if direct is not None:
            return (direct if direct <= 9 else None), False
        style_id = paragraph._p.style
        if style_id not in self._style_levels:
            self._style_levels[style_id] = _style_level(paragraph.style)
        return self._style_levels[style_id]

    def _add_table(self, table: Table) -> None:
        rows = [row.cells for row in table.rows]
        grid = [_grid_row(cells) for cells in rows]
        if not (is_layout_table(grid) or table._tbl.xpath(".//w:tc//w:tbl")):
            for line in table_lines(grid):
                self.builder.add(line)
            return
        # A layout table (or one holding tables): its cells are read as blocks, once each, though
        # a merged cell shows up in every row and column it spans.
        seen: list[_Element] = []
        for cells in rows:
            for cell in cells:
                if not any(cell._tc is element for element in seen):
                    seen.append(cell._tc)
                    self.add_blocks(cell._tc, cell)


def _blocks(container: _Element, parent: object) -> Iterator[Paragraph | Table]:
    """Paragraphs and tables in document order, including those inside content controls."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)
        elif child.tag == qn("w:tbl"):
            yield Table(child, parent)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content, parent)


def _paragraph_text(paragraph: Paragraph) -> str:
    """All visible run text of the paragraph; tabs and line breaks as ``\\t`` and ``\\n``."""
    return "".join(run.text for run in paragraph._p.xpath(_VISIBLE_RUNS))


def _grid_row(cells: list[_Cell]) -> list[str | None]:
    """Cell texts of one row by grid column; ``None`` where a horizontally merged cell goes on."""
    row: list[str | None] = []
    for column, cell in enumerate(cells):
        merged = column > 0 and cell._tc is cells[column - 1]._tc
        row.append(None if merged else _cell_text(cell))
    return row


def _cell_text(cell: _Cell) -> str:
    """A data cell on one line: its paragraphs joined by spaces."""
    paragraphs = [_paragraph_text(block) for block in _blocks(cell._tc, cell) if isinstance(block, Paragraph)]
    return one_line("\n".join(paragraphs))


def _style_level(style: object) -> tuple[int | None, bool]:
    """``(level, is_title)`` of a paragraph style: "Heading N", "标题 N", "Title" or an outline level.

    Direct formatting of a paragraph wins over its style; a style inherits from the styles it is
    based on. Outline level 9 is Word's "body text".
    """
    for _ in range(_MAX_STYLE_DEPTH):
        if not isinstance(style, ParagraphStyle):
            break
        name = (style.name or "").strip()
        if name.lower() in _TITLE_STYLES:
            return 1, True
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1)), False
        level = _outline_level(style.element.pPr)
        if level is not None:
            return (level if level <= 9 else None), False
        style = style.base_style
    return None, False


def _outline_level(ppr: _Element | None) -> int | None:
    """``w:outlineLvl`` of a paragraph-properties element, as a 1-based level (10 = body text)."""
    if ppr is None:
        return None
    element = ppr.find(qn("w:outlineLvl"))
    if element is None:
        return None
    try:
        return int(element.get(qn("w:val"), "9")) + 1
    except ValueError:
        return None


def _describe(exc: Exception) -> str:
    """A short technical detail for the operators' message."""
    return f"{type(exc).__name__}: {exc}"[:200]

"""Web pages (.html, .htm), with BeautifulSoup and lxml.

Block elements become lines, ``h1``…``h6`` heading marks, tables rows like Word tables; scripts,
styles, navigation, form controls and hidden elements are dropped. Inside a line, whitespace is
collapsed the way a browser renders it, so quotes match what a reader sees on the page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag
from bs4.dammit import EncodingDetector
from bs4.element import PreformattedString

from ingest.models import ExtractedText
from ingest.readers.builder import TextBuilder, one_line
from ingest.readers.encoding import decode_text
from ingest.readers.tables import Grid, is_layout_table, table_lines

_DROPPED = frozenset(
    {
        "head", "script", "style", "nav", "noscript", "template", "iframe", "svg", "canvas",
        "object", "embed", "select", "button", "input", "textarea",
    }
)  # fmt: skip
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
        "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header",
        "hgroup", "hr", "html", "li", "main", "menu", "ol", "p", "section", "summary", "td", "th",
        "tr", "ul",
    }
)  # fmt: skip
_HEADING_LEVELS = {f"h{level}": level for level in range(1, 7)}
_CELLS = frozenset({"td", "th"})
_FLAT_BLOCKS = frozenset({"table", *_HEADING_LEVELS})  # blocks in the text of one heading or cell
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")  # HTML whitespace; U+3000 and &nbsp; are text
_MAX_SPAN = 1000  # colspan/rowspan beyond this is an error in the page


def read_html(data: bytes, source: Path) -> ExtractedText:
    """Visible text of the page, with heading marks and the ``<title>``. Raises ``IngestError``."""
    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    text, encoding = decode_text(data, source, declared=declared)
    soup = BeautifulSoup(text, "lxml")
    title_tag = soup.find("title")
    walker = _Walker()
    walker.walk(soup.body or soup)
    walker.flush()
    builder = TextBuilder()
    for level, line in walker.lines:
        if level:
            builder.add_heading(line, level)
        else:
            builder.add(line)
    return builder.build(title=title_tag.get_text() if title_tag else None, encoding=encoding)


class _Walker:
    """Collects ``(heading level or 0, line)`` from a tree of elements.

    The tree is walked with a stack of its own, not by recursion: a page may nest elements
    deeper than Python's recursion limit (500 ``<div>`` inside each other). A ``flat`` walker
    reads the text of one heading or cell: headings and tables in it are plain blocks there, so
    walkers never nest more than two deep.
    """

    def __init__(self, *, flat: bool = False) -> None:
        self._flat = flat
        self.lines: list[tuple[int, str]] = []
        self._inline: list[str] = []  # text of the line being built
        self._pending: list[PageElement | None] = []  # what is left to visit, last first; None: end a line

    def walk(self, node: Tag) -> None:
        """Visit the children of ``node`` and everything under them, in document order."""
        self._push(node.children)
        while self._pending:
            item = self._pending.pop()
            if item is None:
                self.flush()
            elif isinstance(item, Tag):
                self._visit(item)
            elif isinstance(item, NavigableString) and not isinstance(item, PreformattedString):
                self._inline.append(str(item))  # PreformattedString: comments, doctype, …

    def flush(self) -> None:
        """End the current line."""
        line = _collapse("".join(self._inline))
        self._inline.clear()
        if line:
            self.lines.append((0, line))

    def _push(self, items: Iterable[PageElement | None]) -> None:
        """Visit ``items`` next, in their order."""
        self._pending.extend(reversed(list(items)))

    def _visit(self, tag: Tag) -> None:
        name = tag.name
        if name in _DROPPED or _is_hidden(tag):
            return
        if name == "br":
            self.flush()
        elif name in _HEADING_LEVELS and not self._flat:
            self.flush()
            text = _text_of(tag)
            if text:
                self.lines.append((_HEADING_LEVELS[name], text))
        elif name == "table" and not self._flat:
            self.flush()
            self._table(tag)
        elif name == "pre":
            self.flush()
            self.lines.extend((0, line) for line in tag.get_text().splitlines())
        elif name in _BLOCKS or (self._flat and name in _FLAT_BLOCKS):
            self.flush()
            self._push([*tag.children, None])
        else:
            self._push(tag.children)

    def _table(self, table: Tag) -> None:
        parts = _table_parts(table)
        if parts.caption is not None:
            self.lines.append((0, _text_of(parts.caption)))
        cells = parts.cells
        if not parts.holds_blocks:
            grid = _grid(cells)
            if not is_layout_table(grid):
                self.lines.extend((0, line) for line in table_lines(grid))
                return
        # A layout table (page frame, signature block): its cells are blocks.
        self._push(item for row in cells for cell in row for item in (*cell.children, None))


def _text_of(tag: Tag) -> str:
    """The visible text under ``tag`` on one line (a heading, a table cell)."""
    walker = _Walker(flat=True)
    walker.walk(tag)
    walker.flush()
    return one_line("\n".join(line for _, line in walker.lines))


@dataclass
class _TableParts:
    """What a table holds itself, tables nested in its cells aside."""

    caption: Tag | None = None
    cells: list[list[Tag]] = field(default_factory=list)  # the ``td``/``th`` of each row
    holds_blocks: bool = False  # a cell holds a table or a heading: the table lays out a page


def _table_parts(table: Tag) -> _TableParts:
    """Caption, rows and cells of ``table``, in one pass that does not enter nested tables.

    One pass over the table's own elements keeps pages of tables nested in tables linear.
    """
    parts = _TableParts()
    pending: list[tuple[PageElement, bool]] = [(child, False) for child in reversed(table.contents)]
    while pending:
        node, in_cell = pending.pop()
        if not isinstance(node, Tag):
            continue
        if in_cell and (node.name == "table" or node.name in _HEADING_LEVELS):
            parts.holds_blocks = True
        if node.name == "table":
            continue  # its own rows are its own
        if node.name == "caption" and parts.caption is None and not in_cell and not _is_hidden(node):
            parts.caption = node
        if node.name == "tr":
            parts.cells.append([cell for cell in node.children if isinstance(cell, Tag) and cell.name in _CELLS])
        in_cell = in_cell or node.name in _CELLS
        pending.extend((child, in_cell) for child in reversed(node.contents))
    return parts


def _grid(rows: list[list[Tag]]) -> Grid:
    """Cell texts by grid column: ``colspan`` continues as ``None``, ``rowspan`` repeats the text."""
    grid: list[list[str | None]] = []
    carried: dict[int, tuple[str | None, int]] = {}  # column -> (text, rows it still covers)
    for cells in rows:
        row: list[str | None] = []
        waiting = list(cells)
        while waiting or any(column >= len(row) for column in carried):
            column = len(row)
            if column in carried:
                text, left = carried.pop(column)
                if left > 1:
                    carried[column] = (text, left - 1)
                row.append(text)
            elif waiting:
                cell = waiting.pop(0)
                text = _text_of(cell)
                span_rows = _span(cell, "rowspan")
                for offset in range(_span(cell, "colspan")):
                    value = text if offset == 0 else None
                    if span_rows > 1:
                        carried[len(row)] = (value, span_rows - 1)
                    row.append(value)
            else:
                row.append("")  # a gap left of a cell carried down from above
        grid.append(row)
    return grid


def _span(cell: Tag, attribute: str) -> int:
    """A ``colspan``/``rowspan`` value, 1 if missing or invalid."""
    try:
        value = int(str(cell.get(attribute, "1")).strip())
    except ValueError:
        return 1
    return min(max(value, 1), _MAX_SPAN)


def _is_hidden(tag: Tag) -> bool:
    return tag.has_attr("hidden") or bool(_HIDDEN_STYLE.search(str(tag.get("style", ""))))


def _collapse(text: str) -> str:
    """Collapse whitespace as a browser does (CSS Text 3).

    A run becomes one space, except that a line break between two East Asian wide characters
    disappears: HTML source wrapped inside a Chinese sentence renders without a gap.
    """

    def replace(match: re.Match[str]) -> str:
        run = match.group()
        if "\n" in run or "\r" in run:
            before = text[match.start() - 1] if match.start() else ""
            after = text[match.end()] if match.end() < len(text) else ""
            if _is_wide(before) and _is_wide(after):
                return ""
        return " "

    return _SPACE_RUN.sub(replace, text).strip()


def _is_wide(char: str) -> bool:
    return bool(char) and unicodedata.east_asian_width(char) in ("W", "F")

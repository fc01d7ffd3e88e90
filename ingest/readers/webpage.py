"""Web pages (.html, .htm), with BeautifulSoup and lxml.

Block elements become lines, ``h1``…``h6`` heading marks, tables rows like Word tables; scripts,
styles, navigation, form controls and hidden elements are dropped. Inside a line, whitespace is
collapsed the way a browser renders it, so quotes match what a reader sees on the page.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
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
    """Collects ``(heading level or 0, line)`` from a tree of elements."""

    def __init__(self) -> None:
        self.lines: list[tuple[int, str]] = []
        self._inline: list[str] = []  # text of the line being built

    def walk(self, node: Tag) -> None:
        """Visit the children of ``node``."""
        for child in node.children:
            if isinstance(child, Tag):
                self._visit(child)
            elif isinstance(child, NavigableString) and not isinstance(child, PreformattedString):
                self._inline.append(str(child))  # PreformattedString: comments, doctype, …

    def flush(self) -> None:
        """End the current line."""
        line = _collapse("".join(self._inline))
        self._inline.clear()
        if line:
            self.lines.append((0, line))

    def _visit(self, tag: Tag) -> None:
        name = tag.name
        if name in _DROPPED or _is_hidden(tag):
            return
        if name == "br":
            self.flush()
        elif name in _HEADING_LEVELS:
            self.flush()
            text = _text_of(tag)
            if text:
                self.lines.append((_HEADING_LEVELS[name], text))
        elif name == "table":
            self.flush()
            self._table(tag)
        elif name == "pre":
            self.flush()
            self.lines.extend((0, line) for line in tag.get_text().splitlines())
        elif name in _BLOCKS:
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.walk(tag)

    def _table(self, table: Tag) -> None:
        caption = table.find("caption")
        if caption is not None and caption.find_parent("table") is table:
            self.lines.append((0, _text_of(caption)))
        cells = _cell_tags(table)
        if not any(cell.find(["table", *_HEADING_LEVELS]) for row in cells for cell in row):
            grid = _grid(cells)
            if not is_layout_table(grid):
                self.lines.extend((0, line) for line in table_lines(grid))
                return
        for row in cells:  # a layout table (page frame, signature block): its cells are blocks
            for cell in row:
                self.walk(cell)
                self.flush()


def _text_of(tag: Tag) -> str:
    """The visible text under ``tag`` on one line (a heading, a table cell)."""
    walker = _Walker()
    walker.walk(tag)
    walker.flush()
    return one_line("\n".join(line for _, line in walker.lines))


def _cell_tags(table: Tag) -> list[list[Tag]]:
    """The ``td``/``th`` of each row of this table, not of tables nested in it."""
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    return [row.find_all(["td", "th"], recursive=False) for row in rows]


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

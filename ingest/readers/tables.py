"""Render a table as lines that read like sentences: ``表头1：值1；表头2：值2。`` per data row.

Readers (docx, html, markdown) turn their tables into a *grid*: one list per row, one entry per
grid column, holding the cell text, or ``None`` where a horizontally merged cell continues.
Vertically merged cells repeat their text in every row they cover, so each row line names all
its values (「牵头单位：县公安局」 stays true for every task it leads).
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.readers.builder import one_line

Grid = Sequence[Sequence[str | None]]

_TRAILING_PUNCTUATION = "。；;，,"


def is_layout_table(grid: Grid) -> bool:
    """True for tables that only lay text out (one row, or one column): no header/value pairs.

    Word documents often put a whole notice, or a signature block, in such a table; its cells
    are read as ordinary paragraphs instead.
    """
    rows = [row for row in grid if any(row)]
    if len(rows) <= 1:
        return True
    return all(sum(1 for cell in row if cell is not None) <= 1 for row in rows)


def table_lines(grid: Grid) -> list[str]:
    """One line per data row, the first row being the header.

    A leading title row (one text across the whole width) becomes a line of its own and the
    next row is the header. Empty cells are skipped, and so is a repeated header/value pair.
    """
    rows = [[None if cell is None else one_line(cell) for cell in row] for row in grid]
    rows = [row for row in rows if any(row)]
    lines: list[str] = []
    while len(rows) > 2 and _is_title_row(rows[0]):
        lines.append(_distinct(rows[0])[0])
        rows = rows[1:]
    if not rows:
        return lines
    header, *body = rows
    if not body:
        return lines + _distinct(header)
    for row in body:
        line = _row_line(header, row)
        if line:
            lines.append(line)
    return lines


def _row_line(header: Sequence[str | None], row: Sequence[str | None]) -> str:
    """``表头：值；表头：值。`` for one data row; empty if the row has no values."""
    parts: list[str] = []
    seen: set[tuple[str, str]] = set()
    for column, cell in enumerate(row):
        if not cell:
            continue
        value = cell.rstrip(_TRAILING_PUNCTUATION) or cell
        name = _header_of(header, column)
        if (name, value) in seen:
            continue
        seen.add((name, value))
        parts.append(f"{name}：{value}" if name and name != value else value)
    return "；".join(parts) + "。" if parts else ""


def _header_of(header: Sequence[str | None], column: int) -> str:
    """The header text over ``column``; a merged header cell covers the columns it spans."""
    if column >= len(header):
        return ""
    for index in range(column, -1, -1):
        if header[index] is not None:
            return header[index] or ""
    return ""


def _is_title_row(row: Sequence[str | None]) -> bool:
    """True if the row holds a single text spanning a table that has more than one column."""
    return len(row) > 1 and len(_distinct(row)) == 1


def _distinct(row: Sequence[str | None]) -> list[str]:
    """The non-empty texts of a row, each once, in order."""
    return list(dict.fromkeys(cell for cell in row if cell))

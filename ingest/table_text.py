"""责任分工 tables that reached us as plain lines (PDF text layers): header cells, then row cells.

A PDF keeps no table structure; pypdf gives each cell on its own line (「序号」「重点任务」「牵头单位」…
then 「1」「完善…」「县公安局」…), or a row's cells on one line separated by spaces. Rows are read only
when they can be read with certainty: a header of known column names with a party column, rows
numbered in sequence with exactly one line per column (or a line with exactly one token per column),
party cells that look like units and time cells that look like times. Anything else is left to the
sentence reader — precision before recall. (docx and html tables keep their structure and are
rendered as 「列名：值；…」 lines by the readers; see :mod:`ingest.readers.tables`.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.language.columns import COLUMNS
from ingest.language.parties import is_party
from ingest.language.roles import ROLES
from ingest.language.times import DEADLINE, TABLE_TIME

_KNOWN = frozenset(COLUMNS)
_ROLE_OR_TIME = (*ROLES, "deadline")
_DIGIT = re.compile(r"\d")
_MIN_COLUMNS = 3
_MAX_CELL_CHARS = 80
_SPACES_IN_CHINESE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")  # layout, as normalize drops it


@dataclass(frozen=True)
class Cell:
    """One cell: its column name, its text and its normalised span."""

    column: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class TextTableRow:
    """A table row read from plain lines; ``start``/``end`` span all its cells."""

    start: int
    end: int
    cells: tuple[Cell, ...]

    def role_cells(self) -> list[tuple[str, Cell]]:
        """(role or "deadline", cell) for the cells of party and time columns."""
        return [(COLUMNS[c.column], c) for c in self.cells if COLUMNS.get(c.column) in _ROLE_OR_TIME and c.value]

    @property
    def task(self) -> str | None:
        return next((c.value for c in self.cells if COLUMNS.get(c.column) == "task"), None)


def find_text_table_rows(text: str) -> list[TextTableRow]:
    """Rows of 责任分工 tables written as plain lines in ``text`` (canonical characters, spaces kept)."""
    lines = _lines(text)
    rows: list[TextTableRow] = []
    index = 0
    while index < len(lines):
        header, after = _header_at(lines, index)
        if header is None:
            index += 1
            continue
        one_per_line = after > index + 1
        found, index = _cell_lines(lines, after, header) if one_per_line else _token_lines(lines, after, header)
        rows.extend(found)
    return rows


def _lines(text: str) -> list[tuple[str, int, int]]:
    lines = []
    position = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = position + line.index(stripped)
            lines.append((stripped, start, start + len(stripped)))
        position += len(line) + 1
    return lines


def _header_at(lines: list[tuple[str, int, int]], index: int) -> tuple[list[str] | None, int]:
    """A header starting at line ``index`` and the line after it: one column per line, or one line."""
    names = []
    cursor = index
    while cursor < len(lines) and lines[cursor][0] in _KNOWN and lines[cursor][0] not in names:
        names.append(lines[cursor][0])
        cursor += 1
    if _usable(names) and COLUMNS.get(names[0]) == "number":
        return names, cursor
    tokens = lines[index][0].split()
    if len(set(tokens)) == len(tokens) and all(token in _KNOWN for token in tokens) and _usable(tokens):
        return tokens, index + 1
    return None, index + 1


def _usable(names: list[str]) -> bool:
    roles = {COLUMNS.get(name) for name in names}
    return len(names) >= _MIN_COLUMNS and bool(roles & set(ROLES))


def _cell_lines(lines: list[tuple[str, int, int]], index: int, header: list[str]) -> tuple[list[TextTableRow], int]:
    """Rows numbered 1, 2, 3… with one line per cell (the number included)."""
    rows = []
    expected = 1
    while index < len(lines) and lines[index][0] == str(expected):
        following = next((i for i in range(index + 1, len(lines)) if lines[i][0] == str(expected + 1)), None)
        end = following if following is not None else min(len(lines), index + len(header))
        block = lines[index:end]
        if len(block) == len(header):
            row = _row(header, block)
            if row is not None:
                rows.append(row)
        elif following is None:
            break
        index, expected = end, expected + 1
    return rows, max(index, 0)


def _token_lines(lines: list[tuple[str, int, int]], index: int, header: list[str]) -> tuple[list[TextTableRow], int]:
    """Rows with one whitespace-separated token per column on a line of their own."""
    rows = []
    while index < len(lines):
        line, start, _ = lines[index]
        tokens = list(re.finditer(r"\S+", line))
        if len(tokens) != len(header):
            break
        cells = [(token.group(), start + token.start(), start + token.end()) for token in tokens]
        row = _row(header, cells)
        if row is None:
            break
        rows.append(row)
        index += 1
    return rows, index


def _row(header: list[str], block: list[tuple[str, int, int]]) -> TextTableRow | None:
    """A row whose cells are what their columns promise, else None."""
    cells = tuple(
        Cell(column, _SPACES_IN_CHINESE.sub("", value), start, end)
        for column, (value, start, end) in zip(header, block, strict=True)
    )
    for cell in cells:
        if len(cell.value) > _MAX_CELL_CHARS:
            return None
        role = COLUMNS.get(cell.column)
        if role == "deadline" and not (
            DEADLINE.search(cell.value) or TABLE_TIME.search(cell.value) or _DIGIT.search(cell.value)
        ):
            return None
        if role in ROLES and not is_party(cell.value):
            return None
    if not any(role != "deadline" for role, _ in TextTableRow(0, 0, cells).role_cells()):
        return None
    return TextTableRow(block[0][1], block[-1][2], cells)

"""Task-division table rows: as the readers render them, 「牵头单位：县发改局；责任单位：县财政局；完成时限：年底前。」,
and as plain text holds them, cells separated by TABs under a header line.

A row's cells name its parties by column; when they do, nothing else of the row is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import cast

from ingest.conventions.registry import Party, Statement, convention
from ingest.conventions.spans import party
from ingest.language.boundaries import CELL_SEPARATOR, row_line
from ingest.language.columns import COLUMNS, TABLE_FIELD, TABLE_SCOPE, Field, column_field, column_title
from ingest.language.parties import is_party, names_a_party
from ingest.language.roles import ROLES, Role
from ingest.language.times import DEADLINE, TABLE_TIME


@convention(
    reads="lead, responsible, cooperate",
    example="重点任务：建立项目储备库；牵头单位：县发改局；责任单位：各乡镇；配合单位：县财政局；完成时限：6月底前。",
    exclusive=True,
)
def table_row(statement: Statement) -> Iterator[Party]:
    """「牵头单位：X；责任单位：Y；配合单位：Z」: each party cell names its party in its column's role."""
    for match in TABLE_FIELD.finditer(statement.segment):
        role = COLUMNS[match.group(1)]
        if role != "deadline":
            value_start = statement.start + match.start(2)
            title = column_title(match.group(1))
            yield party(match.group(2), cast(Role, role), value_start, explicit=True, title=title)


_MAX_HEADER_CELL_CHARS = 12
_MAX_GROUP_LINE_CHARS = 30  # a line grouping rows; a longer one is prose after the table
_MIN_CELLS = 3


@convention(
    reads="lead, responsible, cooperate",
    example="序号\t重点任务\t牵头处室\t负责处室\t配合处室\n3\t修订学校章程\t校长办公室\t党政办\t教学处",
    exclusive=True,
)
def separated_row(statement: Statement) -> Iterator[Party]:
    """A row of cells under a header line (TABs in the text): each party cell names its party in its
    column's role. A row with fewer cells than its header lost merged cells (see :func:`_aligned`)."""
    for column, value, start in _row_columns(statement.text, statement.end - 1):
        field = column_field(column)
        if field in ROLES and names_a_party(value):
            yield party(value, cast(Role, field), start, explicit=True, title=column_title(column))


def row_value(text: str, start: int, end: int, field: Field) -> str | None:
    r"""The cell of the table row ``text[start:end]`` under a column filling ``field``, as the readers
    render it (「推广范围：全国」) or under a header line.

    >>> row_value("序号\t改革举措\t指导部门\t推广范围\n3\t专利保险\t科技部\t全国", 29, 30, "scope")
    '全国'
    """
    if field == "scope":
        rendered = TABLE_SCOPE.search(text, start, end)
        if rendered:
            return rendered.group(1).strip()
    row = [value for column, value, _ in _row_columns(text, end - 1) if value and column_field(column) == field]
    return row[0] if row else None


def _row_columns(text: str, position: int) -> list[tuple[str, str, int]]:
    """The cells of the table row holding ``position``, each with its column and offset; none when
    the line is no row under a header."""
    row = row_line(text, position)
    if row is None:
        return []
    cells = _cells(text, *row)
    header = _header_above(text, row[0])
    if header is None or len(cells) < _MIN_CELLS or len(cells) > len(header):
        return []
    return [(column, value, start) for column, (value, start) in zip(_aligned(header, cells), cells, strict=True)]


def _aligned(header: list[str], cells: list[tuple[str, int]]) -> list[str]:
    """The columns of a row's cells. A row with fewer cells than its header lost cells merged with the
    rows above: its first cell (the number) keeps the first column and the others run on from the
    column where party cells hold units and time cells hold times."""
    if len(cells) == len(header):
        return header
    offsets = range(1, len(header) - len(cells) + 2)
    layouts = [[header[0], *header[offset : offset + len(cells) - 1]] for offset in offsets]
    return max(layouts, key=lambda columns: _fit(columns, cells))


def _fit(columns: list[str], cells: list[tuple[str, int]]) -> int:
    """How well cells fit their columns: a unit in a party column (a bare name may be a person of
    the next column), a time in a time column."""
    fit = 0
    for column, (value, _) in zip(columns, cells, strict=True):
        field = column_field(column)
        if value and field in ROLES:
            fit += 2 if is_party(value) else 0 if names_a_party(value) else -1
        elif value and field == "deadline":
            fit += 1 if DEADLINE.search(value) or TABLE_TIME.search(value) else -1
    return fit


def _cells(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """The cells of the row ``text[start:end]`` with their offsets."""
    cells, cursor = [], start
    for value in text[start:end].split(CELL_SEPARATOR):
        cells.append((value.strip(), cursor))
        cursor += len(value) + len(CELL_SEPARATOR)
    return cells


def _header_above(text: str, row_start: int) -> list[str] | None:
    r"""The header of the table a row belongs to: the nearest line above of short column names, one of
    them naming a party column, over the rows between and over short lines grouping them (a merged
    cell such as 「一、知识产权保护方面（共5项）」 keeps no TABs); a longer line ends the table.

    >>> _header_above("序号\t任务\t牵头单位\n1\t甲\t县财政局\n2\t乙\t县审计局", 20)
    ['序号', '任务', '牵头单位']
    """
    header = _headers(text).get(row_start)
    return list(header) if header is not None else None


@lru_cache(maxsize=4)
def _headers(text: str) -> dict[int, tuple[str, ...] | None]:
    """The header above each line of ``text`` (by the line's start), read in one pass from the top:
    walking up from every row of a long table would read the table once per row."""
    headers: dict[int, tuple[str, ...] | None] = {}
    current: tuple[str, ...] | None = None
    line_start = 0
    for line in text.split("\n"):
        headers[line_start] = current
        if CELL_SEPARATOR in line:
            names = tuple(name.strip() for name in line.split(CELL_SEPARATOR))
            if all(len(name) <= _MAX_HEADER_CELL_CHARS for name in names) and (
                {column_field(name) for name in names} & set(ROLES)
            ):
                current = names
        elif len(line.strip()) > _MAX_GROUP_LINE_CHARS:
            current = None
        line_start += len(line) + 1
    return headers

"""Markdown files (.md, .markdown).

Headings (``#`` and underlined) become heading marks without their ``#``; the markup that would
otherwise end up inside quotes (``**bold**``, links, inline code, bullets, ``>``, rules) is
dropped; pipe tables are rendered like Word tables. Anything subtler is kept as written: a
full Markdown parser would also rewrite the text (escapes, emphasis), and quotes must match
the file. Own code rather than a library for that reason, and because none is installed.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.models import ExtractedText
from ingest.readers.builder import TextBuilder, split_lines
from ingest.readers.encoding import decode_text
from ingest.readers.tables import table_lines

_ATX_OPENING = re.compile(r" {0,3}(#{1,6})(?=[ \t]|$)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_TABLE_DELIMITER = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_BLOCK_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)+|^[ \t]*[-*+][ \t]+")

# Neither a link's text nor its target holds the bracket that opens it, so a try that fails stops
# at the next opening bracket: a line of 10,000 「![」 took seconds when each try ran to the line's end.
_INLINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[([^\[\]]*)\]\([^()]*\)"), r"\1"),  # image → its alt text
    (re.compile(r"\[([^\[\]]+)\]\([^()]*\)"), r"\1"),  # link → its text
    (re.compile(r"\*\*(.+?)\*\*"), r"\1"),
    (re.compile(r"__(.+?)__"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
)


def read_markdown(data: bytes, source: Path) -> ExtractedText:
    """Decode the file and return its text with heading marks. Raises ``IngestError``."""
    text, encoding = decode_text(data, source)
    builder = TextBuilder()
    for level, line in _blocks(split_lines(text)):
        if level:
            builder.add_heading(line, level)
        else:
            builder.add(line)
    return builder.build(encoding=encoding)


def _blocks(lines: list[str]) -> list[tuple[int, str]]:
    """``(heading level or 0, text)`` per output line, markup removed."""
    blocks: list[tuple[int, str]] = []
    in_code = False
    previous_is_text = False  # the line before could be the text of an underlined heading
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if _FENCE.match(line):
            in_code, previous_is_text = not in_code, False
            continue
        if in_code:
            blocks.append((0, line))
            continue
        underline = _SETEXT_UNDERLINE.match(line)
        if underline and previous_is_text:
            blocks[-1] = (1 if underline.group(1).startswith("=") else 2, blocks[-1][1])
            previous_is_text = False
            continue
        if "|" in line and index < len(lines) and _TABLE_DELIMITER.match(lines[index]):
            rows = [_cells(line)]
            index += 1
            while index < len(lines) and "|" in lines[index] and lines[index].strip():
                rows.append(_cells(lines[index]))
                index += 1
            blocks.extend((0, row) for row in table_lines(rows))
            previous_is_text = False
            continue
        heading = _atx_heading(line)
        if heading:
            blocks.append((heading[0], _inline(heading[1])))
            previous_is_text = False
        elif _THEMATIC_BREAK.match(line) or not line.strip():
            previous_is_text = False
        else:
            blocks.append((0, _inline(_BLOCK_PREFIX.sub("", line, count=1))))
            previous_is_text = True
    return blocks


def _atx_heading(line: str) -> tuple[int, str] | None:
    """``(level, text)`` of a ``#`` heading line, its closing ``#`` run dropped; ``None`` for other lines.

    Read without a regex over the whole line: one with an optional closing run backtracked
    through every space of a long line (10,000 spaces: 5 s).

    >>> _atx_heading("## 一、总体要求 ##"), _atx_heading("#标签"), _atx_heading("# C#")
    ((2, '一、总体要求'), None, (1, 'C#'))
    """
    opening = _ATX_OPENING.match(line)
    if opening is None:
        return None
    text = line[opening.end() :].strip(" \t")
    unclosed = text.rstrip("#")
    if unclosed != text and (not unclosed or unclosed[-1] in " \t"):
        text = unclosed.rstrip(" \t")
    return len(opening.group(1)), text


def _cells(line: str) -> list[str | None]:
    """The cells of one pipe-table row (``\\|`` is a literal bar)."""
    inner = line.strip().removeprefix("|")
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return [_inline(cell.replace("\\|", "|")) for cell in re.split(r"(?<!\\)\|", inner)]


def _inline(text: str) -> str:
    """Drop inline markup whose markers would otherwise show in quotes."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text

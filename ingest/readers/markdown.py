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

_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_TABLE_DELIMITER = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_BLOCK_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)+|^[ \t]*[-*+][ \t]+")

_INLINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image → its alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # link → its text
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
        heading = _ATX_HEADING.match(line)
        if heading:
            blocks.append((len(heading.group(1)), _inline(heading.group(2) or "")))
            previous_is_text = False
        elif _THEMATIC_BREAK.match(line) or not line.strip():
            previous_is_text = False
        else:
            blocks.append((0, _inline(_BLOCK_PREFIX.sub("", line, count=1))))
            previous_is_text = True
    return blocks


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

"""Find the heading hierarchy of a Chinese document: 一、 / （一） / 1. / （1） / 一要….

Headings are found on normalised text. A fixed rank per numbering style (not the order of first
appearance) keeps the hierarchy right for excerpts that start mid-document, such as page 2 of a
speech that opens inside section 三 with its 九要 item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.language.numerals import cn_number
from ingest.models import Section

_RANKED_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(r"^第[一二三四五六七八九十百]+[章部分]")),
    (1, re.compile(r"^[一二三四五六七八九十百]+、")),
    (2, re.compile(r"^（[一二三四五六七八九十]+）")),
    (2, re.compile(r"^第[一二三四五六七八九十百]+节")),
    (3, re.compile(r"^\d{1,2}[.、](?!\d)")),
    (4, re.compile(r"^（\d{1,2}）")),
)
# 一要… 二要…: an enumerated requirement that opens a sentence; it heads what follows it.
_ITEM_RANK = 5
_ITEM = re.compile(r"(?:^|(?<=[。！？]))([一二三四五六七八九十]{1,2})要(?=[^，。；]{2})")
_MAX_HEADING_CHARS = 40


def opens_a_section(line: str) -> bool:
    """Whether a (normalised) line starts with a numbered heading: 「一、」「（二）」「3.」「第一章」.

    >>> opens_a_section("一、工作要求"), opens_a_section("（二）抓好春耕"), opens_a_section("2024年工作回顾")
    (True, True, False)
    """
    return any(pattern.match(line) for _, pattern in _RANKED_PATTERNS)


@dataclass(frozen=True)
class Heading:
    """A heading found in the text: its rank, its text and where it starts."""

    rank: int
    text: str
    start: int


def find_sections(text: str, hints: tuple[tuple[int, int, int], ...] = ()) -> list[Section]:
    """Split normalised ``text`` into sections, each with its heading path.

    ``hints`` are (start, end, level) headings the file format marked, in normalised offsets.
    Text before the first heading forms a section with an empty path.
    """
    headings = find_headings(text, hints)
    boundaries = [0, *(heading.start for heading in headings), len(text)]
    paths: list[tuple[str, ...]] = [()]
    stack: list[Heading] = []
    for heading in headings:
        while stack and stack[-1].rank >= heading.rank:
            stack.pop()
        stack.append(heading)
        paths.append(tuple(h.text for h in stack))
    sections = [
        Section(path, start, end)
        for path, start, end in zip(paths, boundaries[:-1], boundaries[1:], strict=True)
        if text[start:end].strip()
    ]
    return sections


def find_headings(text: str, hints: tuple[tuple[int, int, int], ...] = ()) -> list[Heading]:
    """Every heading in ``text``, in order."""
    hinted = {start: (end, level) for start, end, level in hints}
    headings: list[Heading] = []
    position = 0
    for line in text.split("\n"):
        line_start = position
        position += len(line) + 1
        if not line.strip():
            continue
        if line_start in hinted:
            end, level = hinted[line_start]
            rank = _pattern_rank(line) or level
            headings.append(Heading(rank, _clip(text[line_start:end]), line_start))
            continue
        rank = _pattern_rank(line)
        if rank:
            headings.append(Heading(rank, _heading_text(line), line_start))
        headings.extend(_enumerated_items(line, line_start, opens_line=rank is None))
    return headings


def _pattern_rank(line: str) -> int | None:
    for rank, pattern in _RANKED_PATTERNS:
        if pattern.match(line):
            return rank
    return None


def _heading_text(line: str) -> str:
    """A heading line's text, or the first sentence of a paragraph that opens with a number."""
    match = re.search(r"[。！？]", line)
    return _clip(line if match is None else line[: match.start()])


def _enumerated_items(line: str, line_start: int, opens_line: bool) -> list[Heading]:
    """一要…二要… items in a paragraph, kept only while their numbers run in sequence."""
    items: list[Heading] = []
    expected: int | None = None
    for match in _ITEM.finditer(line):
        number = cn_number(match.group(1))
        at_line_start = match.start() == 0
        if number is None:
            continue
        if expected is not None and number != expected:
            continue
        if expected is None and not (number == 1 or (at_line_start and opens_line)):
            continue
        sentence_end = re.search(r"[。！？]", line[match.start() :])
        end = match.start() + sentence_end.start() if sentence_end else len(line)
        items.append(Heading(_ITEM_RANK, _clip(line[match.start() : end]), line_start + match.start()))
        expected = number + 1
    return items


def _clip(heading: str) -> str:
    heading = heading.strip().rstrip("。：:")
    return heading if len(heading) <= _MAX_HEADING_CHARS else heading[: _MAX_HEADING_CHARS - 1] + "…"

"""Split sections into sentences and pack whole sentences into chunks.

LangChain's RecursiveCharacterTextSplitter cuts at a size and can cut mid-sentence and across
headings, and keeps no offsets once separators are stripped; Chinese needs sentence ends
(。！？；) as hard boundaries and the section path on every chunk, so the packing is ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.language.boundaries import CLAUSE_ENDS, SENTENCE, STATEMENT, row_line
from ingest.models import Chunk, Section
from ingest.normalize import NormalizedText

_CLAUSE_BREAK = re.compile(r"[，、：]")
# Punctuation that makes a heading line a sentence (「一、由县政法委牵头，负责…。」), so body text.
_SENTENCE_MARKS = frozenset(CLAUSE_ENDS) - {"："}


@dataclass(frozen=True)
class ChunkingPolicy:
    """Sizes in characters of normalised text."""

    target_chars: int = 240
    max_sentence_chars: int = 300
    overlap_sentences: int = 1
    max_overlap_chars: int = 120


def sentence_spans(text: str, start: int = 0, end: int | None = None, *, fine: bool = True) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (whitespace trimmed, empty ones dropped).

    ``fine`` splits at ； too (chunk boundaries); otherwise only at 。！？ (whole statements,
    which extraction reads so that a 由X牵头，…；Y要… task stays together), and a table row
    (cells separated by TABs) is one statement whatever its cells say.
    """
    end = len(text) if end is None else end
    pattern = SENTENCE if fine else STATEMENT
    spans = []
    for match in pattern.finditer(text, start, end):
        span_start, span_end = match.start(), match.end()
        while span_start < span_end and text[span_start].isspace():
            span_start += 1
        while span_end > span_start and text[span_end - 1].isspace():
            span_end -= 1
        if span_end > span_start:
            if not fine and spans and _same_row(text, spans[-1][1], span_start):
                span_start = spans.pop()[0]
            spans.append((span_start, span_end))
    return spans


def _same_row(text: str, previous_end: int, start: int) -> bool:
    """Whether two statements lie on one table row."""
    return "\n" not in text[previous_end:start] and row_line(text, start) is not None


def _bounded(spans: list[tuple[int, int]], text: str, limit: int) -> Iterator[tuple[int, int]]:
    """Split sentences longer than ``limit`` at clause breaks (，、：), else at ``limit``."""
    for start, end in spans:
        while end - start > limit:
            window = text[start : start + limit]
            breaks = [m.end() for m in _CLAUSE_BREAK.finditer(window)]
            cut = start + (breaks[-1] if breaks and breaks[-1] > limit // 3 else limit)
            yield start, cut
            start = cut
        yield start, end


def chunk_sections(
    normalized: NormalizedText,
    original: str,
    sections: list[Section],
    policy: ChunkingPolicy = ChunkingPolicy(),
) -> list[Chunk]:
    """Pack each section's sentences into chunks that never cross a section or a sentence."""
    chunks: list[Chunk] = []
    text = normalized.text
    for number, section in enumerate(sections):
        spans = list(_bounded(sentence_spans(text, section.start, section.end), text, policy.max_sentence_chars))
        following = sections[number + 1] if number + 1 < len(sections) else None
        if _carried_heading(text, section, spans, following):
            continue  # a bare heading: the next chunk's section path holds it
        for first, last in _pack(spans, policy):
            norm_start, norm_end = spans[first][0], spans[last][1]
            start, end = normalized.offsets.span_to_original(norm_start, norm_end)
            chunks.append(Chunk(len(chunks), original[start:end], section.path, start, end, norm_start, norm_end))
    return chunks


def _carried_heading(text: str, section: Section, spans: list[tuple[int, int]], following: Section | None) -> bool:
    """Whether ``section`` is a bare heading that needs no chunk of its own.

    That is a heading alone on its line, that is no sentence (no clause or sentence punctuation),
    followed by a section under it: every chunk of that section carries the heading in its path.
    A heading that says something (「一、由县政法委牵头，负责…修订。」) or heads nothing (the
    last item of a list 「1.完善机制」) is body text and is chunked like any other.

    >>> text = "一、总体要求\\n（一）加强领导。"
    >>> parent, child = Section(("一、总体要求",), 0, 7), Section(("一、总体要求", "（一）加强领导"), 7, 15)
    >>> _carried_heading(text, parent, [(0, 6)], child), _carried_heading(text, child, [(7, 15)], None)
    (True, False)
    """
    if len(spans) != 1 or not section.path or following is None:
        return False
    heading = text[spans[0][0] : spans[0][1]].rstrip("：:")
    if heading != section.path[-1] or any(mark in heading for mark in _SENTENCE_MARKS):
        return False
    depth = len(section.path)
    return len(following.path) > depth and following.path[:depth] == section.path


def _pack(spans: list[tuple[int, int]], policy: ChunkingPolicy) -> Iterator[tuple[int, int]]:
    """Greedy packing of sentence spans; yields (first, last) sentence indexes per chunk."""
    first = 0
    while first < len(spans):
        last = first
        while last + 1 < len(spans) and spans[last + 1][1] - spans[first][0] <= policy.target_chars:
            last += 1
        yield first, last
        if last + 1 >= len(spans):
            return
        next_first = last + 1
        for _ in range(policy.overlap_sentences):
            candidate = next_first - 1
            if candidate > first and spans[candidate][1] - spans[candidate][0] <= policy.max_overlap_chars:
                next_first = candidate
        first = next_first

"""Split sections into sentences and pack whole sentences into chunks.

LangChain's RecursiveCharacterTextSplitter cuts at a size and can cut mid-sentence and across
headings, and keeps no offsets once separators are stripped; Chinese needs sentence ends
(。！？；) as hard boundaries and the section path on every chunk, so the packing is ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.language.boundaries import SENTENCE, STATEMENT, row_line
from ingest.models import Chunk, Section
from ingest.normalize import NormalizedText

_CLAUSE_BREAK = re.compile(r"[，、：]")


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
    for section in sections:
        spans = list(_bounded(sentence_spans(text, section.start, section.end), text, policy.max_sentence_chars))
        if len(spans) == 1 and section.path and text[spans[0][0] : spans[0][1]].rstrip("。：") == section.path[-1]:
            continue  # a heading alone: it is part of every child chunk's section path already
        for first, last in _pack(spans, policy):
            norm_start, norm_end = spans[first][0], spans[last][1]
            start, end = normalized.offsets.span_to_original(norm_start, norm_end)
            chunks.append(Chunk(len(chunks), original[start:end], section.path, start, end, norm_start, norm_end))
    return chunks


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

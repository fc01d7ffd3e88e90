"""Passages: whole statements around retrieved chunks, scored by how much of a question they cover."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from bot.answers import Citation
from ingest.chunking import sentence_spans
from ingest.normalize import OffsetMap
from vectorstore.catalog import format_section
from vectorstore.store import ChunkHit, Store

_STATEMENT_END = re.compile(r"[。！？\n]")


@dataclass(frozen=True)
class DocumentView:
    """A stored document's texts, ready for span work."""

    doc_id: str
    title: str
    original: str
    text: str
    offsets: OffsetMap

    def cite(self, section: tuple[str, ...], start: int, end: int) -> Citation:
        """A citation of the normalised span ``[start, end)``, quoting the original verbatim."""
        original_start, original_end = self.offsets.span_to_original(start, end)
        quote = self.original[original_start:original_end].strip()
        return Citation(self.doc_id, self.title, format_section(section), quote, original_start, original_end)


@dataclass(frozen=True)
class Passage:
    """One statement (a sentence ending in 。！？) of a retrieved chunk."""

    document: DocumentView
    section: tuple[str, ...]
    start: int
    end: int
    rank: int

    @cached_property
    def text(self) -> str:
        return self.document.text[self.start : self.end]

    @cached_property
    def context(self) -> str:
        """What frames the statement: its section path and the document title."""
        return format_section(self.section) + " " + self.document.title

    def cite(self, start: int | None = None, end: int | None = None) -> Citation:
        return self.document.cite(self.section, self.start if start is None else start, self.end if end is None else end)


class PassageBuilder:
    """Turns chunk hits into passages, reading each document once per question."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._titles = {record.doc_id: record.title for record in store.documents()}

    def document(self, doc_id: str) -> DocumentView:
        stored = self.store.document_text(doc_id)
        return DocumentView(
            doc_id,
            self._titles.get(doc_id, doc_id),
            stored.original,
            stored.normalized,
            OffsetMap.from_json(stored.offsets),
        )

    def passages(self, hits: list[ChunkHit]) -> list[Passage]:
        documents: dict[str, DocumentView] = {}
        seen: set[tuple[str, int]] = set()
        passages = []
        for rank, hit in enumerate(hits):
            chunk = hit.chunk
            if chunk.doc_id not in documents:
                documents[chunk.doc_id] = self.document(chunk.doc_id)
            document = documents[chunk.doc_id]
            for start, end in sentence_spans(document.text, chunk.norm_start, chunk.norm_end, fine=False):
                start, end = enclosing_statement(document.text, start, end)
                if (chunk.doc_id, start) in seen:
                    continue
                seen.add((chunk.doc_id, start))
                passages.append(Passage(document, chunk.section, start, end, rank))
        return passages


def enclosing_statement(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to the whole statement: chunks may end at ； inside one."""
    before = max((m.end() for m in _STATEMENT_END.finditer(text, max(0, start - 400), start)), default=None)
    if before is None:
        before = max(0, start - 400) if start > 400 else 0
    after = _STATEMENT_END.search(text, end - 1 if end > start else end)
    stop = after.end() if after else len(text)
    if stop > 0 and text[stop - 1] == "\n":
        stop -= 1
    while stop < len(text) and text[stop] in "”’）】》":
        stop += 1
    return before, max(stop, end)


class Coverage:
    """How much of a question a text covers: the idf-weighted share of the question's terms found
    in it; a term found only in the section path or title counts half."""

    def __init__(self, terms: tuple[str, ...], idf: dict[str, float]) -> None:
        self.weights = {term: idf[term] for term in terms}
        self.total = sum(self.weights.values()) or 1.0

    def __call__(self, text: str, context: str = "") -> float:
        score = 0.0
        for term, weight in self.weights.items():
            if term in text:
                score += weight
            elif term in context:
                score += weight / 2
        return score / self.total

    def matched(self, text: str) -> list[str]:
        return [term for term in self.weights if term in text]

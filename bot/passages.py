"""Passages: whole statements around retrieved chunks, scored by how much of a question they cover."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

from bot.answers import Citation
from ingest.chunking import sentence_spans
from ingest.language.boundaries import CLOSING_BRACKETS, STATEMENT_END, TRAILER
from ingest.language.colloquial import equivalents
from ingest.models import Section
from ingest.normalize import OffsetMap
from ingest.sections import find_sections
from vectorstore.catalog import DocumentRecord, format_section
from vectorstore.store import ChunkHit, Store

_HEADER_CHARS = 120


@lru_cache(maxsize=64)  # as many as the store keeps texts
def _sections_of(text: str) -> tuple[Section, ...]:
    """The sections of a stored document's text, parsed once per process (~4 ms per 100k characters)."""
    return tuple(find_sections(text))


@dataclass(frozen=True)
class DocumentView:
    """A stored document's texts, ready for span work."""

    doc_id: str
    title: str
    original: str
    text: str
    offsets: OffsetMap
    date: str = ""

    @property
    def sections(self) -> tuple[Section, ...]:
        return _sections_of(self.text)

    @cached_property
    def heading(self) -> str:
        """Title, date and the opening lines, where documents say when and where they were given."""
        return f"{self.title} {self.date} {self.text[:_HEADER_CHARS]}"

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
        return format_section(self.section) + " " + self.document.heading

    def cite(self, start: int | None = None, end: int | None = None) -> Citation:
        return self.document.cite(
            self.section, self.start if start is None else start, self.end if end is None else end
        )


class PassageBuilder:
    """Turns chunk hits into passages, reading each document once per question."""

    def __init__(self, store: Store, records: dict[str, DocumentRecord]) -> None:
        self.store = store
        self._records = records
        self._documents: dict[str, DocumentView] = {}

    def document(self, doc_id: str) -> DocumentView:
        """The stored document (KeyError if it is gone), read once per builder."""
        if doc_id not in self._documents:
            stored = self.store.document_text(doc_id)
            record = self._records.get(doc_id)
            self._documents[doc_id] = DocumentView(
                doc_id,
                record.title if record else doc_id,
                stored.original,
                stored.normalized,
                OffsetMap.from_json(stored.offsets),
                (record.date or "") if record else "",
            )
        return self._documents[doc_id]

    def passages(self, hits: list[ChunkHit]) -> list[Passage]:
        seen: set[tuple[str, int]] = set()
        passages = []
        for rank, hit in enumerate(hits):
            chunk = hit.chunk
            try:
                document = self.document(chunk.doc_id)
            except KeyError:  # removed by another thread or process since retrieval
                continue
            for start, end in sentence_spans(document.text, chunk.norm_start, chunk.norm_end, fine=False):
                start, end = enclosing_statement(document.text, start, end)
                if (chunk.doc_id, start) in seen:
                    continue
                seen.add((chunk.doc_id, start))
                passages.append(Passage(document, chunk.section, start, end, rank))
        return passages


def enclosing_statement(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` to the whole statement: chunks may end at ； inside one, or between a
    sentence and the trailer that closes it (「…改造。」「（省财政厅负责）」)."""
    if TRAILER.match(text, start):
        start -= 1  # a trailer alone belongs to the sentence before it
    before = max((m.end() for m in STATEMENT_END.finditer(text, max(0, start - 400), start)), default=None)
    if before is None:
        before = max(0, start - 400) if start > 400 else 0
    after = STATEMENT_END.search(text, end - 1 if end > start else end)
    stop = after.end() if after else len(text)
    if stop > 0 and text[stop - 1] == "\n":
        stop -= 1
    while stop < len(text) and text[stop] in CLOSING_BRACKETS:
        stop += 1
    trailer = TRAILER.match(text, stop)
    return before, max(trailer.end() if trailer else stop, end)


class Coverage:
    """How much of a question a text covers: the idf-weighted share of the question's terms found
    in it; a term found only in the section path or title counts half, and one that names the
    text's document (:mod:`bot.naming`) counts in full. A term is found in any of its ``forms``: by
    default itself and its colloquial equivalents; the engine adds the expansions the documents spell
    out for an abbreviation (民企 → 民营企业).

    >>> forms, named = {"综保区": ("综保区", "综合保税区")}, {"a": frozenset({"综保区"})}
    >>> coverage = Coverage(("综保区", "牵头"), {"综保区": 1.0, "牵头": 1.0}, forms, named)
    >>> coverage("综合保税区由海关牵头"), coverage("由海关牵头", "综合保税区意见"), coverage("由海关牵头", document="a")
    (1.0, 0.75, 1.0)
    """

    def __init__(
        self,
        terms: tuple[str, ...],
        idf: dict[str, float],
        forms: Mapping[str, tuple[str, ...]] | None = None,
        named: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self.weights = {term: idf[term] for term in terms}
        self.total = sum(self.weights.values()) or 1.0
        self.forms = {term: (forms or {}).get(term) or equivalents(term) for term in terms}
        self.named = named or {}

    def of(self, passage: Passage) -> float:
        """How much of the question ``passage`` covers: its text, its section path and title as
        context, and its document for the terms that name one."""
        return self(passage.text, passage.context, passage.document.doc_id)

    def __call__(self, text: str, context: str = "", document: str | None = None) -> float:
        named = self.named.get(document, frozenset()) if document else frozenset()
        score = 0.0
        for term, weight in self.weights.items():
            forms = self.forms[term]
            if term in named or any(form in text for form in forms):
                score += weight
            elif any(form in context for form in forms):
                score += weight / 2
        return score / self.total

"""The answer engine: question → Answer. It knows no channel; the CLI and Telegram adapt it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import torch

from bot import ledger_answers
from bot.answers import Answer, Citation
from bot.extractive import (
    Candidate,
    assignment_candidates,
    best,
    cloze_candidates,
    deadline_candidates,
    definition_candidates,
    enumeration_candidates,
    quoted_term_candidates,
    sentence_candidates,
    tasks_of_candidates,
)
from bot.llm import Rephraser
from bot.passages import Coverage, DocumentView, Passage, PassageBuilder
from bot.questions import Question, analyse
from bot.settings import Settings
from bot.timescope import fit_to_time
from ingest.language.colloquial import equivalents
from ingest.language.terms import term_matches
from ingest.maintenance import refresh_ledger
from ingest.pipeline import IngestReport, MetadataOverrides, ingest_file
from ingest.slogans import find_slogans
from prompts import answer_texts as texts
from vectorstore.catalog import DocumentRecord, format_section
from vectorstore.embeddings import EmbeddingModel, load_embedding_model
from vectorstore.ledger import DirectiveRecord, Ledger
from vectorstore.retriever import HybridRetriever
from vectorstore.store import ChunkHit, Store

log = logging.getLogger(__name__)

# An answer must cover at least this share (idf-weighted) of the question's terms.
MIN_COVERAGE = 0.6
# The packaged fallback model ranks Chinese text little better than chance: trust BM25 more.
FALLBACK_DENSE_WEIGHT = 0.25
_SURROUNDING_CHARS = 160
# Candidates this close to the best count as equally good; the newest document wins among them.
RECENCY_MARGIN = 0.05
# BM25 hits whose ledger records a who-question considers, beside the fused top k.
_LEDGER_POOL = 30


class Engine:
    """Answers questions over one data directory; also the one way in for ingest and removal."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.retriever = HybridRetriever(
            store=store,
            k=settings.top_k,
            lexical_weight=settings.lexical_weight,
            dense_weight=_dense_weight(settings, store.model),
        )
        self._write_lock = threading.Lock()
        self.rephraser = _rephraser(settings)
        self.ledger = Ledger(store.catalog)

    @classmethod
    def open(cls, settings: Settings, model: EmbeddingModel | None = None) -> Engine:
        """Load the embedding model (seconds), open the store in ``settings.data_dir`` and bring its
        ledger up to date (a no-op unless the extraction changed since the documents came in)."""
        if settings.torch_threads:
            torch.set_num_threads(settings.torch_threads)
        model = model or load_embedding_model(settings.embedding_model)
        store = Store(settings.data_dir, model)
        refresh_ledger(store)
        analyse("预热")  # jieba loads its dictionaries now, not on the first question
        return cls(store, settings)

    # ----------------------------------------------------------------------------- answers
    def answer(self, question: str, previous: Answer | None = None) -> Answer:
        """Answer ``question``; ``previous`` (the chat's last answer) resolves follow-ups."""
        analysed = analyse(question, previous.entity if previous else None)
        if not analysed.text:
            return Answer(question, texts.EMPTY_QUESTION, False, "other")
        if self.store.catalog.count_chunks() == 0:
            return Answer(question, texts.NO_DOCUMENTS, False, analysed.kind)
        hits = self.retriever.search(analysed.search_text)
        records = {record.doc_id: record for record in self.store.documents()}
        builder = PassageBuilder(self.store, records)
        passages = builder.passages(hits)
        coverage = Coverage(analysed.terms, self._idf(analysed.terms))
        found = _naming(self._candidates(analysed, hits, passages, coverage), analysed.places, builder.document)
        candidates = list(fit_to_time(found, analysed, builder.document))
        # A question that names its year is answered from that year; otherwise the newest document speaks.
        candidate = best(candidates) if analysed.years else _newest_of_best(candidates, records)
        if candidate is None or candidate.score < MIN_COVERAGE:
            return self._not_found(question, analysed, passages)
        answer = Answer(
            question=question,
            answer=candidate.answer,
            found=True,
            kind=analysed.kind,
            citations=_unique(candidate.citations),
            entity=candidate.entity,
        )
        return self.rephraser.reword(answer) if self.rephraser else answer

    def _idf(self, terms: tuple[str, ...]) -> dict[str, float]:
        """Each term's idf; a colloquial term takes the idf of its document-side equivalent."""
        lexical = self.store.lexical
        return {term: min(lexical.idf(form) for form in equivalents(term)) for term in terms}

    def _candidates(
        self, question: Question, hits: list[ChunkHit], passages: list[Passage], coverage: Coverage
    ) -> Iterator[Candidate]:
        """The ledger's records first, then what the retrieved passages say; a plain sentence is
        always a candidate for questions that are not about roles."""
        if question.tasks_of:
            tasks = list(ledger_answers.tasks_of(question, self.ledger)) or list(
                tasks_of_candidates(question, passages, coverage)
            )
            if tasks:
                yield from tasks
                return
        if question.kind in {"lead", "responsible"}:
            records = self._ledger_records(question, hits)
            from_ledger = list(ledger_answers.role_candidates(question, records, coverage))
            yield from from_ledger
            if not _answers(from_ledger):  # the ledger has nothing that fits: read passages
                yield from assignment_candidates(question, passages, coverage)
            return
        # 「四条原则」 asks for a list of four the text calls 原则, not for a 提法 named “四条原则”.
        items_of_a_kind = question.enumeration is not None and question.enumeration.noun is not None
        if question.quoted:
            quoted_somewhere = any(_quotes_term(p, term) for p in passages for term in question.quoted)
            if not quoted_somewhere and question.enumeration is None:
                return  # the slogan asked about is in no document: say so rather than guess
            yield from ledger_answers.definitions(question, self.ledger, coverage)
            yield from definition_candidates(question, passages, coverage)
            if question.asks_meaning and question.kind == "slogan" and not items_of_a_kind:
                return  # a meaning asked for and not given is not found
        if question.enumeration:
            listed = list(enumeration_candidates(question, passages, coverage, self._section_span))
            yield from listed
            if _answers(listed) or items_of_a_kind:  # only the list asked for answers
                return
        yield from cloze_candidates(question, passages, coverage)
        if question.kind == "slogan":
            yield from quoted_term_candidates(question, passages, coverage)
        if question.kind == "deadline":
            from_ledger = list(ledger_answers.deadline_candidates(self._ledger_records(question, hits), coverage))
            yield from from_ledger
            if _answers(from_ledger):
                return
            yield from deadline_candidates(question, passages, coverage)
        yield from sentence_candidates(question, passages, coverage)

    def _ledger_records(self, question: Question, hits: list[ChunkHit]) -> list[DirectiveRecord]:
        """Ledger records in the retrieved chunks and in a wider BM25 pool (unless BM25 is off)."""
        chunk_ids = {hit.chunk.chunk_id for hit in hits}
        if self.retriever.lexical_weight > 0:
            pool = self.store.lexical_search(question.search_text, _LEDGER_POOL)
            chunk_ids |= {hit.chunk.chunk_id for hit in pool}
        return self.ledger.directives(chunk_ids=chunk_ids)

    @staticmethod
    def _section_span(passage: Passage) -> tuple[int, int] | None:
        """The span of the section a passage sits in (its deepest heading)."""
        for section in passage.document.sections:
            if section.start <= passage.start < section.end:
                return section.start, section.end
        return None

    def _not_found(self, question: str, analysed: Question, passages: list[Passage]) -> Answer:
        sections = []
        for passage in passages:
            label = f"《{passage.document.title}》{format_section(passage.section)}".rstrip()
            if passage.section and label not in sections:
                sections.append(label)
        text = texts.NOT_FOUND.format(topic=question.strip().rstrip("？?"))
        if sections:
            text += "\n" + texts.RELATED_SECTIONS.format(sections="；".join(sections[:3]))
        return Answer(question, text, False, analysed.kind, related_sections=tuple(sections[:3]))

    # ---------------------------------------------------------------------------- sources
    def source_text(self, citation: Citation) -> str:
        """The paragraph around a citation, original text (for 「原文」 buttons and /source)."""
        original = self.store.document_text(citation.doc_id).original
        start = original.rfind("\n", 0, citation.start) + 1
        end = original.find("\n", citation.end)
        end = len(original) if end < 0 else end
        start = max(start, citation.start - _SURROUNDING_CHARS)
        end = min(end, citation.end + _SURROUNDING_CHARS)
        prefix = "…" if start > 0 and original[start - 1] != "\n" else ""
        suffix = "…" if end < len(original) and original[end] != "\n" else ""
        return prefix + original[start:end].strip() + suffix

    # ------------------------------------------------------------------------ documents
    def documents(self) -> list[DocumentRecord]:
        return self.store.documents()

    def ingest_file(
        self,
        path: Path,
        *,
        title: str | None = None,
        speaker: str | None = None,
        date: str | None = None,
        meeting: str | None = None,
        source_name: str | None = None,
    ) -> IngestReport:
        """Ingest one file atomically (raises IngestError for bad input; the store is then unchanged)."""
        with self._write_lock:
            return ingest_file(
                self.store,
                path,
                max_bytes=self.settings.max_file_bytes,
                overrides=MetadataOverrides(title, speaker, date, meeting),
                source_name=source_name,
            )

    def remove(self, doc_id: str) -> bool:
        with self._write_lock, self.store.write_lock():
            return self.store.remove_document(doc_id)

    def stats(self) -> dict[str, int]:
        counts = {"documents": len(self.store.documents()), "chunks": self.store.catalog.count_chunks()}
        return counts | self.ledger.counts()

    def close(self) -> None:
        if self.rephraser:
            self.rephraser.close()
        self.store.close()


def _newest_of_best(candidates: list[Candidate], records: dict[str, DocumentRecord]) -> Candidate | None:
    """The best candidate; among near-equals from several documents, the newest document's
    (document date, else ingest time): a later speech supersedes an earlier one."""
    top = best(candidates)
    if top is None:
        return None
    recency = {doc_id: (record.date or "", record.ingested_at) for doc_id, record in records.items()}
    close = [c for c in candidates if c.citations and c.score >= top.score - RECENCY_MARGIN]
    return max(close, key=lambda c: (recency.get(c.citations[0].doc_id, ("", "")), c.score), default=top)


def _answers(candidates: list[Candidate]) -> bool:
    """Whether the best of ``candidates`` is good enough to answer with."""
    top = best(candidates)
    return top is not None and top.score >= MIN_COVERAGE


def _naming(
    candidates: Iterable[Candidate], places: tuple[str, ...], document_of: Callable[[str], DocumentView]
) -> Iterator[Candidate]:
    """The candidates from documents that name every place the question names: a county's
    target does not answer a question about the city."""
    for candidate in candidates:
        if not places or not candidate.citations:
            yield candidate
            continue
        document = document_of(candidate.citations[0].doc_id)
        if all(place in document.text or place in document.title for place in places):
            yield candidate


def _rephraser(settings: Settings) -> Rephraser | None:
    """The optional LLM that rewords answers, when an endpoint and a model are set."""
    if not (settings.llm_base_url and settings.llm_model):
        return None
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return Rephraser(settings.llm_base_url, settings.llm_model, key, settings.llm_timeout)


def _quotes_term(passage: Passage, term: str) -> bool:
    return any(
        term_matches(term, mention.term) for mention in find_slogans(passage.document.text, passage.start, passage.end)
    )


def _dense_weight(settings: Settings, model: EmbeddingModel) -> float:
    if settings.dense_weight is not None:
        return settings.dense_weight
    return FALLBACK_DENSE_WEIGHT if model.is_fallback else 1.0


def _unique(citations: tuple[Citation, ...]) -> tuple[Citation, ...]:
    return tuple(dict.fromkeys(citations))

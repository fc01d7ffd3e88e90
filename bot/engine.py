"""The answer engine: question → Answer. It knows no channel; the CLI and Telegram adapt it."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

import torch

from bot import gate
from bot.answers import Answer, Citation
from bot.llm import Rephraser
from bot.naming import DocumentName, name_documents
from bot.passages import Coverage, PassageBuilder
from bot.places import naming_places
from bot.questions import Question, analyse
from bot.scoring import best, newest_of_best
from bot.settings import Settings
from bot.strategies.sources import LedgerView, Reading, Subject
from bot.strategies.table import candidates
from bot.timescope import fit_to_time
from ingest.language.colloquial import equivalents
from ingest.maintenance import refresh_ledger
from ingest.pipeline import IngestReport, MetadataOverrides, ingest_file
from prompts import answer_texts as texts
from vectorstore.bylines import Byline
from vectorstore.catalog import DocumentRecord
from vectorstore.embeddings import EmbeddingModel, load_embedding_model
from vectorstore.ledger import DirectiveRecord, Ledger
from vectorstore.retriever import HybridRetriever
from vectorstore.store import ChunkHit, Store

# The packaged fallback model ranks Chinese text little better than chance: trust BM25 more.
FALLBACK_DENSE_WEIGHT = 0.25
_SURROUNDING_CHARS = 160
# BM25 hits whose ledger records a who-question considers, beside the fused top k.
_LEDGER_POOL = 30
# A question that names a document also reads the best BM25 hits inside it (of its first two named).
_NAMED_DOCUMENTS = 2
_NAMED_POOL = 200
_HITS_PER_NAMED = 3


class Engine:
    """Answers questions over one data directory; also the one way in for ingest and removal."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.retriever = HybridRetriever(
            store=store,
            k=settings.top_k,
            lexical_weight=settings.lexical_weight,
            bigram_share=settings.bigram_share,
            dense_weight=_dense_weight(settings, store.model),
        )
        self._write_lock = threading.Lock()
        self.rephraser = _rephraser(settings)
        self.ledger = Ledger(store.catalog)
        self._names: tuple[int, list[DocumentName]] | None = None

    @classmethod
    def open(cls, settings: Settings, model: EmbeddingModel | None = None) -> Engine:
        """Load the embedding model (seconds), open the store in ``settings.data_dir`` and bring its
        ledger up to date (a no-op unless the extraction changed since the documents came in)."""
        if settings.torch_threads:
            torch.set_num_threads(settings.torch_threads)
        model = model or load_embedding_model(settings.embedding_model)
        store = Store(
            settings.data_dir,
            model,
            settings.chroma_url,
            database_url=settings.database_url,
            lexical=settings.lexical_index,
        )
        refresh_ledger(store)
        analyse("预热")  # jieba loads its dictionaries now, not on the first question
        return cls(store, settings)

    # ----------------------------------------------------------------------------- answers
    def answer(self, question: str, previous: Answer | None = None) -> Answer:
        """Answer ``question``; ``previous`` (the chat's last answer) resolves follow-ups.

        analyse → retrieve → passages → candidates (the strategy table) → place and time filters →
        score → gate → optional rewording. The store is read at one catalog generation throughout.
        """
        with self.store.catalog.one_generation():
            return self._answer(question, previous)

    def _answer(self, question: str, previous: Answer | None) -> Answer:
        analysed = analyse(question, previous.entity if previous else None)
        if not analysed.text:
            return Answer(question, texts.EMPTY_QUESTION, False, "other")
        if self.store.catalog.seen_chunk_count() == 0:
            return Answer(question, texts.NO_DOCUMENTS, False, analysed.kind)
        previous_document = previous.citations[0].doc_id if previous and previous.citations else None
        reading = self.read(analysed, previous_document)
        placed = naming_places(candidates(reading), analysed.places, reading.document_of)
        timed = list(fit_to_time(placed, analysed, reading.document_of))
        # A question that names its year is answered from that year; otherwise the newest document speaks.
        chosen = best(timed) if analysed.years else newest_of_best(timed, reading.records)
        answer = gate.decide(question, analysed, chosen, reading.passages, reading.min_score)
        return self.rephraser.reword(answer) if self.rephraser and answer.found else answer

    def read(self, question: Question, previous_document: str | None = None) -> Reading:
        """What ``question`` is answered from: the passages retrieved for it (and from the documents
        it names), the ledger (its records near those passages read only if a strategy asks), the
        measure of coverage and, for a question about a document itself, that document."""
        naming = name_documents(question, self.document_names())
        forms = self.forms(question, naming.forms)
        idf = self._idf(forms)
        coverage = Coverage(question.terms, idf, forms, naming.terms)
        named = naming.documents(idf)
        search_text = self.search_text(question, forms)
        hits = self.retriever.search(search_text)
        hits += self._hits_in(named, search_text, hits)
        records = {record.doc_id: record for record in self.store.documents()}
        builder = PassageBuilder(self.store, records)
        return Reading(
            question,
            coverage,
            builder.passages(hits),
            LedgerView(self.ledger, lambda: self._ledger_records(search_text, hits)),
            builder.document,
            records,
            self._subjects(question, named, previous_document, coverage, builder) if question.byline else [],
            self.settings.min_coverage,
        )

    def document_names(self) -> list[DocumentName]:
        """Every document's title and bylines, read again when the catalog changed."""
        generation = self.store.catalog.seen_generation
        cached = self._names
        if cached is None or cached[0] != generation:
            bylines: dict[str, list[Byline]] = {}
            for record in self.ledger.bylines():
                bylines.setdefault(record.doc_id, []).append(record.byline)
            names = [
                DocumentName(record.doc_id, record.title, tuple(bylines.get(record.doc_id, ())))
                for record in self.store.documents()
            ]
            cached = self._names = (generation, names)
        return cached[1]

    def _hits_in(self, documents: list[str], search_text: str, hits: list[ChunkHit]) -> list[ChunkHit]:
        """The best BM25 hits inside the documents a question names, beside the fused top k."""
        if not documents or self.retriever.lexical_weight <= 0:
            return []
        wanted = set(documents[:_NAMED_DOCUMENTS])
        seen = {hit.chunk.chunk_id for hit in hits}
        found: dict[str, list[ChunkHit]] = {}
        for hit in self.store.lexical_search(search_text, _NAMED_POOL):
            if hit.chunk.doc_id in wanted and hit.chunk.chunk_id not in seen:
                found.setdefault(hit.chunk.doc_id, []).append(hit)
        return [hit for doc_id in documents if doc_id in found for hit in found[doc_id][:_HITS_PER_NAMED]]

    def _subjects(
        self,
        question: Question,
        named: list[str],
        previous_document: str | None,
        coverage: Coverage,
        builder: PassageBuilder,
    ) -> list[Subject]:
        """The documents a question about a document itself means: those it names; else the one the
        chat's last answer cited; else the only one there is."""
        names = {name.doc_id: name for name in self.document_names()}
        if named:
            return [
                Subject(
                    doc_id,
                    names[doc_id].title,
                    coverage(names[doc_id].text, builder.document(doc_id).text, doc_id),
                    names[doc_id].bylines,
                )
                for doc_id in named
                if doc_id in names
            ]
        fallback = previous_document if previous_document in names else None
        if fallback is None and len(names) == 1:
            fallback = next(iter(names))
        if fallback is None:
            return []
        name = names[fallback]
        covered = coverage(name.text, builder.document(fallback).text, fallback) if question.terms else 1.0
        return [Subject(fallback, name.title, covered, name.bylines)]

    def forms(
        self, question: Question, named: Mapping[str, tuple[str, ...]] | None = None
    ) -> dict[str, tuple[str, ...]]:
        """Each term with what documents say instead: its colloquial equivalents, for an
        abbreviation the documents rarely use what they spell out (民企 → 民营企业), and the forms
        ``named`` gives it where it names a document. A term inside another term (增值 of 增值税:
        jieba's search mode cuts both) is no abbreviation."""
        forms = {}
        for term in question.terms:
            inside = any(term != other and term in other for other in question.terms)
            found = equivalents(term) + (() if inside else self.store.expansions(term)) + (named or {}).get(term, ())
            forms[term] = tuple(dict.fromkeys(found))
        return forms

    def search_text(self, question: Question, forms: dict[str, tuple[str, ...]] | None = None) -> str:
        """What retrieval is given: the question plus what documents say for its terms."""
        forms = self.forms(question) if forms is None else forms
        return " ".join([question.text, *(form for found in forms.values() for form in found[1:])])

    def _idf(self, forms: dict[str, tuple[str, ...]]) -> dict[str, float]:
        """Each term's idf; a colloquial term takes the idf of its document-side equivalent."""
        lexical = self.store.lexical
        return {term: min(lexical.idf(form) for form in found) for term, found in forms.items()}

    def _ledger_records(self, search_text: str, hits: list[ChunkHit]) -> list[DirectiveRecord]:
        """Ledger records in the retrieved chunks and in a wider BM25 pool (unless BM25 is off)."""
        chunk_ids = {hit.chunk.chunk_id for hit in hits}
        if self.retriever.lexical_weight > 0:
            pool = self.store.lexical_search(search_text, _LEDGER_POOL)
            chunk_ids |= {hit.chunk.chunk_id for hit in pool}
        return self.ledger.directives(chunk_ids=chunk_ids)

    # ---------------------------------------------------------------------------- sources
    def source_text(self, citation: Citation) -> str:
        """The paragraph around a citation, original text (for 「原文」 buttons and /source)."""
        return surrounding(self.store.document_text(citation.doc_id).original, citation.start, citation.end)

    # ------------------------------------------------------------------------ documents
    def documents(self) -> list[DocumentRecord]:
        """The documents ingested, as the catalog records them."""
        return self.store.documents()

    def ingest_file(
        self,
        path: Path,
        overrides: MetadataOverrides | None = None,
        *,
        source_name: str | None = None,
        allow_classified: bool | None = None,
    ) -> IngestReport:
        """Ingest one file atomically (raises IngestError for bad input; the store is then unchanged).
        ``overrides`` is what an admin said of the document (title, speaker, date, meeting); a classified
        document is refused unless ``allow_classified`` (default: the setting)."""
        with self._write_lock:
            return ingest_file(
                self.store,
                path,
                max_bytes=self.settings.max_file_bytes,
                overrides=overrides or MetadataOverrides(),
                source_name=source_name,
                allow_classified=self.settings.allow_classified if allow_classified is None else allow_classified,
            )

    def remove(self, doc_id: str) -> bool:
        """Remove a document everywhere (catalog, vectors, BM25); False if it is not there."""
        with self._write_lock, self.store.write_lock():
            return self.store.remove_document(doc_id)

    def stats(self) -> dict[str, int]:
        """How many documents, chunks and ledger records the store holds."""
        counts = {"documents": len(self.store.documents()), "chunks": self.store.catalog.count_chunks()}
        return counts | self.ledger.counts()

    def close(self) -> None:
        """Close the rephraser's connection and the store."""
        if self.rephraser:
            self.rephraser.close()
        self.store.close()


def surrounding(original: str, start: int, end: int) -> str:
    """The paragraph of ``original`` around ``start:end``, at most a few lines' worth either side.

    >>> surrounding("一、总体要求\\n由李新同志牵头，县公安部门负责。\\n二、", 12, 17)
    '由李新同志牵头，县公安部门负责。'
    """
    first = max(original.rfind("\n", 0, start) + 1, start - _SURROUNDING_CHARS)
    last = original.find("\n", end)
    last = min(len(original) if last < 0 else last, end + _SURROUNDING_CHARS)
    prefix = "…" if first > 0 and original[first - 1] != "\n" else ""
    suffix = "…" if last < len(original) and original[last] != "\n" else ""
    return prefix + original[first:last].strip() + suffix


def _rephraser(settings: Settings) -> Rephraser | None:
    """The optional LLM that rewords answers, when an endpoint and a model are set."""
    if not (settings.llm_base_url and settings.llm_model):
        return None
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    return Rephraser(settings.llm_base_url, settings.llm_model, key, settings.llm_timeout)


def _dense_weight(settings: Settings, model: EmbeddingModel) -> float:
    if settings.dense_weight is not None:
        return settings.dense_weight
    return FALLBACK_DENSE_WEIGHT if model.is_fallback else 1.0

"""One data directory: the catalog (SQLite, or PostgreSQL), the vectors (Chroma, embedded or on a
server: see ``vectors.py``) and BM25, kept in step.

Commit protocol for a document version:
1. embed and write the new chunks' vectors to Chroma under fresh ids (invisible: readers only
   use ids the catalog knows);
2. one catalog transaction swaps the old version for the new one: the commit point;
3. delete the old version's vectors; 4. bring the lexical index to the new generation (rebuild
and publish bm25s, or change tantivy's by document: ``lexical_backends.py``).
A marker is set before step 1 and cleared after step 4: a file in the data directory, or with the
catalog in PostgreSQL a row of the catalog itself, seen from every machine (``marker.py``). If the
process dies on the way, the next process that opens the store finds the marker, takes the write lock
(PostgreSQL releases a dead session's) and repairs the vectors and the lexical index from the catalog,
so the store is always exactly its last committed state. A folder ingest publishes
BM25 once at its end; if it dies before, the published BM25 lags the catalog, and the next
process that opens the store (or the next batch to end) publishes it again.

Every process sees the others' commits: BM25 is loaded again and an embedded Chroma client reopened
when the catalog's generation moved (Chroma's client is reopened before a write too).

Opening creates (or upgrades) the files under ``.open.lock``, so that processes that open a new
data directory at the same moment do not race in SQLite or Chroma (see ``locks.py``). With the
catalog in PostgreSQL, a writer also holds the database's advisory write lock, so writers on other
machines wait for it too (see ``database.py``).
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ingest.language.abbreviations import expansions
from ingest.language.tokens import bigrams, tokenize
from vectorstore import locks
from vectorstore.catalog import Catalog, ChunkRecord, DocumentRecord, NewDocument, catalog_location
from vectorstore.embeddings import EmbeddingModel
from vectorstore.lexical_backends import DEFAULT_LEXICAL_INDEX, LexicalView, lexical_backend
from vectorstore.marker import WriteMarker
from vectorstore.vectors import STORE_ID_META, ModelMismatchError, Vectors, new_store_id

log = logging.getLogger(__name__)

_TEXT_CACHE_SIZE = 64
# A term is looked up as an abbreviation when at most this share of chunks use it as it is: the
# scan reads every document, and a term documents use often needs no expansion.
RARE_SHARE = 0.02
_EXPANSION_CACHE_SIZE = 4096


@dataclass(frozen=True)
class StoredText:
    """A document's text as read, its normalised form and the offset map between them (JSON form)."""

    original: str
    normalized: str
    offsets: list


@dataclass(frozen=True)
class ChunkHit:
    """A retrieved chunk with the score of the ranking that found it."""

    chunk: ChunkRecord
    score: float


class Store:
    """The data directory. Reads are safe from many threads; writes take a file lock (and, with the
    catalog in PostgreSQL, its advisory lock)."""

    def __init__(
        self,
        data_dir: Path,
        model: EmbeddingModel,
        chroma_url: str | None = None,
        *,
        database_url: str | None = None,
        lexical: str = DEFAULT_LEXICAL_INDEX,
    ) -> None:
        """Open (or create) the store of ``data_dir``: its vectors on the Chroma server at ``chroma_url`` and its
        catalog in PostgreSQL at ``database_url`` if given; ``lexical`` names its lexical index."""
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.model = model
        with locks.held(self.data_dir / locks.OPEN_LOCK):  # one process creates or upgrades the files
            self.catalog = Catalog(catalog_location(self.data_dir, database_url))
            self._check_model()
            try:
                self.vectors = Vectors(self.data_dir, model, self._store_id(), chroma_url, self.catalog.generation)
            except BaseException:
                self.catalog.close()
                raise
            self.lexical_index = lexical_backend(lexical, self.data_dir, self.catalog)
            self._in_use = locks.acquire(self.data_dir / locks.IN_USE_LOCK, shared=True)  # until close()
        self._marker = WriteMarker(self.data_dir, self.catalog)
        self._writing = threading.local()  # how deep this thread is in write_lock
        self._texts: OrderedDict[str, tuple[int, StoredText]] = OrderedDict()
        self._corpus: tuple[int, str] = (-1, "")
        self._expansions: dict[str, tuple[str, ...]] = {}
        self._cache_lock = threading.Lock()  # answers run in several threads beside an ingest
        if self._marker.present():
            with self.write_lock():
                if self._marker.present():  # not just a writer that was busy while we waited
                    self._repair()
        elif self.lexical_lags():
            _ = self.lexical  # brought up to the catalog and published again (unless a writer is at work)

    # ------------------------------------------------------------------ model
    def _check_model(self) -> None:
        indexed = self.catalog.get_meta("embedding_model")
        dimension = int(self.catalog.get_meta("embedding_dimension") or 0)
        if indexed is None:
            self.catalog.set_meta("embedding_model", self.model.name)
            self.catalog.set_meta("embedding_dimension", str(self.model.dimension))
        elif indexed != self.model.name or dimension != self.model.dimension:
            raise ModelMismatchError(indexed, dimension, self.model.name, self.model.dimension)

    def _store_id(self) -> str:
        """The store's id (made when the catalog is new): names its vectors' collection on a server."""
        store_id = self.catalog.get_meta(STORE_ID_META)
        if store_id is None:
            store_id = new_store_id()
            self.catalog.set_meta(STORE_ID_META, store_id)
        return store_id

    # ------------------------------------------------------------------ writing
    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """One writer at a time across processes (CLI ingest beside a running bot), and across machines
        when the catalog is in PostgreSQL; a thread that holds it may take it again."""
        depth = getattr(self._writing, "depth", 0)
        if depth:
            self._writing.depth = depth + 1
            try:
                yield
            finally:
                self._writing.depth = depth
            return
        with locks.held(self.data_dir / locks.WRITE_LOCK), self.catalog.database.write_lock():
            self._writing.depth = 1
            try:
                yield
            finally:
                self._writing.depth = 0

    def commit_document(
        self,
        document: NewDocument,
        replaces: str | None = None,
        extra_writes: Callable[[object], None] | None = None,
    ) -> None:
        """Add ``document``, atomically replacing the document ``replaces`` if given.

        ``extra_writes(db)`` runs inside the catalog transaction (for records kept beside chunks).
        Call with ``write_lock`` held.
        """
        self.vectors.refresh(self.catalog.generation)  # no stale Chroma writes over what others wrote
        old_ids = self.catalog.chunk_ids(replaces) if replaces else []
        new_ids = [chunk.chunk_id for chunk in document.chunks]
        self._marker.set(new_ids)
        try:
            self._add_vectors(document.chunks)
            with self.catalog.transaction() as db:
                if replaces:
                    self.catalog.delete_document(db, replaces)
                self.catalog.insert_document(db, document)
                if extra_writes is not None:
                    extra_writes(db)
            self.vectors.generation = self.catalog.generation  # what this process wrote itself
        except BaseException:
            self._delete_vectors(new_ids)
            self._marker.clear()
            raise
        self._delete_vectors(old_ids)
        self._lexical_changed()
        self._marker.clear()

    def remove_document(self, doc_id: str, extra_writes: Callable[[object], None] | None = None) -> bool:
        """Delete a document everywhere. Call with ``write_lock`` held."""
        if self.catalog.document(doc_id) is None:
            return False
        self.vectors.refresh(self.catalog.generation)
        old_ids = self.catalog.chunk_ids(doc_id)
        self._marker.set([])
        with self.catalog.transaction() as db:
            self.catalog.delete_document(db, doc_id)
            if extra_writes is not None:
                extra_writes(db)
        self.vectors.generation = self.catalog.generation
        self._delete_vectors(old_ids)
        self._lexical_changed()
        self._marker.clear()
        return True

    def _add_vectors(self, chunks: list[ChunkRecord] | tuple[ChunkRecord, ...]) -> None:
        self.vectors.add(
            [chunk.index_text for chunk in chunks],
            [{"doc_id": chunk.doc_id, "index": chunk.index} for chunk in chunks],
            [chunk.chunk_id for chunk in chunks],
        )

    def _delete_vectors(self, ids: list[str]) -> None:
        self.vectors.delete(ids)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Publish BM25 once for a batch of writes instead of after each (a folder of files).

        Every document is still committed on its own; until the batch ends, the published BM25
        is behind the catalog's generation, which readers notice and rebuild from the catalog.
        """
        self.lexical_index.deferring += 1
        try:
            yield
        finally:
            self.lexical_index.deferring -= 1
            if self.lexical_index.deferring == 0 and self.lexical_lags():
                with self.write_lock():
                    self._publish_lexical()

    def _lexical_changed(self) -> None:
        if self.lexical_index.deferring:
            self.lexical_index.changed()  # bm25s publishes at the batch's end, tantivy now
        else:
            self._publish_lexical()

    def lexical_lags(self) -> bool:
        """Whether the published lexical index is behind the catalog (a batch is under way, or one
        died before publishing)."""
        return self.lexical_index.lags()

    def publish_lexical(self) -> None:
        """Bring the lexical index up to the catalog and publish it."""
        with self.write_lock():
            self._publish_lexical()

    def _publish_lexical(self) -> None:
        """Bring the lexical index up to the catalog. Call with ``write_lock`` held."""
        self.lexical_index.publish()

    def _repair(self) -> None:
        """Make Chroma and BM25 match the catalog after an interrupted write."""
        log.warning("store %s was interrupted during a write; repairing from the catalog", self.data_dir)
        self.sync_vectors()
        self._publish_lexical()
        self._marker.clear()

    def sync_vectors(self, rewrite: Iterable[str] = (), *, rebuild: bool = False) -> tuple[int, int]:
        """Make Chroma hold exactly the catalog's chunks: embed the missing ones from the catalog's
        text (and those in ``rewrite`` again), delete the others. ``rebuild`` first empties the
        collection (an index Chroma cannot read; processes that have it open must reopen it).
        Returns (vectors written, vectors deleted)."""
        with self.write_lock():
            self.vectors.refresh(self.catalog.generation)
            if rebuild:
                self.vectors.reset()
            known = set(self.catalog.chunk_ids())
            stored = set(self.vectors.ids())
            orphans = sorted(stored - known)
            self._delete_vectors(orphans)
            missing = sorted((known - stored) | (known & set(rewrite)))
            self._add_vectors(list(self.catalog.chunks(missing).values()))
            return len(missing), len(orphans)

    # ------------------------------------------------------------------ reading
    @property
    def lexical(self) -> LexicalView:
        """The lexical index of the current catalog generation (caught up when another process wrote)."""
        return self.lexical_index.current()

    def lexical_search(self, query: str, k: int) -> list[ChunkHit]:
        """BM25 over jieba tokens."""
        return self._resolve(self.lexical.search(tokenize(query), k))

    def bigram_search(self, query: str, k: int) -> list[ChunkHit]:
        """BM25 over character bigrams."""
        return self._resolve(self.lexical.bigram_search(bigrams(query), k))

    def dense_search(self, query: str, k: int) -> list[ChunkHit]:
        chunk_count = self.catalog.seen_chunk_count()
        if chunk_count == 0:
            return []
        k = min(k, chunk_count)
        self.vectors.refresh(self.catalog.seen_generation)  # another process committed since: see its vectors
        return self._resolve(self.vectors.search(query, k))

    def _resolve(self, hits: list[tuple[str | None, float]]) -> list[ChunkHit]:
        """Chunk records for ranked ids, dropping ids the catalog does not hold."""
        records = self.catalog.chunks(chunk_id for chunk_id, _ in hits if chunk_id)
        return [ChunkHit(records[chunk_id], score) for chunk_id, score in hits if chunk_id in records]

    def documents(self) -> list[DocumentRecord]:
        return self.catalog.documents()

    def expansions(self, term: str) -> tuple[str, ...]:
        """What the documents spell out for ``term`` if it is an abbreviation they rarely use as it
        is (综保区 → 综合保税区); cached per catalog generation."""
        lexical = self.lexical
        if lexical.frequency(term) > RARE_SHARE * lexical.size:
            return ()
        generation, corpus = self._corpus_text()
        with self._cache_lock:
            found = self._expansions.get(term) if self._corpus[0] == generation else None
        if found is None:
            found = expansions(term, corpus)
            with self._cache_lock:
                if self._corpus[0] == generation:
                    if len(self._expansions) >= _EXPANSION_CACHE_SIZE:
                        self._expansions.clear()
                    self._expansions[term] = found
        return found

    def _corpus_text(self) -> tuple[int, str]:
        """Every document's normalised text, one after another, with the generation it is of."""
        generation = self.catalog.seen_generation
        with self._cache_lock:
            if self._corpus[0] == generation:
                return self._corpus
        rows = (self.catalog.document_texts(record.doc_id) for record in self.catalog.documents())
        corpus = (generation, "\n".join(row[1] for row in rows if row is not None))
        with self._cache_lock:
            if self._corpus[0] != generation:
                self._corpus = corpus
                self._expansions = {}
        return corpus

    def document_text(self, doc_id: str) -> StoredText:
        """A document's original and normalised text; cached per catalog generation."""
        generation = self.catalog.seen_generation
        with self._cache_lock:
            cached = self._texts.get(doc_id)
        if cached is not None and cached[0] == generation:
            return cached[1]
        texts = self.catalog.document_texts(doc_id)
        if texts is None:
            raise KeyError(doc_id)
        original, normalized, offsets_json = texts
        stored = StoredText(original, normalized, json.loads(offsets_json))
        with self._cache_lock:
            self._texts[doc_id] = (generation, stored)
            while len(self._texts) > _TEXT_CACHE_SIZE:
                self._texts.popitem(last=False)
        return stored

    def close(self) -> None:
        self.catalog.close()
        self.lexical_index.close()
        self.vectors.close()
        if self._in_use is not None:
            self._in_use.close()
            self._in_use = None

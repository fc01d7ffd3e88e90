"""BM25 over jieba tokens and character bigrams in a tantivy index that grows by document
(``LUOSHI_LEXICAL_INDEX=tantivy``).

bm25s must rebuild its whole matrix for every upload; tantivy adds a document's chunks as a new
segment and deletes a removed document's by term, so an upload costs its own chunks, not the
store's. Text is tokenised by us (``tokenize``, ``bigrams``: the tokens bm25s gets) and indexed
as space-joined tokens with a whitespace analyzer, so both backends index the same terms.

The index is derived from the catalog and may lag it (a writer between its catalog commit and its
tantivy commit, or one killed there). ``STATE_FILE`` in the index folder names the catalog
generation the index was last brought to; it is written after each tantivy commit. A process that
finds it behind the catalog brings the index up to date, if no writer is at work, by comparing
document versions: the catalog's documents against the index's, deleting what is gone and adding
what is missing. Readers reload the index when the catalog's generation moves, so a document
another process committed is searchable within the same query that sees its generation.

Scoring is tantivy's BM25 (k1 1.2, b 0.75, document lengths coded in one byte): bm25s uses
Lucene's variant with k1 1.5, so scores and, rarely, the order of near ties differ from bm25s.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path

import tantivy

from ingest.language.tokens import bigrams
from vectorstore import locks
from vectorstore.catalog import Catalog
from vectorstore.lexical import EMPTY_TOKEN, LEXICAL_DIR, TOKENIZER_VERSION, TokenCache, smoothed_idf

log = logging.getLogger(__name__)

INDEX_DIR = "tantivy"  # in a data directory
STATE_FILE = "luoshi-state.json"  # in INDEX_DIR: {"generation": …, "tokenizer": …}
_ANALYZER = "luoshi_tokens"  # our tokens, split at spaces, as they are (no lower-casing, no length limit)
_HEAP_BYTES = 64_000_000
_SEPARATOR = "\x1f"  # between a document's id and its content hash in a version key
_ALL = 2**31 - 1  # "every bucket" for a terms aggregation


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("chunk", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("doc", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("version", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("words", tokenizer_name=_ANALYZER, index_option="freq")
    builder.add_text_field("grams", tokenizer_name=_ANALYZER, index_option="freq")
    return builder.build()


@dataclass(frozen=True)
class TantivyView:
    """One searcher of the index: what queries read until the catalog's generation moves."""

    generation: int
    searcher: tantivy.Searcher
    schema: tantivy.Schema

    def search(self, tokens: list[str], k: int) -> list[tuple[str, float]]:
        """Top ``k`` chunk ids by BM25 over words (``tokenize``'s), scores above zero."""
        return self._top("words", tokens, k)

    def bigram_search(self, grams: list[str], k: int) -> list[tuple[str, float]]:
        """Top ``k`` chunk ids by BM25 over character bigrams (``bigrams``'), scores above zero."""
        return self._top("grams", grams, k)

    def _top(self, field: str, tokens: list[str], k: int) -> list[tuple[str, float]]:
        k = min(k, self.size)
        if not tokens or k <= 0:
            return []
        # One clause per token, repeats included: a repeated query word counts again, as in bm25s.
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(self.schema, field, token)) for token in tokens]
        )
        hits = self.searcher.search(query, k).hits
        return [(self.searcher.doc(address)["chunk"][0], float(score)) for score, address in hits if score > 0]

    def frequency(self, token: str) -> int:
        """How many chunks hold the word (deleted chunks not counted, unlike tantivy's doc_freq)."""
        query = tantivy.Query.term_query(self.schema, "words", token)
        return self.searcher.search(query, 1, count=True).count or 0

    def idf(self, token: str) -> float:
        return smoothed_idf(self.size, self.frequency(token))

    @property
    def size(self) -> int:
        return self.searcher.num_docs

    @property
    def chunk_ids(self) -> list[str]:
        """Every chunk id the index holds (for checks: it reads every stored chunk id)."""
        if not self.size:
            return []
        hits = self.searcher.search(tantivy.Query.all_query(), self.size).hits
        return [self.searcher.doc(address)["chunk"][0] for _, address in hits]


class TantivyBackend:
    """The tantivy index of a data directory, kept at the catalog's generation by document.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> backend = TantivyBackend(folder, Catalog(folder / "catalog.sqlite3"))
    >>> backend.current().size, backend.lags()
    (0, False)
    """

    name = "tantivy"

    def __init__(self, data_dir: Path, catalog: Catalog) -> None:
        self.data_dir = data_dir
        self.folder = data_dir / INDEX_DIR
        self.catalog = catalog
        self.deferring = 0  # tantivy commits each document at once: nothing waits for a batch's end
        self.folder.mkdir(parents=True, exist_ok=True)
        self._schema = _schema()
        try:
            self._index = tantivy.Index(self._schema, path=str(self.folder), reuse=True)
        except ValueError as error:  # unreadable or of another schema: it is derived, build it again
            log.warning("the tantivy index of %s cannot be opened (%s); building it again", data_dir, error)
            shutil.rmtree(self.folder)
            self.folder.mkdir()
            self._index = tantivy.Index(self._schema, path=str(self.folder), reuse=True)
        self._index.register_tokenizer(_ANALYZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
        self._index.config_reader("manual")  # reloaded when the catalog's generation moves, not by a watcher
        self._view: TantivyView | None = None
        self._lock = threading.RLock()  # a reader that catches up reloads under it too

    # ------------------------------------------------------------------ reading
    def current(self) -> TantivyView:
        generation = self.catalog.seen_generation
        view = self._view
        if view is not None and view.generation == generation:
            return view
        with self._lock:
            view = self._view
            if view is None or view.generation != generation:
                if self._indexed_generation() != generation:
                    with locks.attempt(self.data_dir / locks.WRITE_LOCK) as free:
                        if free:  # else a writer is at work: it brings the index up itself
                            self._catch_up()
                view = self._reload()
                self._view = view
        return view

    def _reload(self) -> TantivyView:
        """A new searcher, of at least the generation the state file names (read before reloading:
        the state is written after the tantivy commit it names)."""
        indexed = self._indexed_generation()
        self._index.reload()
        return TantivyView(indexed if indexed is not None else -1, self._index.searcher(), self._schema)

    def _state(self) -> dict:
        return self.read_state(self.folder)

    @staticmethod
    def read_state(folder: Path) -> dict:
        """The state file of the index in ``folder`` (empty if none or unreadable)."""
        try:
            state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _indexed_generation(self) -> int | None:
        """The catalog generation the index was brought to, if by this tokenizer."""
        state = self._state()
        if state.get("tokenizer") != TOKENIZER_VERSION:
            return None
        generation = state.get("generation")
        return generation if isinstance(generation, int) else None

    # ------------------------------------------------------------------ writing
    def changed(self) -> None:
        self._catch_up()

    def lags(self) -> bool:
        return self._indexed_generation() != self.catalog.generation

    def publish(self) -> None:
        self._catch_up()

    def rebuild(self) -> None:
        """Index every chunk of the catalog again (``luoshi check --repair``)."""
        self._catch_up(everything=True)

    def _catch_up(self, *, everything: bool = False) -> tuple[int, int]:
        """Make the index hold exactly the catalog's document versions (``everything``: index them
        all again); call with the write lock held. Returns (documents added, documents deleted)."""
        generation = self.catalog.generation  # read first: documents change only under the write lock
        wanted = {_version(record.doc_id, record.content_hash): record.doc_id for record in self.catalog.documents()}
        self._index.reload()
        same_tokenizer = self._state().get("tokenizer") == TOKENIZER_VERSION and not everything
        held = self.indexed_versions() if same_tokenizer else set()
        gone_docs = {key.split(_SEPARATOR, 1)[0] for key in held - wanted.keys()}
        missing = [key for key in wanted if key not in held or wanted[key] in gone_docs]
        if missing or gone_docs or not same_tokenizer:
            writer = self._index.writer(heap_size=_HEAP_BYTES, num_threads=1)
            try:
                if not same_tokenizer:
                    writer.delete_all_documents()
                for doc_id in sorted(gone_docs):  # before the adds: a delete removes what was added before it
                    writer.delete_documents_by_term("doc", doc_id)
                self._add(writer, [(key, wanted[key]) for key in missing])
                writer.commit()
            except BaseException:
                writer.rollback()
                raise
            finally:
                writer.wait_merging_threads()  # frees tantivy's writer lock
        self._write_state(generation)
        with self._lock:
            self._view = self._reload()
        if missing or gone_docs:
            log.info("tantivy index of %s: %d documents added, %d deleted", self.data_dir, len(missing), len(gone_docs))
        return len(missing), len(gone_docs)

    def _add(self, writer: tantivy.IndexWriter, documents: list[tuple[str, str]]) -> None:
        """Index the chunks of each (version key, doc id); tokens saved by bm25s are reused."""
        cache = TokenCache.load(self.data_dir / LEXICAL_DIR) if len(documents) > 1 else TokenCache()
        for key, doc_id in documents:
            chunks = list(self.catalog.chunks(self.catalog.chunk_ids(doc_id)).values())
            words = cache.tokens([chunk.index_text for chunk in chunks])
            for chunk, tokens in zip(chunks, words, strict=True):
                writer.add_document(
                    tantivy.Document(
                        chunk=chunk.chunk_id,
                        doc=doc_id,
                        version=key,
                        words=" ".join(tokens),
                        grams=" ".join(bigrams(chunk.index_text) or [EMPTY_TOKEN]),
                    )
                )

    def _write_state(self, generation: int) -> None:
        staging = self.folder / f".{STATE_FILE}-{os.getpid()}-{threading.get_ident()}"
        staging.write_text(json.dumps({"generation": generation, "tokenizer": TOKENIZER_VERSION}), encoding="utf-8")
        os.replace(staging, self.folder / STATE_FILE)

    def indexed_versions(self) -> set[str]:
        """The document versions (id and content hash) the last reloaded searcher holds."""
        found = self._index.searcher().aggregate(
            tantivy.Query.all_query(), {"versions": {"terms": {"field": "version", "size": _ALL}}}
        )
        return {bucket["key"] for bucket in found["versions"]["buckets"]}

    def close(self) -> None:
        self._view = None


def tantivy_contents(data_dir: Path) -> tuple[int | None, list[str] | None]:
    """(the catalog generation the index says it was brought to, every chunk id it holds) of the
    tantivy index in ``data_dir``, read without changing it; (None, None) when there is none."""
    folder = data_dir / INDEX_DIR
    if not folder.is_dir() or not tantivy.Index.exists(str(folder)):  # exists() raises on a missing folder
        return None, None
    try:
        index = tantivy.Index.open(str(folder))
        index.reload()
        view = TantivyView(-1, index.searcher(), index.schema)
        chunk_ids = view.chunk_ids
    except ValueError:  # tantivy's errors for unreadable files
        return None, None
    state = TantivyBackend.read_state(folder)
    generation = state.get("generation") if state.get("tokenizer") == TOKENIZER_VERSION else None
    return (generation if isinstance(generation, int) else None), chunk_ids


def _version(doc_id: str, content_hash: str) -> str:
    return f"{doc_id}{_SEPARATOR}{content_hash}"

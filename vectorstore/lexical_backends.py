"""The lexical indexes a store can keep (``LUOSHI_LEXICAL_INDEX``), behind one interface.

Both are derived from the catalog, the source of truth, and kept at its generation:

- ``bm25s`` (the default): one bm25s matrix over every chunk, rebuilt and published whole after each
  commit (``lexical.py``);
- ``tantivy``: a tantivy index that each commit changes by document, shared by every process that
  opens the data directory (``lexical_tantivy.py``).

The store calls ``changed`` after each commit (with the write lock held) and ``current`` to read;
``current`` catches up with the catalog when another process wrote, or one died before it could.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from vectorstore import locks
from vectorstore.catalog import Catalog
from vectorstore.lexical import LEXICAL_DIR, LexicalIndex, TokenCache, published_generation
from vectorstore.lexical_tantivy import TantivyBackend

log = logging.getLogger(__name__)

DEFAULT_LEXICAL_INDEX = "bm25s"  # the setting's default


class LexicalView(Protocol):
    """BM25 over a catalog generation's chunks: words (``tokenize``'s) and character bigrams."""

    generation: int

    def search(self, tokens: list[str], k: int) -> list[tuple[str, float]]:
        """Top ``k`` chunk ids by BM25 over words, scores above zero."""
        ...

    def bigram_search(self, grams: list[str], k: int) -> list[tuple[str, float]]:
        """Top ``k`` chunk ids by BM25 over character bigrams, scores above zero."""
        ...

    def idf(self, token: str) -> float:
        """The word's smoothed inverse document frequency (``lexical.smoothed_idf``)."""
        ...

    def frequency(self, token: str) -> int:
        """How many chunks hold the word."""
        ...

    @property
    def size(self) -> int:
        """How many chunks are indexed."""
        ...


class LexicalBackend(Protocol):
    """How a store keeps one kind of lexical index caught up with its catalog."""

    name: str
    deferring: int  # > 0 inside ``Store.batch``: a backend may wait for the batch's end to publish

    def current(self) -> LexicalView:
        """The index of the catalog's generation (caught up first if it lags and no writer is at work)."""
        ...

    def changed(self) -> None:
        """The catalog changed (a commit or a removal); called with the write lock held."""
        ...

    def lags(self) -> bool:
        """Whether the published index is behind the catalog."""
        ...

    def publish(self) -> None:
        """Bring the published index up to the catalog; called with the write lock held."""
        ...

    def rebuild(self) -> None:
        """Index the whole catalog again (a repair); called with the write lock held."""
        ...

    def close(self) -> None: ...


class Bm25sBackend:
    """bm25s matrices rebuilt from the catalog and published per generation (see ``lexical.py``)."""

    name = "bm25s"

    def __init__(self, data_dir: Path, catalog: Catalog) -> None:
        self.data_dir = data_dir
        self.folder = data_dir / LEXICAL_DIR
        self.catalog = catalog
        self.deferring = 0
        self._index: LexicalIndex | None = None
        self._stale = False
        self._lock = threading.Lock()

    def current(self) -> LexicalIndex:
        """The BM25 indexes of the current catalog generation (reloaded when another process wrote)."""
        generation = self.catalog.seen_generation
        current = self._index
        if current is not None and current.generation == generation:
            return current
        rebuilt: tuple[LexicalIndex, TokenCache] | None = None
        with self._lock:
            if self._index is None or self._index.generation != generation:
                loaded = LexicalIndex.load(self.folder)
                if loaded is None or loaded.generation != generation:
                    chunk_ids, texts = self.catalog.all_index_texts()
                    cache = TokenCache.load(self.folder)
                    loaded = LexicalIndex.build(generation, chunk_ids, texts, cache)
                    rebuilt = (loaded, cache)
                self._index = loaded
            current = self._index
        if rebuilt is not None and not self.deferring:
            self._publish_built(*rebuilt)  # what lagged or could not be read: others load it now
        return current

    def _publish_built(self, index: LexicalIndex, cache: TokenCache) -> None:
        """Publish an index a reader built, if it is still of the catalog's generation and no writer
        is at work (a writer publishes its own)."""
        with locks.attempt(self.data_dir / locks.WRITE_LOCK) as free:
            if free and index.generation == self.catalog.generation:
                log.info("BM25 of %s was behind the catalog or unreadable; publishing it again", self.data_dir)
                index.save(self.folder, cache)

    def changed(self) -> None:
        if self.deferring:
            self._stale = True
        else:
            self.publish()

    def lags(self) -> bool:
        """Whether the published BM25 is not of the catalog's generation (a batch is under way, or
        one died before publishing)."""
        return self._stale or published_generation(self.folder) != self.catalog.generation

    def publish(self) -> None:
        """Build BM25 from the catalog and publish it."""
        chunk_ids, texts = self.catalog.all_index_texts()
        cache = TokenCache.load(self.folder)
        index = LexicalIndex.build(self.catalog.generation, chunk_ids, texts, cache)
        index.save(self.folder, cache)
        self._index = index
        self._stale = False

    def rebuild(self) -> None:
        self.publish()  # every publish is a rebuild

    def close(self) -> None:
        self._index = None


BACKENDS: dict[str, Callable[[Path, Catalog], LexicalBackend]] = {"bm25s": Bm25sBackend, "tantivy": TantivyBackend}


def lexical_backend(name: str, data_dir: Path, catalog: Catalog) -> LexicalBackend:
    """The backend ``name`` (``LUOSHI_LEXICAL_INDEX``) of ``data_dir``; call under the open lock
    (a backend may create its files).

    >>> lexical_backend("elastic", Path("."), None)
    Traceback (most recent call last):
    ...
    ValueError: unknown lexical index 'elastic': choose one of bm25s, tantivy
    """
    if name not in BACKENDS:
        raise ValueError(f"unknown lexical index {name!r}: choose one of {', '.join(BACKENDS)}")
    return BACKENDS[name](data_dir, catalog)

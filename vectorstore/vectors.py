"""The store's vectors in Chroma: embedded in the data directory, or on a Chroma server.

Embedded (the default), the vectors live in ``<data dir>/chroma`` through ``chromadb.PersistentClient``.
Chroma keeps each folder's index in memory once per process and does not notice what other processes
write, and a process that writes from such a stale index damages what the others wrote. So the
embedded client is reopened whenever the catalog's generation moved since this process last saw it:
before a write (under the write lock) and before a search. Reopening costs about 2 ms per 1000
vectors, once per commit of another process (benchmarks/vectors_latency.py).

With ``LUOSHI_CHROMA_URL`` the vectors live on a Chroma server (``chroma run``), which every process
shares, so there is nothing to reopen. Each store has its own collection there, named after the
store id kept in its catalog, so several data directories can share one server.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma

from vectorstore.embeddings import EmbeddingModel

EMBEDDED_COLLECTION = "luoshi_chunks"  # the collection of an embedded store (one per folder)
CHROMA_DIR = "chroma"  # in a data directory, for the embedded store
STORE_ID_META = "store_id"  # catalog meta: names the store's collection on a server
_BATCH = 512


class ModelMismatchError(RuntimeError):
    """The index was built with another embedding model than the one configured."""

    def __init__(self, indexed: str, dimension: int, configured: str, configured_dimension: int) -> None:
        self.indexed = indexed
        self.configured = configured
        super().__init__(
            f"this index was built with embedding model {indexed!r} (dimension {dimension}), but the "
            f"configured model is {configured!r} (dimension {configured_dimension}). Set "
            f"LUOSHI_EMBEDDING_MODEL={indexed} or use a new LUOSHI_DATA_DIR and ingest again."
        )

    @property
    def message_zh(self) -> str:
        return f"索引由向量模型 {self.indexed} 建立，与当前配置的 {self.configured} 不一致，请联系管理员。"


class VectorsUnavailableError(RuntimeError):
    """The Chroma server cannot be reached; the message is for operators (English)."""


def _settings() -> ChromaSettings:
    """Chroma's settings for a new client (a new object each time: chromadb's client functions
    write into the one they are given)."""
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


def open_chroma(data_dir: Path, url: str | None = None) -> chromadb.ClientAPI:
    """The Chroma client of a data directory: its embedded folder, or the server at ``url``.

    >>> open_chroma(Path("/srv/luoshi"), "http://127.0.0.1:8000")  # doctest: +SKIP
    """
    if url is None:
        return chromadb.PersistentClient(path=str(Path(data_dir) / CHROMA_DIR), settings=_settings())
    parts = urlsplit(url)  # checked by bot.settings
    try:
        client = chromadb.HttpClient(
            host=parts.hostname,
            port=parts.port or (443 if parts.scheme == "https" else 80),
            ssl=parts.scheme == "https",
            settings=_settings(),
        )
        client.heartbeat()
    except Exception as error:  # connection refused, DNS, a server that is not Chroma
        raise VectorsUnavailableError(f"the Chroma server at {url} cannot be reached: {error}") from error
    return client


def collection_name(store_id: str | None, url: str | None) -> str:
    """The collection that holds a store's vectors.

    >>> collection_name("0f3a", None), collection_name("0f3a", "http://127.0.0.1:8000")
    ('luoshi_chunks', 'luoshi-0f3a')
    """
    if url is None:
        return EMBEDDED_COLLECTION
    if not store_id:
        raise ValueError("a store on a Chroma server needs a store id")
    return f"luoshi-{store_id}"


def new_store_id() -> str:
    """A fresh store id (32 hex digits)."""
    return uuid.uuid4().hex


class Vectors:
    """A store's vectors, searched and written through langchain-chroma; safe from many threads.

    ``generation`` is the catalog generation the open client is known to reflect; ``refresh``
    reopens an embedded client when the catalog moved past it (another process committed).
    """

    def __init__(self, data_dir: Path, model: EmbeddingModel, store_id: str, url: str | None, generation: int) -> None:
        self.data_dir, self.model, self.url = Path(data_dir), model, url
        self.collection = collection_name(store_id, url)
        self.generation = generation
        self._state = threading.Condition()
        self._users = 0  # operations under way on the current client
        self._reopening = False
        self._client, self._chroma = self._open()

    @property
    def embedded(self) -> bool:
        return self.url is None

    def _open(self) -> tuple[chromadb.ClientAPI, Chroma]:
        client = open_chroma(self.data_dir, self.url)
        try:
            chroma = Chroma(
                collection_name=self.collection,
                embedding_function=self.model.embeddings,
                client=client,
                collection_metadata={
                    "hnsw:space": "cosine",
                    "model": self.model.name,
                    "dimension": self.model.dimension,
                },
            )
            indexed = chroma._collection.metadata or {}
        except BaseException:
            client.close()
            raise
        if indexed.get("model", self.model.name) != self.model.name:
            client.close()
            dimension = int(indexed.get("dimension") or 0)
            raise ModelMismatchError(str(indexed["model"]), dimension, self.model.name, self.model.dimension)
        return client, chroma

    @contextmanager
    def _using(self) -> Iterator[Chroma]:
        with self._state:
            self._state.wait_for(lambda: not self._reopening)
            self._users += 1
            chroma = self._chroma
        try:
            yield chroma
        finally:
            with self._state:
                self._users -= 1
                self._state.notify_all()

    def refresh(self, generation: int) -> bool:
        """Reopen an embedded client that may not show what another process wrote since it was
        opened (the catalog is at ``generation`` now); whether it was reopened.

        Chroma shares one state per folder in a process, so the old client is closed (after the
        operations under way) before the new one is opened.
        """
        if not self.embedded or generation == self.generation:
            return False
        with self._state:
            if generation == self.generation or self._reopening:
                return False  # another thread is at it, or did it
            self._reopening = True
            try:
                self._state.wait_for(lambda: self._users == 0)
                self._client.close()
                self._client, self._chroma = self._open()
                self.generation = generation
            finally:
                self._reopening = False
                self._state.notify_all()
        return True

    def add(self, texts: list[str], metadatas: list[dict], ids: list[str]) -> None:
        """Embed and store ``texts`` under ``ids``."""
        with self._using() as chroma:
            for offset in range(0, len(ids), _BATCH):
                end = offset + _BATCH
                chroma.add_texts(texts[offset:end], metadatas=metadatas[offset:end], ids=ids[offset:end])

    def delete(self, ids: list[str]) -> None:
        with self._using() as chroma:
            for offset in range(0, len(ids), _BATCH):
                chroma.delete(ids=ids[offset : offset + _BATCH])

    def ids(self) -> list[str]:
        """Every stored vector's id."""
        with self._using() as chroma:
            return list(chroma.get(include=[])["ids"])

    def get(self, ids: list[str] | None = None, include: list[str] | None = None) -> dict:
        """Chroma's ``get`` of the collection (``include=[]``: ids only)."""
        with self._using() as chroma:
            return chroma.get(ids=ids, include=include if include is not None else ["metadatas"])

    def search(self, query: str, k: int) -> list[tuple[str | None, float]]:
        """The ``k`` nearest vectors to ``query``'s embedding: (id, cosine similarity), best first."""
        with self._using() as chroma:
            results = chroma.similarity_search_with_score(query, k=k)
        return [(document.id, 1.0 - distance) for document, distance in results]

    def reset(self) -> None:
        """Empty the collection (a store whose index Chroma cannot read)."""
        with self._using() as chroma:
            chroma.reset_collection()

    def close(self) -> None:
        with self._state:
            self._state.wait_for(lambda: self._users == 0 and not self._reopening)
            self._client.close()  # the last client of a folder in this process frees Chroma's cached state

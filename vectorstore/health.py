"""Whether a data directory's catalog, Chroma vectors and BM25 index agree (``luoshi check``).

The catalog is the source of truth; the vectors and BM25 are derived from it. ``inspect`` reads
all three under the write lock (so no ingest is half way) without loading the embedding model and
without changing anything, and lists what disagrees. ``ingest.maintenance.repair_store`` repairs it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

import chromadb
from sqlalchemy.exc import DatabaseError

from vectorstore import locks
from vectorstore.catalog import CATALOG_FILE, Catalog, catalog_location
from vectorstore.lexical import LEXICAL_DIR, LexicalIndex, published_generation
from vectorstore.lexical_backends import DEFAULT_LEXICAL_INDEX
from vectorstore.lexical_tantivy import tantivy_contents
from vectorstore.marker import WriteMarker
from vectorstore.vectors import CHROMA_DIR, STORE_ID_META, VectorsUnavailableError, collection_name, open_chroma

_PAGE = 10_000  # vectors read from Chroma per request
_PROBES = 16  # stored vectors looked up by themselves to show Chroma's index answers
_NEIGHBOURS = 10  # nearest vectors a probe is looked for among
_SAME_VECTOR = 1e-3  # cosine distance under which a found vector is the probe itself
_SHOWN_IDS = 3
# (doc_id, chunk count recorded, chunks held) of each document whose two disagree
_CHUNK_COUNT_MISMATCHES = (
    "SELECT d.doc_id, d.chunk_count, COUNT(c.chunk_id) FROM documents d LEFT JOIN chunks c ON c.doc_id = d.doc_id "
    "GROUP BY d.doc_id HAVING d.chunk_count != COUNT(c.chunk_id)"
)


@dataclass(frozen=True)
class Problem:
    """One disagreement, said for operators; ``kind`` names it for scripts."""

    kind: str
    message: str
    repairable: bool = True


@dataclass
class Health:
    """What ``inspect`` found in a data directory."""

    data_dir: Path
    generation: int = 0
    documents: int = 0
    chunks: int = 0
    vectors: int = 0
    bm25_generation: int | None = None
    problems: list[Problem] = field(default_factory=list)
    rewrite: list[str] = field(default_factory=list)  # vectors stored with another chunk's metadata
    vector_index_broken: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def repairable(self) -> bool:
        """Whether ``--repair`` has something to do and a sound catalog to do it from."""
        return any(p.repairable for p in self.problems) and all(p.kind != "catalog_damaged" for p in self.problems)

    def add(self, kind: str, message: str, ids: list[str] | None = None, *, repairable: bool = True) -> None:
        if ids:
            shown = ", ".join(ids[:_SHOWN_IDS]) + (", …" if len(ids) > _SHOWN_IDS else "")
            message = f"{message} (e.g. {shown})"
        self.problems.append(Problem(kind, message, repairable))

    def report(self) -> list[str]:
        """The report for the terminal, in English."""
        bm25 = "none" if self.bm25_generation is None else f"generation {self.bm25_generation}"
        lines = [
            f"Store {self.data_dir}",
            f"  catalog  generation {self.generation} · {self.documents} documents · {self.chunks} chunks",
            f"  vectors  {self.vectors}",
            f"  BM25     {bm25}",
        ]
        if self.ok:
            return [*lines, "OK: the catalog, the vectors and the BM25 index agree."]
        lines += [f"  ✗ {problem.message}" for problem in self.problems]
        lines.append(f"{len(self.problems)} problem(s) found.")
        if any(not problem.repairable for problem in self.problems):
            lines.append("Some cannot be repaired from the catalog: restore a backup (luoshi restore) or re-ingest.")
        return lines

    def to_json(self) -> dict:
        return {
            "data_dir": str(self.data_dir),
            "ok": self.ok,
            "generation": self.generation,
            "documents": self.documents,
            "chunks": self.chunks,
            "vectors": self.vectors,
            "bm25_generation": self.bm25_generation,
            "problems": [problem.__dict__ for problem in self.problems],
        }


class NoStoreError(FileNotFoundError):
    """The folder holds no catalog."""


def inspect(
    data_dir: Path,
    chroma_url: str | None = None,
    database_url: str | None = None,
    lexical: str = DEFAULT_LEXICAL_INDEX,
    *,
    locked: bool = False,
) -> Health:
    """Compare the catalog (in PostgreSQL at ``database_url`` if given), the vectors (embedded, or on the
    Chroma server at ``chroma_url``) and the lexical index ``lexical`` of ``data_dir``; changes nothing.
    ``locked``: the caller holds the write locks already (``luoshi migrate`` checks what it copied).

    Raises NoStoreError when ``data_dir`` holds no catalog (or, with a database, does not exist).
    """
    data_dir = Path(data_dir)
    if database_url is None and not (data_dir / CATALOG_FILE).is_file():
        raise NoStoreError(f"no Luoshi store in {data_dir} (no {CATALOG_FILE})")
    if not data_dir.is_dir():
        raise NoStoreError(f"no Luoshi store in {data_dir} (no such folder)")
    try:
        with locks.held(data_dir / locks.OPEN_LOCK):
            catalog = Catalog(catalog_location(data_dir, database_url))
        try:
            if locked:
                return _inspect(data_dir, catalog, chroma_url, lexical)
            with locks.held(data_dir / locks.WRITE_LOCK), catalog.database.write_lock():
                return _inspect(data_dir, catalog, chroma_url, lexical)
        finally:
            catalog.close()
    except DatabaseError as error:  # not a database, or damaged pages
        health = Health(data_dir)
        health.add("catalog_damaged", f"the catalog cannot be read: {error}", repairable=False)
        return health


def _inspect(data_dir: Path, catalog: Catalog, chroma_url: str | None, lexical: str) -> Health:
    rows = catalog.rows  # read-only queries of the catalog's tables, as vectorstore/ledger.py reads its own
    owners: dict[str, str] = {chunk_id: doc_id for chunk_id, doc_id in rows("SELECT chunk_id, doc_id FROM chunks")}
    health = Health(data_dir, catalog.generation, len(catalog.documents()), len(owners))
    if WriteMarker(data_dir, catalog).present():
        health.add("interrupted", "a write was interrupted (UNCOMMITTED marker): vectors and BM25 may be behind")
    for problem in [] if catalog.is_postgres else _integrity_problems(catalog):
        health.add("catalog_damaged", f"catalog: {problem}", repairable=False)
    for doc_id, recorded, held in rows(_CHUNK_COUNT_MISMATCHES):
        health.add(
            "chunk_count",
            f"document {doc_id} records {recorded} chunks but the catalog holds {held}: re-ingest it",
            repairable=False,
        )
    dangling = [
        (table, row[0])
        for table in ("directives", "slogans")
        # NOT EXISTS, not NOT IN: PostgreSQL can run only the former as an anti-join; NOT IN rescans the
        # chunks for every record once they outgrow work_mem (minutes at 100k chunks).
        for row in rows(
            f"SELECT t.chunk_id FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.chunk_id = t.chunk_id)"
        )
    ]
    if dangling:
        tables = sorted({table for table, _ in dangling})
        health.add(
            "ledger_chunks",
            f"{len(dangling)} ledger records ({', '.join(tables)}) cite chunks the catalog does not hold",
            [chunk_id for _, chunk_id in dangling],
        )
    _inspect_vectors(health, owners, chroma_url, catalog.get_meta(STORE_ID_META))
    _inspect_lexical(health, set(owners), lexical)
    return health


def _integrity_problems(catalog: Catalog) -> list[str]:
    """What SQLite's own checks find wrong in the file and its references (empty when sound). A
    PostgreSQL server keeps its own pages and foreign keys sound."""
    found = [row[0] for row in catalog.rows("PRAGMA quick_check") if row[0] != "ok"]
    found += [
        f"{table} row {rowid} refers to a missing {parent} row"
        for table, rowid, parent, _ in catalog.rows("PRAGMA foreign_key_check")
    ]
    return found


def _inspect_vectors(health: Health, owners: dict[str, str], url: str | None, store_id: str | None) -> None:
    if url is None and not (health.data_dir / CHROMA_DIR).is_dir():
        if owners:
            health.add(
                "vectors_missing", f"the vector store ({CHROMA_DIR}/) is missing: {len(owners)} chunks lack vectors"
            )
        return
    if url is not None and store_id is None:  # a catalog no store has opened yet: nothing on the server
        if owners:
            health.add("vectors_missing", f"the store has no id yet: {len(owners)} chunks lack vectors")
        return
    try:
        client = open_chroma(health.data_dir, url)
    except VectorsUnavailableError as error:
        health.add("vectors_unreachable", f"{error}: start it, or check LUOSHI_CHROMA_URL", repairable=False)
        return
    with client:
        _inspect_collection(health, owners, client, collection_name(store_id, url))


def _inspect_collection(health: Health, owners: dict[str, str], client: chromadb.ClientAPI, name: str) -> None:
    try:
        collection = client.get_collection(name)
        metadata = _every_metadata(collection)
    except (chromadb.errors.NotFoundError, ValueError):
        metadata = {}
    except Exception as error:  # Chroma raises its own internal errors for damaged files
        health.add("vector_index", f"Chroma cannot read the vectors: {error}")
        health.vector_index_broken = True
        return
    health.vectors = len(metadata)
    missing = sorted(set(owners) - set(metadata))
    orphans = sorted(set(metadata) - set(owners))
    if missing:
        health.add("vectors_missing", f"{len(missing)} chunks have no vector", missing)
    if orphans:
        health.add("vectors_orphan", f"{len(orphans)} vectors belong to no chunk of the catalog", orphans)
    health.rewrite = sorted(
        chunk_id
        for chunk_id, meta in metadata.items()
        if chunk_id in owners and (meta or {}).get("doc_id") != owners[chunk_id]
    )
    if health.rewrite:
        health.add("vectors_metadata", f"{len(health.rewrite)} vectors name another document", health.rewrite)
    shared = sorted(set(owners) & set(metadata))
    if shared:
        _probe(health, collection, shared[:: max(1, len(shared) // _PROBES)][:_PROBES])


def _every_metadata(collection: chromadb.Collection) -> dict[str, dict | None]:
    """Every vector's metadata by id, a page at a time: Chroma reads them with one SQLite statement per
    request, which fails beyond SQLite's 32,766 variables (a store of about 33k chunks and more)."""
    found: dict[str, dict | None] = {}
    for offset in itertools.count(0, _PAGE):
        page = collection.get(include=["metadatas"], limit=_PAGE, offset=offset)
        found.update(zip(page["ids"], page["metadatas"] or [], strict=True))
        if len(page["ids"]) < _PAGE:
            break
    return found


def _probe(health: Health, collection: chromadb.Collection, ids: list[str]) -> None:
    """Look stored vectors up by themselves: each must be among its own nearest neighbours. The
    search is approximate, so one miss is tolerated; a damaged index misses most."""
    try:
        stored = collection.get(ids=ids, include=["embeddings"])
        found = collection.query(
            query_embeddings=stored["embeddings"], n_results=min(_NEIGHBOURS, health.vectors), include=["distances"]
        )
    except Exception as error:  # Chroma raises its own internal errors for damaged files
        health.add("vector_index", f"Chroma's vector index cannot be searched: {error}")
        health.vector_index_broken = True
        return
    lost = [
        chunk_id
        for chunk_id, distances in zip(stored["ids"], found["distances"], strict=True)
        if not any(distance <= _SAME_VECTOR for distance in distances)
    ]
    if len(lost) > len(ids) // 4:
        health.add("vector_index", f"Chroma's vector index does not find {len(lost)} stored vectors", lost)
        health.vector_index_broken = True


def _inspect_lexical(health: Health, chunk_ids: set[str], lexical: str) -> None:
    if lexical == "tantivy":
        generation, held = tantivy_contents(health.data_dir)
    else:
        index = LexicalIndex.load(health.data_dir / LEXICAL_DIR)
        generation, held = published_generation(health.data_dir / LEXICAL_DIR), index and index.chunk_ids
        generation = index.generation if index is not None else generation
    health.bm25_generation = generation
    if held is None or generation is None:
        health.add("bm25_missing", f"no readable BM25 index ({lexical}) is published")
        return
    if generation != health.generation:
        health.add(
            "bm25_stale",
            f"BM25 ({lexical}) is of generation {generation}, the catalog of {health.generation} "
            "(a folder ingest is running, or one was interrupted)",
        )
        return
    indexed = set(held)
    if indexed != chunk_ids:
        health.add(
            "bm25_chunks",
            f"BM25 lacks {len(chunk_ids - indexed)} chunks and holds {len(indexed - chunk_ids)} the catalog does not",
            sorted(chunk_ids ^ indexed),
        )

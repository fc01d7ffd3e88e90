"""Copy an embedded store into the servers (``luoshi migrate``): the SQLite catalog into PostgreSQL, the
embedded Chroma vectors (with their embeddings: nothing is embedded again) into a collection on a Chroma
server, and the lexical index built for the target backend in the same data directory.

The copy keeps the store's commit protocol, under the source's write lock and the target's advisory
write lock (``STORE_KEY``), so no ingest runs meanwhile:

1. the vectors go into a staging collection ``luoshi-<store id>-migrating``, in batches;
2. one catalog transaction creates the tables and copies every row (meta with store id, model and
   generation, documents, chunks in their order, markings, bylines, the ledger), with the meta row
   ``MIGRATING_META``: the commit point;
3. the staging collection is renamed to the store's collection, the lexical index is brought to the
   catalog, counts and ids are compared and ``health.inspect`` checks the target; then
   ``MIGRATING_META`` is deleted, and the migrate is done.

It refuses a target whose catalog holds documents, or whose Chroma server holds vectors of this store,
unless they are what an interrupted migrate of the same store id left (``MIGRATING_META`` in the
catalog, or the staging collection): that one is cleared and redone. A migrate that fails takes back
what it wrote (the catalog transaction is rolled back, or its rows deleted; the collections it made
are deleted), so the target is as it was; the source is only read.

>>> migrate_to_servers(Path("data"), "postgresql://luoshi@db/luoshi", "http://db:8000")  # doctest: +SKIP
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import chromadb
from sqlalchemy import Connection, func, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from vectorstore import locks
from vectorstore.catalog import CATALOG_FILE, Catalog
from vectorstore.database import Database, shown_url
from vectorstore.health import Health, NoStoreError
from vectorstore.health import inspect as inspect_store
from vectorstore.lexical_backends import DEFAULT_LEXICAL_INDEX, lexical_backend
from vectorstore.marker import MARKER_FILE
from vectorstore.schema import CHUNKS, META, metadata, migrate
from vectorstore.vectors import (
    EMBEDDED_COLLECTION,
    STORE_ID_META,
    VectorsUnavailableError,
    collection_name,
    new_store_id,
    open_chroma,
)

MIGRATING_META = "migrating_from"  # catalog meta while a migrate is unfinished: where it copies from
BATCH = 1000  # vectors per Chroma request, rows per catalog insert
_CHECKED_EMBEDDINGS = 64  # vectors whose embeddings are compared after the copy
_SAME_EMBEDDING = 1e-5  # Chroma's float32 round trip moves a component by ~2e-7
_TABLES = metadata.sorted_tables  # parents before children


class MigrateError(RuntimeError):
    """A migrate that was refused or failed; the message is for operators (English)."""


@dataclass(frozen=True)
class Migrated:
    """A finished migrate: what was copied, how long it took, and the target's check."""

    documents: int
    chunks: int
    vectors: int
    seconds: float
    redone: bool  # an interrupted migrate of the same store was cleared first
    health: Health


@dataclass
class _Target:
    """What the target held before: the catalog's tables (and its meta rows), an interrupted migrate."""

    had_tables: bool
    meta: list[dict]
    interrupted: bool


def migrate_to_servers(
    data_dir: Path,
    database_url: str,
    chroma_url: str,
    lexical: str = DEFAULT_LEXICAL_INDEX,
    *,
    source_lexical: str = DEFAULT_LEXICAL_INDEX,
    batch: int = BATCH,
    progress: Callable[[int, int], None] | None = None,
) -> Migrated:
    """Copy the embedded store of ``data_dir`` (its lexical index ``source_lexical``) to the PostgreSQL
    database ``database_url`` and the Chroma server ``chroma_url``, with the lexical index ``lexical``.
    ``progress(vectors copied, vectors in all)`` is called after each batch.

    Raises NoStoreError when ``data_dir`` holds no embedded store, MigrateError when refused or failed.
    """
    data_dir = Path(data_dir)
    if not (data_dir / CATALOG_FILE).is_file():
        raise NoStoreError(f"no embedded Luoshi store in {data_dir} (no {CATALOG_FILE}) to migrate")
    started = time.monotonic()
    with locks.held(data_dir / locks.WRITE_LOCK):
        if (data_dir / MARKER_FILE).exists():
            raise MigrateError(f"{data_dir} has an interrupted write: run `luoshi check --repair` first, then migrate")
        checked = inspect_store(data_dir, lexical=source_lexical, locked=True)
        if not checked.ok:
            problems = "; ".join(problem.message for problem in checked.problems)
            raise MigrateError(f"the store in {data_dir} does not check out ({problems}): run `luoshi check --repair`")
        with locks.held(data_dir / locks.OPEN_LOCK):
            source = Catalog(data_dir / CATALOG_FILE)
        target = Database.open(database_url)
        try:
            with target.write_lock():
                copy = _Copy(data_dir, source, target, database_url, chroma_url, lexical, batch, progress)
                redone, health = copy.run()
        except NoStoreError:
            raise
        except Exception as error:  # refused; or the database or Chroma server failed mid-copy, a disk filled up
            raise _with_notes(error, database_url) from error
        finally:
            target.close()
            source.close()
    return Migrated(health.documents, health.chunks, health.vectors, time.monotonic() - started, redone, health)


def _with_notes(error: Exception, database_url: str) -> MigrateError:
    """``error`` said for operators, with what taking the migrate back could not do (its notes)."""
    if isinstance(error, MigrateError | VectorsUnavailableError):
        message = str(error)
    elif isinstance(error, SQLAlchemyError):
        message = f"the database at {shown_url(database_url)} failed (what the migrate wrote was taken back): {error}"
    else:
        message = f"the migrate failed (what it wrote was taken back): {type(error).__name__}: {error}"
    return MigrateError(message + "".join(f"; {note}" for note in getattr(error, "__notes__", [])))


class _Copy:
    """One migrate, its steps in order (``run``), and how to take it back (``_undo``)."""

    def __init__(
        self,
        data_dir: Path,
        source: Catalog,
        target: Database,
        database_url: str,
        chroma_url: str,
        lexical: str,
        batch: int,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.data_dir, self.source, self.target = data_dir, source, target
        self.database_url, self.chroma_url, self.lexical = database_url, chroma_url, lexical
        self.batch, self.progress = max(1, batch), progress
        self.store_id = source.get_meta(STORE_ID_META) or new_store_id()  # a store older than store ids gets one
        self.collection = collection_name(self.store_id, chroma_url)
        self.staging = f"{self.collection}-migrating"
        self.chunk_ids = source.chunk_ids()

    def run(self) -> tuple[bool, Health]:
        client = open_chroma(self.data_dir, self.chroma_url)
        try:
            before = self._refuse_unless_empty(client)
            try:
                self._clear_interrupted(client, before)
                self._copy_vectors(client)
                self._copy_catalog(before)
                with suppress(chromadb.errors.NotFoundError, ValueError):
                    client.delete_collection(self.collection)  # an empty one (a non-empty one was refused)
                client.get_collection(self.staging).modify(name=self.collection)
                self._publish_lexical()
                self._verify(client)
                health = inspect_store(self.data_dir, self.chroma_url, self.database_url, self.lexical, locked=True)
                if not health.ok:
                    problems = "; ".join(problem.message for problem in health.problems)
                    raise MigrateError(f"the copy does not check out, so it was taken back: {problems}")
                with self.target.write() as db:
                    db.execute(META.delete().where(META.c.key == MIGRATING_META))
            except BaseException as error:
                self._undo(client, before, error)
                raise
        finally:
            client.close()
        return before.interrupted, health

    # ------------------------------------------------------------------ before
    def _refuse_unless_empty(self, client: chromadb.ClientAPI) -> _Target:
        """What the target holds; MigrateError unless that is nothing, an empty catalog, or what an
        interrupted migrate of this store left."""
        with self.target.read() as db:
            had_tables = inspect(db).has_table(META.name)
            meta = [dict(row._mapping) for row in db.execute(select(META))] if had_tables else []
            documents = db.execute(text("SELECT COUNT(*) FROM documents")).scalar() if had_tables else 0
        known = {row["key"]: row["value"] for row in meta}
        interrupted = MIGRATING_META in known and known.get(STORE_ID_META) == self.store_id
        where = shown_url(self.database_url)
        if documents and not interrupted:
            raise MigrateError(
                f"the database at {where} already holds a catalog with {documents} documents (store id "
                f"{known.get(STORE_ID_META)}): migrate refuses to mix stores. Use a new, empty database"
            )
        held = _count(client, self.collection)
        if held and not interrupted:
            raise MigrateError(
                f"the Chroma server at {self.chroma_url} already holds {held} vectors of this store (collection "
                f"{self.collection}): it was migrated before. Point LUOSHI_DATABASE_URL at the database it went to, "
                "or delete that collection to migrate again"
            )
        if had_tables:
            migrate(self.target)  # an empty catalog of an older release: its tables brought up to date
        return _Target(had_tables, meta, interrupted)

    def _clear_interrupted(self, client: chromadb.ClientAPI, before: _Target) -> None:
        """Delete the collections an interrupted migrate of this store left (its catalog rows go in the
        copy's transaction)."""
        names = [self.staging, self.collection] if before.interrupted else [self.staging]
        for name in names:
            with suppress(chromadb.errors.NotFoundError, ValueError):
                client.delete_collection(name)

    # ------------------------------------------------------------------ copying
    def _copy_vectors(self, client: chromadb.ClientAPI) -> None:
        """Copy each catalog chunk's vector (embedding, metadata, text) into the staging collection."""
        with open_chroma(self.data_dir) as embedded:
            source = embedded.get_collection(EMBEDDED_COLLECTION)
            staging = client.create_collection(self.staging, metadata=source.metadata, embedding_function=None)
            total = len(self.chunk_ids)
            for offset in range(0, total, self.batch):
                ids = self.chunk_ids[offset : offset + self.batch]
                got = source.get(ids=ids, include=["embeddings", "metadatas", "documents"])
                if len(got["ids"]) != len(ids):
                    raise MigrateError(f"{len(ids) - len(got['ids'])} chunks have no vector: run `luoshi check`")
                staging.add(
                    ids=got["ids"], embeddings=got["embeddings"], metadatas=got["metadatas"], documents=got["documents"]
                )
                if self.progress is not None:
                    self.progress(offset + len(ids), total)

    def _copy_catalog(self, before: _Target) -> None:
        """One transaction: the tables (created if missing, emptied if an interrupted migrate left rows)
        and every row of the source, chunks in their order; sequences set past the copied ids."""
        started = datetime.now(UTC).isoformat(timespec="seconds")
        with self.target.write() as db:
            metadata.create_all(db, checkfirst=True)
            for table in reversed(_TABLES):
                db.execute(table.delete())
            with self.source.database.read() as source:
                for table in _TABLES:
                    order = [text("rowid")] if table is CHUNKS else list(table.primary_key.columns)
                    query = select(table).order_by(*order).execution_options(yield_per=self.batch)
                    rows = source.execute(query)
                    for part in rows.partitions():
                        values = [dict(row._mapping) for row in part]
                        if table is META:
                            values = [row for row in values if row["key"] not in (STORE_ID_META, MIGRATING_META)]
                        if values:
                            db.execute(table.insert(), values)
            db.execute(META.insert(), [{"key": STORE_ID_META, "value": self.store_id}])
            marker = json.dumps({"data_dir": str(self.data_dir.resolve()), "started": started})
            db.execute(META.insert(), [{"key": MIGRATING_META, "value": marker}])
            if self.target.is_postgres:
                _advance_sequences(db)

    def _publish_lexical(self) -> None:
        """Bring the target's lexical index (in the data directory) to the copied catalog."""
        catalog = Catalog(self.database_url)
        try:
            with locks.held(self.data_dir / locks.OPEN_LOCK):  # a backend may create its files
                backend = lexical_backend(self.lexical, self.data_dir, catalog)
            try:
                if backend.name == "tantivy" or backend.lags():  # tantivy compares document versions
                    backend.publish()
            finally:
                backend.close()
        finally:
            catalog.close()

    # ------------------------------------------------------------------ after
    def _verify(self, client: chromadb.ClientAPI) -> None:
        """Every table's row count, the chunk ids, the vector ids and a sample of embeddings match."""
        with self.source.database.read() as source, self.target.read() as target:
            for table in _TABLES:
                expected = source.execute(select(func.count()).select_from(table)).scalar()
                held = target.execute(select(func.count()).select_from(table)).scalar()
                if table is META:  # the store id added if the source had none, and the migrate's own row
                    expected = len({*source.execute(select(META.c.key)).scalars(), STORE_ID_META, MIGRATING_META})
                if held != expected:
                    raise MigrateError(f"the target's {table.name} holds {held} rows, the source's {expected}")
            copied = [row[0] for row in target.execute(text("SELECT chunk_id FROM chunks ORDER BY rowid"))]
        if copied != self.chunk_ids:
            raise MigrateError("the target's chunks are not the source's, in the source's order")
        collection = client.get_collection(self.collection)
        if set(collection.get(include=[])["ids"]) != set(self.chunk_ids):
            raise MigrateError(f"the vectors in {self.collection} are not the catalog's chunks")
        sample = self.chunk_ids[:: max(1, len(self.chunk_ids) // _CHECKED_EMBEDDINGS)]
        if sample:
            with open_chroma(self.data_dir) as embedded:
                mine = embedded.get_collection(EMBEDDED_COLLECTION).get(ids=sample, include=["embeddings"])
            theirs = collection.get(ids=sample, include=["embeddings"])
            expected = dict(zip(mine["ids"], mine["embeddings"], strict=True))
            copied = dict(zip(theirs["ids"], theirs["embeddings"], strict=True))
            if copied.keys() != expected.keys() or not all(_same_embedding(copied[i], expected[i]) for i in expected):
                raise MigrateError(f"embeddings in {self.collection} differ from the embedded store's")

    def _undo(self, client: chromadb.ClientAPI, before: _Target, error: BaseException) -> None:
        """Take back what this migrate wrote: its collections, its catalog rows (the meta rows that were
        there come back; tables it created go). A failure here is added to ``error``'s notes."""
        for name in (self.staging, self.collection):
            try:
                with suppress(chromadb.errors.NotFoundError, ValueError):
                    client.delete_collection(name)
            except Exception as undo_error:  # the server went away: the next migrate clears it
                error.add_note(f"collection {name} could not be deleted ({undo_error}); the next migrate clears it")
        try:
            with self.target.write() as db:
                if not before.had_tables:
                    metadata.drop_all(db, checkfirst=True)
                    return
                for table in reversed(_TABLES):
                    db.execute(table.delete())
                if before.meta:
                    db.execute(META.insert(), before.meta)
        except Exception as undo_error:
            error.add_note(f"the target catalog could not be emptied ({undo_error}); the next migrate clears it")


def _same_embedding(first: Sequence[float], second: Sequence[float]) -> bool:
    """Whether two embeddings are one, up to Chroma's float32 round trip.

    >>> _same_embedding([0.1, 0.2], [0.1000001, 0.2]), _same_embedding([0.1, 0.2], [0.2, 0.1])
    (True, False)
    """
    return len(first) == len(second) and all(abs(a - b) <= _SAME_EMBEDDING for a, b in zip(first, second, strict=True))


def _count(client: chromadb.ClientAPI, name: str) -> int:
    """How many vectors the collection ``name`` holds (0 when there is none)."""
    try:
        return client.get_collection(name).count()
    except (chromadb.errors.NotFoundError, ValueError):
        return 0


def _advance_sequences(db: Connection) -> None:
    """Set PostgreSQL's sequences past the copied ids (rows were inserted with their ids, which does not
    move a sequence): the next directive, party, slogan or byline gets a new id."""
    for table in _TABLES:
        column = table.autoincrement_column
        if column is None:
            continue
        db.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
            )
        )

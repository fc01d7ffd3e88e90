"""The catalog: documents and chunks, the store's source of truth, in a SQLite file of the data
directory or in PostgreSQL (``LUOSHI_DATABASE_URL``; see database.py, and schema.py for the tables).

A document is committed by one catalog transaction; the Chroma vectors and the BM25 index are
derived from the catalog and repaired from it after a crash (see ``store.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Row, bindparam, text

from vectorstore.database import Database, is_postgres
from vectorstore.schema import CHUNKS, DOCUMENTS, MARKINGS, migrate

CATALOG_FILE = "catalog.sqlite3"  # the catalog's file in a data directory (without LUOSHI_DATABASE_URL)
SECTION_SEPARATOR = " › "

_DOC_COLUMNS = (
    "doc_id, source_key, title, source, content_hash, speaker, date, meeting, ingested_at, section_count, chunk_count"
)
# A document as listed, with its mark (vectorstore/markings.py); WHERE and ORDER BY name the columns ``d.…``.
_SELECT_DOCUMENTS = (
    "SELECT "
    + ", ".join(f"d.{column.strip()}" for column in _DOC_COLUMNS.split(","))
    + ", m.marking, COALESCE(m.classified, 0) FROM documents d LEFT JOIN markings m ON m.doc_id = d.doc_id"
)
_CHUNK_COLUMNS = 'chunk_id, doc_id, idx, section, start, "end", norm_start, norm_end, text, index_text'
_BATCH = 500  # ids per IN (...) list
# What the reads of one block (one question) see: (id of the catalog, its generation, its chunk count).
_SEEN: ContextVar[tuple[int, int, int] | None] = ContextVar("luoshi_seen_generation", default=None)


def catalog_location(data_dir: Path, database_url: str | None = None) -> Path | str:
    """Where a data directory's catalog lives: the PostgreSQL database if one is configured, else its file.

    >>> catalog_location(Path("data"))
    PosixPath('data/catalog.sqlite3')
    >>> catalog_location(Path("data"), "postgresql://db/luoshi")
    'postgresql://db/luoshi'
    """
    return database_url if database_url else Path(data_dir) / CATALOG_FILE


def catalog_exists(location: Path | str) -> bool:
    """Whether a catalog may be there to read without creating one (a database server always may)."""
    return is_postgres(location) or Path(location).is_file()


@dataclass(frozen=True)
class DocumentRecord:
    """A document as listed: no text."""

    doc_id: str
    source_key: str
    title: str
    source: str
    content_hash: str
    speaker: str | None
    date: str | None
    meeting: str | None
    ingested_at: str
    section_count: int
    chunk_count: int
    marking: str | None = None  # 「内部资料 注意保存」「机密★1年」: the mark in its head
    classified: bool = False  # a 密级: the bot does not serve a store that holds one


@dataclass(frozen=True)
class ChunkRecord:
    """A stored chunk; ``section`` is the heading path."""

    chunk_id: str
    doc_id: str
    index: int
    section: tuple[str, ...]
    start: int
    end: int
    norm_start: int
    norm_end: int
    text: str
    index_text: str


def format_section(path: tuple[str, ...]) -> str:
    """A section path as users read it: ``四、狠抓落实… › （二）要提高效率抓落实``."""
    return SECTION_SEPARATOR.join(path)


@dataclass(frozen=True)
class NewDocument:
    """Everything the catalog stores for one document version."""

    record: DocumentRecord
    original: str
    normalized: str
    offsets_json: str
    chunks: Sequence[ChunkRecord]


class Catalog:
    """The catalog's tables, read and written through one database (database.py). Each read takes a
    pooled connection of its own, so readers only ever see committed documents while a writer is inside
    its transaction. Writes go through ``transaction``.

    >>> catalog = Catalog("sqlite://")
    >>> with catalog.transaction() as db:
    ...     catalog.delete_document(db, "nothing")
    >>> catalog.generation, catalog.count_chunks()
    (1, 0)
    >>> catalog.close()
    """

    def __init__(self, location: Path | str) -> None:
        self.location = location
        self._counted = (-1, 0)  # (generation, its chunk count), for one_generation
        self.database = Database.open(location)
        try:
            migrate(self.database)  # one process creates or upgrades the tables; the others find them done
        except BaseException:
            self.database.close()
            raise

    @property
    def is_postgres(self) -> bool:
        return self.database.is_postgres

    def rows(
        self, sql: str, parameters: Mapping[str, object] | None = None, *, expanding: Sequence[str] = ()
    ) -> list[Row]:
        """The rows of one query (``:name`` parameters; those named in ``expanding`` are lists for ``IN :name``)."""
        statement = text(sql)
        if expanding:
            statement = statement.bindparams(*(bindparam(name, expanding=True) for name in expanding))
        with self.database.read() as db:
            return list(db.execute(statement, dict(parameters or {})))

    def close(self) -> None:
        self.database.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """All-or-nothing writes, one writer at a time; the generation counter moves with every commit."""
        with self.database.write() as db:
            yield db
            db.execute(
                text(
                    "INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT (key) "
                    "DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)"
                )
            )

    # meta
    def get_meta(self, key: str) -> str | None:
        rows = self.rows("SELECT value FROM meta WHERE key = :key", {"key": key})
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute(
                text(
                    "INSERT INTO meta (key, value) VALUES (:key, :value) ON CONFLICT (key) DO UPDATE SET value = :value"
                ),
                {"key": key, "value": value},
            )

    @property
    def generation(self) -> int:
        """The generation now: it moves with every commit. Writers read this one."""
        return int(self.get_meta("generation") or 0)

    @contextmanager
    def one_generation(self) -> Iterator[None]:
        """Read the generation and the chunk count once for the block (one question, in this thread or
        task): the caches it reads through compare ``seen_generation`` instead of reading the catalog
        again each time, which an answer otherwise does 20–40 times (12–35 % of its time at 100k chunks,
        docs/benchmarks.md). A commit that lands meanwhile is seen by the next block.

        >>> catalog = Catalog("sqlite://")
        >>> with catalog.one_generation():
        ...     catalog.set_meta("k", "v")  # a commit: the generation moves
        ...     catalog.seen_generation, catalog.generation
        (0, 1)
        >>> catalog.seen_generation
        1
        >>> catalog.close()
        """
        if self._seen() is not None:  # an outer block already read it
            yield
            return
        generation, counted = self.generation, self._counted
        if counted[0] != generation:  # counting takes 46 ms at 100k chunks on PostgreSQL: once per generation
            counted = self._counted = (generation, self.count_chunks())
        token = _SEEN.set((id(self), generation, counted[1]))
        try:
            yield
        finally:
            _SEEN.reset(token)

    def _seen(self) -> tuple[int, int, int] | None:
        seen = _SEEN.get()
        return seen if seen is not None and seen[0] == id(self) else None

    @property
    def seen_generation(self) -> int:
        """The generation the current ``one_generation`` block sees; outside one, the generation now."""
        seen = self._seen()
        return seen[1] if seen is not None else self.generation

    def seen_chunk_count(self) -> int:
        """The chunk count the current ``one_generation`` block sees; outside one, the count now."""
        seen = self._seen()
        return seen[2] if seen is not None else self.count_chunks()

    # documents
    def documents(self) -> list[DocumentRecord]:
        """Every document, newest first (document date, then ingest time)."""
        rows = self.rows(f"{_SELECT_DOCUMENTS} ORDER BY COALESCE(d.date, '') DESC, d.ingested_at DESC")
        return [_document_from_row(row) for row in rows]

    def document(self, doc_id: str) -> DocumentRecord | None:
        return self._one_document("doc_id", doc_id)

    def document_by_source(self, source_key: str) -> DocumentRecord | None:
        return self._one_document("source_key", source_key)

    def document_by_hash(self, content_hash: str) -> DocumentRecord | None:
        return self._one_document("content_hash", content_hash)

    def _one_document(self, column: str, value: str) -> DocumentRecord | None:
        rows = self.rows(f"{_SELECT_DOCUMENTS} WHERE d.{column} = :value LIMIT 1", {"value": value})
        return _document_from_row(rows[0]) if rows else None

    def classified_documents(self) -> list[DocumentRecord]:
        """The documents marked with a 密级 (in the store only if the operator let them in)."""
        rows = self.rows(f"{_SELECT_DOCUMENTS} WHERE m.classified = 1 ORDER BY d.ingested_at")
        return [_document_from_row(row) for row in rows]

    def document_texts(self, doc_id: str) -> tuple[str, str, str] | None:
        """(original, normalized, offsets JSON) of a document."""
        rows = self.rows("SELECT original, normalized, offsets FROM documents WHERE doc_id = :id", {"id": doc_id})
        return (rows[0][0], rows[0][1], rows[0][2]) if rows else None

    def insert_document(self, db: Connection, document: NewDocument) -> None:
        """Insert a document and its chunks inside an open transaction."""
        r = document.record
        db.execute(
            DOCUMENTS.insert(),
            {
                "doc_id": r.doc_id, "source_key": r.source_key, "title": r.title, "source": r.source,
                "content_hash": r.content_hash, "speaker": r.speaker, "date": r.date, "meeting": r.meeting,
                "ingested_at": r.ingested_at, "original": document.original, "normalized": document.normalized,
                "offsets": document.offsets_json, "section_count": r.section_count, "chunk_count": r.chunk_count,
            },
        )  # fmt: skip
        if r.marking is not None:
            db.execute(MARKINGS.insert(), {"doc_id": r.doc_id, "marking": r.marking, "classified": int(r.classified)})
        if document.chunks:
            db.execute(
                CHUNKS.insert(),
                [
                    {
                        "chunk_id": c.chunk_id, "doc_id": c.doc_id, "idx": c.index,
                        "section": json.dumps(c.section, ensure_ascii=False), "start": c.start, "end": c.end,
                        "norm_start": c.norm_start, "norm_end": c.norm_end, "text": c.text, "index_text": c.index_text,
                    }
                    for c in document.chunks
                ],
            )  # fmt: skip

    @staticmethod
    def delete_document(db: Connection, doc_id: str) -> None:
        """Delete a document and its chunks inside an open transaction."""
        db.execute(text("DELETE FROM chunks WHERE doc_id = :id"), {"id": doc_id})
        db.execute(text("DELETE FROM documents WHERE doc_id = :id"), {"id": doc_id})

    # chunks
    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        if doc_id is None:
            return [row[0] for row in self.rows("SELECT chunk_id FROM chunks ORDER BY rowid")]
        return [
            row[0] for row in self.rows("SELECT chunk_id FROM chunks WHERE doc_id = :id ORDER BY idx", {"id": doc_id})
        ]

    def chunks(self, chunk_ids: Iterable[str]) -> dict[str, ChunkRecord]:
        """Chunks by id (in id order: a document's in text order); ids not in the catalog are left out."""
        ids = list(chunk_ids)
        found: dict[str, ChunkRecord] = {}
        for offset in range(0, len(ids), _BATCH):
            batch = ids[offset : offset + _BATCH]
            sql = f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE chunk_id IN :ids ORDER BY chunk_id"
            for row in self.rows(sql, {"ids": batch}, expanding=("ids",)):
                found[row[0]] = _chunk_from_row(row)
        return found

    def all_index_texts(self) -> tuple[list[str], list[str]]:
        """(chunk ids, index texts) of every chunk, in a stable order (insertion)."""
        rows = self.rows("SELECT chunk_id, index_text FROM chunks ORDER BY rowid")
        return [row[0] for row in rows], [row[1] for row in rows]

    def count_chunks(self) -> int:
        return self.rows("SELECT COUNT(*) FROM chunks")[0][0]


def _document_from_row(row: tuple) -> DocumentRecord:
    *fields, classified = row
    return DocumentRecord(*fields, classified=bool(classified))


def _chunk_from_row(row: tuple) -> ChunkRecord:
    chunk_id, doc_id, index, section, start, end, norm_start, norm_end, text, index_text = row
    return ChunkRecord(
        chunk_id,
        doc_id,
        index,
        tuple(json.loads(section)),
        start,
        end,
        norm_start,
        norm_end,
        text,
        index_text,
    )

"""The catalog: documents and chunks in SQLite, the store's source of truth.

A document is committed by one SQLite transaction; the Chroma vectors and the BM25 index are
derived from the catalog and repaired from it after a crash (see ``store.py``).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from vectorstore.markings import MARKINGS_SCHEMA, mark_stored_documents

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    source_key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    speaker TEXT,
    date TEXT,
    meeting TEXT,
    ingested_at TEXT NOT NULL,
    original TEXT NOT NULL,
    normalized TEXT NOT NULL,
    offsets TEXT NOT NULL,
    section_count INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_hash ON documents (content_hash);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    section TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    norm_start INTEGER NOT NULL,
    norm_end INTEGER NOT NULL,
    text TEXT NOT NULL,
    index_text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc_id, idx);
-- The ledger (vectorstore/ledger.py): directives and slogans, removed with their document.
CREATE TABLE IF NOT EXISTS directives (
    directive_id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    chunk_id TEXT,
    section TEXT NOT NULL,
    task TEXT NOT NULL,
    quote TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    norm_start INTEGER NOT NULL,
    norm_end INTEGER NOT NULL,
    lead TEXT NOT NULL,
    responsible TEXT NOT NULL,
    cooperating TEXT NOT NULL,
    deadline TEXT,
    origin TEXT NOT NULL,
    scope TEXT
);
CREATE INDEX IF NOT EXISTS directives_doc ON directives (doc_id, seq);
CREATE INDEX IF NOT EXISTS directives_chunk ON directives (chunk_id);
CREATE TABLE IF NOT EXISTS directive_parties (
    party_id INTEGER PRIMARY KEY,
    directive_id INTEGER NOT NULL REFERENCES directives (directive_id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    explicit INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    norm_start INTEGER NOT NULL,
    norm_end INTEGER NOT NULL,
    title TEXT
);
CREATE INDEX IF NOT EXISTS directive_parties_directive ON directive_parties (directive_id);
CREATE INDEX IF NOT EXISTS directive_parties_name ON directive_parties (name);
CREATE TABLE IF NOT EXISTS slogans (
    slogan_id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    term TEXT NOT NULL,
    kind TEXT NOT NULL,
    definition TEXT,
    chunk_id TEXT,
    section TEXT NOT NULL,
    quote TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    norm_start INTEGER NOT NULL,
    norm_end INTEGER NOT NULL,
    term_start INTEGER NOT NULL,
    term_end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS slogans_doc ON slogans (doc_id, seq);
CREATE INDEX IF NOT EXISTS slogans_term ON slogans (term);
-- Who gave a document, at which meeting, on which date (vectorstore/bylines.py).
CREATE TABLE IF NOT EXISTS bylines (
    byline_id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    post TEXT NOT NULL,
    quote TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS bylines_doc ON bylines (doc_id, seq);
"""
SCHEMA += MARKINGS_SCHEMA

# Columns added to tables after stores were made: (table, column, type), added to older stores on opening
# (their rows are then extracted again, see ingest/maintenance.py).
_ADDED_COLUMNS = (("directives", "scope", "TEXT"), ("directive_parties", "title", "TEXT"))

CATALOG_FILE = "catalog.sqlite3"  # the catalog's file in a data directory
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
    """SQLite access with one connection per thread, so that readers only ever see committed
    documents while a writer thread is inside its transaction. Writes go through ``transaction``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._db.executescript(SCHEMA)
        for table, column, kind in _ADDED_COLUMNS:
            if column not in {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
        mark_stored_documents(self._db)

    @property
    def _db(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA foreign_keys=ON")
            connection.execute("PRAGMA synchronous=FULL")
            self._local.connection = connection
            with self._lock:
                self._connections.append(connection)
        return connection

    def close(self) -> None:
        with self._lock:
            for connection in self._connections:
                connection.close()
            self._connections.clear()
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing writes; the generation counter moves with every commit."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT (key) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    # meta
    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = ?",
                (key, value, value),
            )

    @property
    def generation(self) -> int:
        return int(self.get_meta("generation") or 0)

    # documents
    def documents(self) -> list[DocumentRecord]:
        """Every document, newest first (document date, then ingest time)."""
        rows = self._db.execute(f"{_SELECT_DOCUMENTS} ORDER BY COALESCE(d.date, '') DESC, d.ingested_at DESC")
        return [_document_from_row(row) for row in rows]

    def document(self, doc_id: str) -> DocumentRecord | None:
        row = self._db.execute(f"{_SELECT_DOCUMENTS} WHERE d.doc_id = ?", (doc_id,)).fetchone()
        return _document_from_row(row) if row else None

    def document_by_source(self, source_key: str) -> DocumentRecord | None:
        row = self._db.execute(f"{_SELECT_DOCUMENTS} WHERE d.source_key = ?", (source_key,)).fetchone()
        return _document_from_row(row) if row else None

    def document_by_hash(self, content_hash: str) -> DocumentRecord | None:
        row = self._db.execute(f"{_SELECT_DOCUMENTS} WHERE d.content_hash = ?", (content_hash,)).fetchone()
        return _document_from_row(row) if row else None

    def classified_documents(self) -> list[DocumentRecord]:
        """The documents marked with a 密级 (in the store only if the operator let them in)."""
        rows = self._db.execute(f"{_SELECT_DOCUMENTS} WHERE m.classified = 1 ORDER BY d.ingested_at")
        return [_document_from_row(row) for row in rows]

    def document_texts(self, doc_id: str) -> tuple[str, str, str] | None:
        """(original, normalized, offsets JSON) of a document."""
        row = self._db.execute(
            "SELECT original, normalized, offsets FROM documents WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return tuple(row) if row else None

    def insert_document(self, db: sqlite3.Connection, document: NewDocument) -> None:
        """Insert a document and its chunks inside an open transaction."""
        r = document.record
        db.execute(
            "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                r.doc_id, r.source_key, r.title, r.source, r.content_hash, r.speaker, r.date, r.meeting,
                r.ingested_at, document.original, document.normalized, document.offsets_json,
                r.section_count, r.chunk_count,
            ),
        )  # fmt: skip
        if r.marking is not None:
            db.execute("INSERT INTO markings VALUES (?, ?, ?)", (r.doc_id, r.marking, int(r.classified)))
        db.executemany(
            "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    c.chunk_id, c.doc_id, c.index, json.dumps(c.section, ensure_ascii=False), c.start, c.end,
                    c.norm_start, c.norm_end, c.text, c.index_text,
                )
                for c in document.chunks
            ),
        )  # fmt: skip

    @staticmethod
    def delete_document(db: sqlite3.Connection, doc_id: str) -> None:
        """Delete a document and its chunks inside an open transaction."""
        db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    # chunks
    def chunk_ids(self, doc_id: str | None = None) -> list[str]:
        if doc_id is None:
            return [row[0] for row in self._db.execute("SELECT chunk_id FROM chunks ORDER BY rowid")]
        return [row[0] for row in self._db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))]

    def chunks(self, chunk_ids: Iterable[str]) -> dict[str, ChunkRecord]:
        """Chunks by id; ids not in the catalog are left out."""
        ids = list(chunk_ids)
        found: dict[str, ChunkRecord] = {}
        for offset in range(0, len(ids), 500):
            batch = ids[offset : offset + 500]
            marks = ",".join("?" * len(batch))
            for row in self._db.execute(f"SELECT * FROM chunks WHERE chunk_id IN ({marks})", batch):
                found[row[0]] = _chunk_from_row(row)
        return found

    def all_index_texts(self) -> tuple[list[str], list[str]]:
        """(chunk ids, index texts) of every chunk, in a stable order."""
        rows = self._db.execute("SELECT chunk_id, index_text FROM chunks ORDER BY rowid").fetchall()
        return [row[0] for row in rows], [row[1] for row in rows]

    def count_chunks(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]


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

"""Keeping the stored records current: a document's records written as it commits, and every
document extracted again when the extraction changed (「luoshi extract」, or when the bot starts).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

from ingest.extraction import Extraction, extract_texts
from ingest.normalize import OffsetMap
from vectorstore.ledger import write_records
from vectorstore.store import Store

# Bump when extraction changes: stored documents are then extracted again (``refresh_ledger``).
EXTRACTION_VERSION = "3"
VERSION_KEY = "ledger_version"


def writer(doc_id: str, extraction: Extraction) -> Callable[[object], None]:
    """``extra_writes`` for :meth:`Store.commit_document`: the ledger rows of ``doc_id``."""

    def write(db: object) -> None:
        assert isinstance(db, sqlite3.Connection)
        write_records(db, doc_id, extraction.directives, extraction.slogans)
        # A store whose first document this is holds only current records: say so, so that
        # refresh_ledger has nothing to redo. Older stores keep their version until refreshed.
        db.execute(
            "INSERT OR IGNORE INTO meta (key, value) SELECT ?, ? WHERE (SELECT COUNT(*) FROM documents) = 1",
            (VERSION_KEY, EXTRACTION_VERSION),
        )

    return write


def refresh_ledger(store: Store, *, force: bool = False) -> int:
    """Extract every stored document again when the extraction changed since it was stored (or
    the store predates the ledger), in one transaction. Returns how many documents were done."""
    if not force and store.catalog.get_meta(VERSION_KEY) == EXTRACTION_VERSION:
        return 0
    with store.write_lock():
        if not force and store.catalog.get_meta(VERSION_KEY) == EXTRACTION_VERSION:
            return 0
        documents = store.catalog.documents()
        extractions = {}
        for record in documents:
            texts = store.catalog.document_texts(record.doc_id)
            if texts is None:
                continue
            original, normalized, offsets_json = texts
            chunks = list(store.catalog.chunks(store.catalog.chunk_ids(record.doc_id)).values())
            offsets = OffsetMap.from_json(json.loads(offsets_json))
            extractions[record.doc_id] = extract_texts(original, normalized, offsets, chunks)
        with store.catalog.transaction() as db:
            for doc_id, extraction in extractions.items():
                write_records(db, doc_id, extraction.directives, extraction.slogans)
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = ?",
                (VERSION_KEY, EXTRACTION_VERSION, EXTRACTION_VERSION),
            )
        store.lexical.save(store.data_dir / "bm25")  # same chunks, new generation: publish it as is
    return len(extractions)

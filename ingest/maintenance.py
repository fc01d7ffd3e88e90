"""Keeping the stored records current: a document's records written as it commits, every
document extracted again when the extraction changed (「luoshi extract」, or when the bot starts),
and a store repaired from its catalog (「luoshi check --repair」).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import Connection, text

from ingest.extraction import Extraction, extract_texts
from ingest.normalize import OffsetMap
from vectorstore.bylines import write_bylines
from vectorstore.health import Health
from vectorstore.ledger import write_records
from vectorstore.store import Store

# Bump when extraction changes: stored documents are then extracted again (``refresh_ledger``).
EXTRACTION_VERSION = "3"
VERSION_KEY = "ledger_version"


def writer(doc_id: str, extraction: Extraction) -> Callable[[object], None]:
    """``extra_writes`` for :meth:`Store.commit_document`: the ledger rows of ``doc_id``."""

    def write(db: object) -> None:
        assert isinstance(db, Connection)
        write_records(db, doc_id, extraction.directives, extraction.slogans)
        write_bylines(db, doc_id, extraction.bylines)
        # A store whose first document this is holds only current records: say so, so that
        # refresh_ledger has nothing to redo. Older stores keep their version until refreshed.
        db.execute(
            text(
                "INSERT INTO meta (key, value) SELECT :key, :value WHERE (SELECT COUNT(*) FROM documents) = 1 "
                "ON CONFLICT (key) DO NOTHING"
            ),
            {"key": VERSION_KEY, "value": EXTRACTION_VERSION},
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
                write_bylines(db, doc_id, extraction.bylines)
            db.execute(
                text(
                    "INSERT INTO meta (key, value) VALUES (:key, :value) ON CONFLICT (key) DO UPDATE SET value = :value"
                ),
                {"key": VERSION_KEY, "value": EXTRACTION_VERSION},
            )
        store.publish_lexical()  # same chunks, new generation
    return len(extractions)


def repair_store(store: Store, health: Health) -> list[str]:
    """Repair what ``health`` (``vectorstore.health.inspect`` of ``store``) found, from the catalog:
    vectors embedded again from the catalog's text, orphan vectors deleted, the ledger extracted
    again, BM25 rebuilt and published. Returns what was done, in English for operators.

    A damaged catalog is not touched: there is nothing sound to repair from.
    """
    kinds = {problem.kind for problem in health.problems}
    if "catalog_damaged" in kinds:
        return ["the catalog itself is damaged: nothing was repaired (restore a backup)"]
    done = []
    written, deleted = store.sync_vectors(health.rewrite, rebuild=health.vector_index_broken)
    if health.vector_index_broken:
        done.append(f"rebuilt Chroma's collection: {written} vectors embedded from the catalog's text")
    elif written or deleted:
        done.append(f"embedded {written} vectors from the catalog's text, deleted {deleted} orphan vectors")
    if "ledger_chunks" in kinds:
        count = refresh_ledger(store, force=True)
        done.append(f"extracted the ledger of {count} documents again")
    with store.write_lock():
        store.lexical_index.rebuild()
    done.append(f"rebuilt and published BM25 ({store.lexical_index.name}, generation {store.catalog.generation})")
    return done

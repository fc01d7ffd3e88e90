"""``luoshi check`` reads every vector's metadata from Chroma. Chroma reads a whole ``get`` with one
SQLite statement, which fails beyond SQLite's 32,766 variables: a store of about 33k chunks and more
could not be checked (nor migrated, which checks first). The check reads a page at a time."""

from __future__ import annotations

from pathlib import Path

import chromadb

from vectorstore.health import _every_metadata

STORED = 33_000  # just past SQLite's limit of 32,766 variables per statement


def test_every_vector_metadata_is_read_from_a_collection_past_sqlites_variable_limit(tmp_path: Path) -> None:
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"))
    collection = client.create_collection("many", embedding_function=None)
    ids = [f"c{number:06d}" for number in range(STORED)]
    for start in range(0, STORED, 5_000):
        part = ids[start : start + 5_000]
        collection.add(
            ids=part,
            embeddings=[[float(number % 7), 1.0] for number in range(len(part))],
            metadatas=[{"doc_id": f"d{start // 5_000}"} for _ in part],
        )
    metadata = _every_metadata(collection)
    assert sorted(metadata) == ids
    assert metadata["c032999"] == {"doc_id": "d6"}

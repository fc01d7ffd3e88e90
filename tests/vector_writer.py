"""Ingest one file in a process of its own, with a hashing embedding (run as a script by tests).

``python -m tests.vector_writer DATA_DIR FILE [CHROMA_URL]`` opens the store with ``HASHING_MODEL``
(langchain's deterministic fake embedding: cheap, so a test can write thousands of vectors) and
ingests FILE; it prints the ingest status.
"""

from __future__ import annotations

import sys
from pathlib import Path

from langchain_core.embeddings import DeterministicFakeEmbedding

from vectorstore.embeddings import EmbeddingModel


def hashing_model() -> EmbeddingModel:
    """A deterministic 384-dimensional embedding of a text's hash (stands in for the model where
    only how vectors are stored and found matters)."""
    return EmbeddingModel("hashing-384", 384, DeterministicFakeEmbedding(size=384))  # type: ignore[arg-type]


if __name__ == "__main__":
    from ingest.pipeline import ingest_file
    from vectorstore.store import Store

    data_dir, path = Path(sys.argv[1]), Path(sys.argv[2])
    store = Store(data_dir, hashing_model(), sys.argv[3] if len(sys.argv) > 3 else None)
    try:
        print(ingest_file(store, path, max_bytes=10**8).status)
    finally:
        store.close()

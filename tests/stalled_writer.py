"""Ingest one file and stop dead between a write's vectors and its commit (run as a script by tests).

``python -m tests.stalled_writer DATA_DIR FILE CHROMA_URL DATABASE_URL`` opens the store with the hashing
embedding of ``tests.vector_writer`` and ingests FILE; once the new chunks' vectors are on the Chroma
server (step 1 of the commit protocol, store.py) it prints ``vectors written`` and waits to be killed,
never reaching the catalog transaction: the state a worker killed at that moment leaves behind.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

WRITTEN = "vectors written"

if __name__ == "__main__":
    from ingest.pipeline import ingest_file
    from tests.vector_writer import hashing_model
    from vectorstore.store import Store

    data_dir, path, chroma_url, database_url = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    store = Store(data_dir, hashing_model(), chroma_url, database_url=database_url)
    add_vectors = store._add_vectors

    def add_then_stall(chunks: object) -> None:
        add_vectors(chunks)  # type: ignore[arg-type]
        print(WRITTEN, flush=True)
        while True:
            time.sleep(60)  # until the test's kill -9

    store._add_vectors = add_then_stall  # type: ignore[method-assign]
    ingest_file(store, path, max_bytes=10**8)

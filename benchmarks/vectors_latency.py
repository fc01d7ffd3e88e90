"""Dense query latency with the vectors embedded in the data directory or on a Chroma server, and what
it costs an embedded store to reopen Chroma after another process committed.

Run: ``python benchmarks/vectors_latency.py [--sizes 1000 10000 50000] [--queries 200]``. Prints a
Markdown table. The vectors are langchain's deterministic hashing embedding of 384 dimensions (the
packaged model's size), not the model: only Chroma's part of a query is measured (the model adds
the same time to both backends: embedding one question). The server is a ``chroma run`` on
127.0.0.1 started for the run, on a temporary folder.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.servers_chroma import start_chroma, stop_chroma  # noqa: E402
from tests.vector_writer import hashing_model  # noqa: E402
from vectorstore.vectors import CHROMA_DIR, Vectors, new_store_id  # noqa: E402

_K = 8
_PER_COMMIT = 50  # vectors per write: a document's chunks


def _texts(count: int) -> list[str]:
    return [f"第{number}项重点工作由县第{number % 97}局牵头，{number % 12 + 1}月底前完成。" for number in range(count)]


def _quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _pending(folder: Path) -> int:
    """Vectors in Chroma's log that its saved index lacks: a reopened client inserts them again
    (Chroma saves the index every ``hnsw:sync_threshold`` = 1000 vectors)."""
    with sqlite3.connect(folder / CHROMA_DIR / "chroma.sqlite3") as db:
        return db.execute("SELECT COUNT(*) FROM embeddings_queue").fetchone()[0]


def measure(folder: Path, url: str | None, size: int, queries: int) -> dict[str, float]:
    """Fill a store's vectors with ``size`` texts, then time ``queries`` searches (ms)."""
    vectors = Vectors(folder, hashing_model(), new_store_id(), url, generation=0)
    try:
        texts = _texts(size)
        started = time.perf_counter()
        for first in range(0, size, _PER_COMMIT):
            span = range(first, min(size, first + _PER_COMMIT))
            vectors.add(
                [texts[n] for n in span], [{"doc_id": "bench", "index": n} for n in span], [f"c{n}" for n in span]
            )
        written = time.perf_counter() - started
        vectors.search(texts[0], _K)  # warm
        timings = []
        for number in range(queries):
            started = time.perf_counter()
            vectors.search(texts[(number * 7919) % size], _K)
            timings.append((time.perf_counter() - started) * 1000)
        row = {
            "write_s": written,
            "p50": statistics.median(timings),
            "p95": _quantile(timings, 0.95),
            "p99": _quantile(timings, 0.99),
        }
        if url is None:  # what a commit by another process costs this one: reopen, then the first search
            row["pending"] = _pending(folder)
            started = time.perf_counter()
            vectors.refresh(1)
            vectors.search(texts[1], _K)
            row["reopen_ms"] = (time.perf_counter() - started) * 1000
        return row
    finally:
        vectors.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10500, 50500])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        server, url = start_chroma(Path(root) / "server", Path(root) / "chroma.log")
        try:
            print(
                f"k={_K}, {args.queries} queries, written {_PER_COMMIT} vectors at a time; times in ms (write in s); "
                "hashing embedding, 384 dimensions"
            )
            print("| vectors | backend | write | p50 | p95 | p99 | reopen + first search (vectors replayed) |")
            print("|---:|---|---:|---:|---:|---:|---:|")
            for size in args.sizes:
                for backend, backend_url in (("embedded", None), ("server", url)):
                    folder = Path(root) / f"{backend}-{size}"
                    row = measure(folder, backend_url, size, args.queries)
                    reopen = f"{row['reopen_ms']:.0f} ({row['pending']})" if "reopen_ms" in row else "— (none needed)"
                    print(
                        f"| {size} | {backend} | {row['write_s']:.1f} s | {row['p50']:.1f} | {row['p95']:.1f} "
                        f"| {row['p99']:.1f} | {reopen} |",
                        flush=True,
                    )
        finally:
            stop_chroma(server)


if __name__ == "__main__":
    main()

"""The speed benchmark's ingest: the same synthetic files into Luoshi and the baseline, timed.

Besides wall time it adds up the seconds spent in the embedding model (the floor for both systems)
and, for Luoshi, in rebuilding BM25 after each file.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from benchmarks.common import BaselineRAG, TimedEmbeddings, fresh_dir, load_model
from benchmarks.synthetic import SyntheticDocument
from bot.engine import Engine
from bot.settings import Settings


@dataclass
class IngestTally:
    """Running totals of one system's ingest."""

    files: int = 0
    chunks: int = 0
    chars: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    lexical_seconds: float = 0.0
    last_lexical_seconds: float = 0.0

    def snapshot(self) -> IngestTally:
        return replace(self)

    def summary(self, since: IngestTally | None = None) -> dict[str, Any]:
        """Throughput and shares, cumulative and (with ``since``) for the last stretch only."""
        row: dict[str, Any] = {
            "files": self.files,
            "chunks": self.chunks,
            "chars": self.chars,
            "seconds": round(self.seconds, 2),
            "chunks_per_s": _rate(self.chunks, self.seconds),
            "chars_per_s": _rate(self.chars, self.seconds),
            "embed_seconds": round(self.embed_seconds, 2),
            "embed_share": _ratio(self.embed_seconds, self.seconds),
            "embed_floor_chunks_per_s": _rate(self.chunks, self.embed_seconds),
            "lexical_seconds": round(self.lexical_seconds, 2),
            "lexical_share": _ratio(self.lexical_seconds, self.seconds),
            "lexical_seconds_last_file": round(self.last_lexical_seconds, 3),
        }
        if since is not None:
            seconds = self.seconds - since.seconds
            row["marginal_chunks_per_s"] = _rate(self.chunks - since.chunks, seconds)
            row["marginal_chars_per_s"] = _rate(self.chars - since.chars, seconds)
        return row


class Ingester:
    """Feeds the same files to Luoshi and to the baseline and times both."""

    def __init__(self, workdir: Path, model_name: str) -> None:
        model = load_model(model_name)
        self.luoshi_embeddings = TimedEmbeddings(model.embeddings)
        self.baseline_embeddings = TimedEmbeddings(model.embeddings)
        self.luoshi_dir = fresh_dir(workdir / "luoshi")
        self.baseline_dir = fresh_dir(workdir / "baseline")
        self.corpus_dir = fresh_dir(workdir / "corpus")
        self.engine = Engine.open(Settings(data_dir=self.luoshi_dir), replace(model, embeddings=self.luoshi_embeddings))
        self.baseline = BaselineRAG(self.baseline_dir, self.baseline_embeddings)
        self.luoshi = IngestTally()
        self.base = IngestTally()
        self._time_lexical_rebuilds()

    def _time_lexical_rebuilds(self) -> None:
        """Wrap the store's BM25 rebuild (instrumentation only) to see its share of ingest."""
        store = self.engine.store
        publish: Callable[[], None] | None = getattr(store, "_publish_lexical", None)
        if publish is None:
            return

        def timed() -> None:
            started = time.perf_counter()
            publish()
            elapsed = time.perf_counter() - started
            self.luoshi.lexical_seconds += elapsed
            self.luoshi.last_lexical_seconds = elapsed

        store._publish_lexical = timed  # type: ignore[method-assign]

    def add(self, document: SyntheticDocument) -> None:
        path = self.corpus_dir / f"doc-{document.index:05d}.txt"
        path.write_text(document.text, encoding="utf-8")
        chars = len(document.text)

        embed_before = self.luoshi_embeddings.document_seconds
        started = time.perf_counter()
        report = self.engine.ingest_file(path)
        self.luoshi.seconds += time.perf_counter() - started
        self.luoshi.embed_seconds += self.luoshi_embeddings.document_seconds - embed_before
        self.luoshi.files += 1
        self.luoshi.chunks += report.chunk_count
        self.luoshi.chars += chars

        embed_before = self.baseline_embeddings.document_seconds
        started = time.perf_counter()
        chunks, _ = self.baseline.ingest_file(path)
        self.base.seconds += time.perf_counter() - started
        self.base.embed_seconds += self.baseline_embeddings.document_seconds - embed_before
        self.base.files += 1
        self.base.chunks += chunks
        self.base.chars += chars

    def close(self) -> None:
        self.engine.close()


def _rate(amount: float, seconds: float) -> float:
    return round(amount / seconds, 1) if seconds > 0 else 0.0


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole > 0 else None

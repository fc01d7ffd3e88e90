"""BM25 over jieba tokens (bm25s), saved beside the catalog and rebuilt from it.

Local Chroma has no sparse search, so BM25 lives here. Each build is saved in its own folder
named by the catalog generation and published by atomically replacing a ``CURRENT`` pointer,
so a reader never sees a half-written index and a crash leaves the previous one in place.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import bm25s

from vectorstore.tokenizer import tokenize


@dataclass
class LexicalIndex:
    """A BM25 index with the chunk id of each row and each token's document frequency."""

    generation: int
    chunk_ids: list[str]
    retriever: bm25s.BM25 | None
    document_frequency: dict[str, int]

    @classmethod
    def build(cls, generation: int, chunk_ids: list[str], texts: list[str]) -> LexicalIndex:
        if not chunk_ids:
            return cls(generation, [], None, {})
        corpus_tokens = [tokenize(text) or ["\u2205"] for text in texts]
        retriever = bm25s.BM25()
        retriever.index(corpus_tokens, show_progress=False)
        frequency: dict[str, int] = {}
        for tokens in corpus_tokens:
            for token in set(tokens):
                frequency[token] = frequency.get(token, 0) + 1
        return cls(generation, list(chunk_ids), retriever, frequency)

    def search(self, tokens: list[str], k: int) -> list[tuple[str, float]]:
        """Top ``k`` chunk ids with BM25 scores above zero."""
        if self.retriever is None or not tokens:
            return []
        k = min(k, len(self.chunk_ids))
        rows, scores = self.retriever.retrieve([tokens], k=k, show_progress=False, n_threads=1)
        return [
            (self.chunk_ids[int(row)], float(score)) for row, score in zip(rows[0], scores[0], strict=True) if score > 0
        ]

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency; a token no chunk has gets the highest value."""
        total = len(self.chunk_ids)
        return math.log(1 + (total + 1) / (self.document_frequency.get(token, 0) + 0.5))

    # persistence
    def save(self, folder: Path) -> None:
        """Write this index as ``folder/gen-N`` and point ``folder/CURRENT`` at it."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"gen-{self.generation}"
        staging = folder / f".staging-{self.generation}-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        if self.retriever is not None:
            self.retriever.save(str(staging / "bm25"), show_progress=False)
        meta = {"generation": self.generation, "chunk_ids": self.chunk_ids, "df": self.document_frequency}
        (staging / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        _fsync_tree(staging)
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
        pointer = folder / f".CURRENT-{os.getpid()}"
        pointer.write_text(target.name, encoding="utf-8")
        os.replace(pointer, folder / "CURRENT")
        for stale in folder.iterdir():
            if stale.name.startswith("gen-") and stale != target:
                shutil.rmtree(stale, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex | None:
        """The published index, or None when there is none or it cannot be read."""
        try:
            current = folder / (folder / "CURRENT").read_text(encoding="utf-8").strip()
            meta = json.loads((current / "meta.json").read_text(encoding="utf-8"))
            retriever = None
            if meta["chunk_ids"]:
                retriever = bm25s.BM25.load(str(current / "bm25"), show_progress=False)
        except (OSError, ValueError, KeyError):
            return None
        return cls(int(meta["generation"]), meta["chunk_ids"], retriever, meta["df"])


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())

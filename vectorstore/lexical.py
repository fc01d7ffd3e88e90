"""BM25 over jieba tokens and over character bigrams (bm25s), saved beside the catalog and rebuilt
from it.

Local Chroma has no sparse search, so BM25 lives here. Two rankings, because jieba cuts a question
and a document differently (先入区 is 先入/区 in a question, 境外入区 in the text): bigrams find
what the words miss, words keep the precision bigrams lack. Each build is saved in its own folder
named by the catalog generation and published by atomically replacing a ``CURRENT`` pointer,
so a reader never sees a half-written index and a crash leaves the previous one in place.

bm25s cannot add rows to an index, so every change rebuilds it; jieba is ~95% of a rebuild, so
each build also saves its chunks' tokens and the next one tokenises only the chunks that are new.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import bm25s
import jieba

from ingest.language.tokens import STOPWORDS, bigrams, tokenize

LEXICAL_DIR = "bm25"  # the published bm25s indexes' folder in a data directory
EMPTY_TOKEN = "\u2205"  # the token of a chunk with none: bm25s needs one per row
_TOKENS_FILE = "tokens.json"
# Saved tokens are reused only by the same tokenizer.
TOKENIZER_VERSION = (
    f"jieba {jieba.__version__}; stopwords " + hashlib.sha1(" ".join(sorted(STOPWORDS)).encode()).hexdigest()[:12]
)


class TokenCache:
    """Token lists by chunk-text digest, from the last published index."""

    def __init__(self, known: dict[str, list[str]] | None = None) -> None:
        self._known = known or {}
        self._used: dict[str, list[str]] = {}

    @classmethod
    def load(cls, folder: Path) -> TokenCache:
        """The tokens saved with the published index; empty if none or another tokenizer's."""
        try:
            saved = json.loads((_published(folder) / _TOKENS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(saved, dict) or saved.get("tokenizer") != TOKENIZER_VERSION:
            return cls()
        return cls(saved.get("tokens") or {})

    def tokens(self, texts: list[str]) -> list[list[str]]:
        """Each text's tokens: saved ones where the text is unchanged, jieba's for the rest."""
        result = []
        for text in texts:
            key = hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()
            tokens = self._known.get(key)
            if tokens is None:
                tokens = tokenize(text) or [EMPTY_TOKEN]
            self._used[key] = tokens
            result.append(tokens)
        return result

    def save(self, folder: Path) -> None:
        """Write the tokens of the texts last asked for (removed chunks' tokens are dropped)."""
        payload = {"tokenizer": TOKENIZER_VERSION, "tokens": self._used}
        (folder / _TOKENS_FILE).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")


@dataclass
class LexicalIndex:
    """BM25 indexes over the same rows (words, bigrams) with the chunk id of each row and each
    word's document frequency."""

    generation: int
    chunk_ids: list[str]
    retriever: bm25s.BM25 | None
    document_frequency: dict[str, int]
    bigram_retriever: bm25s.BM25 | None = None

    @classmethod
    def build(
        cls, generation: int, chunk_ids: list[str], texts: list[str], cache: TokenCache | None = None
    ) -> LexicalIndex:
        """Index ``texts``; ``cache`` supplies the tokens of texts already indexed before."""
        if not chunk_ids:
            return cls(generation, [], None, {})
        corpus_tokens = (cache or TokenCache()).tokens(texts)
        frequency: dict[str, int] = {}
        for tokens in corpus_tokens:
            for token in set(tokens):
                frequency[token] = frequency.get(token, 0) + 1
        return cls(
            generation,
            list(chunk_ids),
            _bm25(corpus_tokens),
            frequency,
            _bm25([bigrams(text) or [EMPTY_TOKEN] for text in texts]),
        )

    def search(self, tokens: list[str], k: int) -> list[tuple[str, float]]:
        """Top ``k`` chunk ids by BM25 over words (``tokenize``'s), scores above zero."""
        return self._top(self.retriever, tokens, k)

    def bigram_search(self, grams: list[str], k: int) -> list[tuple[str, float]]:
        """Top ``k`` chunk ids by BM25 over character bigrams (``bigrams``'), scores above zero."""
        return self._top(self.bigram_retriever, grams, k)

    def _top(self, retriever: bm25s.BM25 | None, tokens: list[str], k: int) -> list[tuple[str, float]]:
        if retriever is None or not tokens:
            return []
        k = min(k, len(self.chunk_ids))
        rows, scores = retriever.retrieve([tokens], k=k, show_progress=False, n_threads=1)
        return [
            (self.chunk_ids[int(row)], float(score)) for row, score in zip(rows[0], scores[0], strict=True) if score > 0
        ]

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency; a token no chunk has gets the highest value."""
        return smoothed_idf(self.size, self.frequency(token))

    def frequency(self, token: str) -> int:
        """How many chunks hold ``token`` (a word, as ``tokenize`` gives it)."""
        return self.document_frequency.get(token, 0)

    @property
    def size(self) -> int:
        """How many chunks are indexed."""
        return len(self.chunk_ids)

    # persistence
    def save(self, folder: Path, cache: TokenCache | None = None) -> None:
        """Write this index (and the tokens ``cache`` gave it) as ``folder/gen-N`` and point
        ``folder/CURRENT`` at it."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"gen-{self.generation}"
        staging = folder / f".staging-{self.generation}-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        if self.retriever is not None and self.bigram_retriever is not None:
            self.retriever.save(str(staging / "bm25"), show_progress=False)
            self.bigram_retriever.save(str(staging / "bigrams"), show_progress=False)
        meta = {"generation": self.generation, "chunk_ids": self.chunk_ids, "df": self.document_frequency}
        (staging / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        if cache is not None:
            cache.save(staging)
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
            current = _published(folder)
            meta = json.loads((current / "meta.json").read_text(encoding="utf-8"))
            retriever = bigram_retriever = None
            if meta["chunk_ids"]:  # an index saved before bigrams has none: it is rebuilt
                retriever = bm25s.BM25.load(str(current / "bm25"), show_progress=False)
                bigram_retriever = bm25s.BM25.load(str(current / "bigrams"), show_progress=False)
        except (OSError, ValueError, KeyError):
            return None
        return cls(int(meta["generation"]), meta["chunk_ids"], retriever, meta["df"], bigram_retriever)


def published_generation(folder: Path) -> int | None:
    """The catalog generation of the index published in ``folder``; None if there is none.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> published_generation(folder) is None
    True
    >>> LexicalIndex.build(7, ["a"], ["县发改局牵头"]).save(folder)
    >>> published_generation(folder)
    7
    """
    try:
        current = _published(folder)
        if not (current / "meta.json").is_file():
            return None
        return int(current.name.removeprefix("gen-"))
    except (OSError, ValueError):
        return None


def smoothed_idf(total: int, frequency: int) -> float:
    """The inverse document frequency of a word ``frequency`` of ``total`` chunks hold, smoothed so
    that a word no chunk has gets the highest value.

    >>> round(smoothed_idf(100, 0), 3), round(smoothed_idf(100, 50), 3)
    (5.313, 1.099)
    """
    return math.log(1 + (total + 1) / (frequency + 0.5))


def _bm25(corpus_tokens: list[list[str]]) -> bm25s.BM25:
    retriever = bm25s.BM25()
    retriever.index(corpus_tokens, show_progress=False)
    return retriever


def _published(folder: Path) -> Path:
    """The generation folder ``folder/CURRENT`` points at (OSError if there is none)."""
    return folder / (folder / "CURRENT").read_text(encoding="utf-8").strip()


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())

"""Hybrid retrieval: BM25 (words, character bigrams) and dense rankings fused by their weighted,
normalised scores."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from vectorstore.catalog import format_section
from vectorstore.store import ChunkHit, Store


def relative_score_fusion(rankings: list[tuple[float, list[ChunkHit]]], k: int) -> list[ChunkHit]:
    """Fuse ranked lists by their min-max normalised scores, weighted; the best ``k`` are kept.

    Unlike reciprocal rank fusion with its usual constant 60, this keeps the margin by which BM25's
    first hit beats its tenth, which on a small corpus RRF flattens until a weak dense ranking
    decides the order.
    """
    fused: dict[str, float] = {}
    chunks: dict[str, ChunkHit] = {}
    total_weight = sum(weight for weight, _ in rankings) or 1.0
    for weight, hits in rankings:
        if not hits:
            continue
        scores = [hit.score for hit in hits]
        low, high = min(scores), max(scores)
        spread = (high - low) or 1.0
        for hit in hits:
            chunk_id = hit.chunk.chunk_id
            normalised = (hit.score - low) / spread if high > low else 1.0
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight * normalised / total_weight
            chunks.setdefault(chunk_id, hit)
    best = sorted(fused, key=fused.__getitem__, reverse=True)[:k]
    return [ChunkHit(chunks[chunk_id].chunk, fused[chunk_id]) for chunk_id in best]


class HybridRetriever(BaseRetriever):
    """BM25 over jieba tokens and over character bigrams plus Chroma dense search, fused by weight;
    a weight of 0 turns a ranking off (the ablations in ``benchmarks/``). ``lexical_weight`` scales
    both BM25 rankings; ``bigram_share`` is the bigram ranking's part of it (0.5: words and
    bigrams weigh alike)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Store
    k: int = 8
    candidates: int = 30
    lexical_weight: float = 1.0
    bigram_share: float = 0.5
    dense_weight: float = 1.0

    def search(self, query: str) -> list[ChunkHit]:
        """The fused top ``k`` chunks for ``query``."""
        rankings: list[tuple[float, list[ChunkHit]]] = []
        words, grams = self.lexical_weight * (1 - self.bigram_share), self.lexical_weight * self.bigram_share
        if words > 0:
            rankings.append((words, self.store.lexical_search(query, self.candidates)))
        if grams > 0:
            rankings.append((grams, self.store.bigram_search(query, self.candidates)))
        if self.dense_weight > 0:
            rankings.append((self.dense_weight, self.store.dense_search(query, self.candidates)))
        return relative_score_fusion(rankings, self.k)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [
            Document(
                page_content=hit.chunk.text,
                id=hit.chunk.chunk_id,
                metadata={
                    "doc_id": hit.chunk.doc_id,
                    "section": format_section(hit.chunk.section),
                    "start": hit.chunk.start,
                    "end": hit.chunk.end,
                    "score": hit.score,
                },
            )
            for hit in self.search(query)
        ]

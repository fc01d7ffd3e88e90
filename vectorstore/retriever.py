"""Hybrid retrieval: BM25 and dense rankings fused by weighted reciprocal rank fusion."""

from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from vectorstore.catalog import format_section
from vectorstore.store import ChunkHit, Store

RRF_K = 60


def reciprocal_rank_fusion(rankings: list[tuple[float, list[ChunkHit]]], k: int) -> list[ChunkHit]:
    """Fuse ranked lists: each contributes weight / (RRF_K + rank); the best ``k`` are kept."""
    fused: dict[str, float] = {}
    chunks: dict[str, ChunkHit] = {}
    for weight, hits in rankings:
        for rank, hit in enumerate(hits):
            chunk_id = hit.chunk.chunk_id
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (RRF_K + rank + 1)
            chunks.setdefault(chunk_id, hit)
    best = sorted(fused, key=fused.__getitem__, reverse=True)[:k]
    return [ChunkHit(chunks[chunk_id].chunk, fused[chunk_id]) for chunk_id in best]


class HybridRetriever(BaseRetriever):
    """BM25 over jieba tokens plus Chroma dense search, fused. ``weights`` = (lexical, dense);
    a weight of 0 turns a ranking off (the ablations in ``benchmarks/``)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    store: Store
    k: int = 8
    candidates: int = 30
    lexical_weight: float = 1.0
    dense_weight: float = 1.0

    def search(self, query: str) -> list[ChunkHit]:
        """The fused top ``k`` chunks for ``query``."""
        rankings: list[tuple[float, list[ChunkHit]]] = []
        if self.lexical_weight > 0:
            rankings.append((self.lexical_weight, self.store.lexical_search(query, self.candidates)))
        if self.dense_weight > 0:
            rankings.append((self.dense_weight, self.store.dense_search(query, self.candidates)))
        return reciprocal_rank_fusion(rankings, self.k)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
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

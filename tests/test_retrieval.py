"""Hybrid retrieval through LangChain's retriever interface, on the example speech."""

from __future__ import annotations

import pytest
from langchain_core.documents import Document

from bot.engine import Engine
from bot.reporting.qa_eval import load_items
from ingest.normalize import canonical_chars
from tests.conftest import SEED_QA
from vectorstore.catalog import ChunkRecord
from vectorstore.retriever import HybridRetriever, relative_score_fusion
from vectorstore.store import ChunkHit

LEAD_ITEMS = [item for item in load_items(SEED_QA) if item.type == "lead"]


def _contains_evidence(text: str, evidence: str) -> bool:
    return canonical_chars(evidence)[:20] in canonical_chars(text)


@pytest.mark.parametrize("item", LEAD_ITEMS, ids=lambda item: item.id)
def test_paraphrased_question_retrieves_its_evidence(example_engine: Engine, item) -> None:
    retriever = HybridRetriever(store=example_engine.store, k=5, dense_weight=0.25)
    documents = retriever.invoke(item.question)
    assert all(isinstance(document, Document) for document in documents)
    assert any(_contains_evidence(document.page_content, item.evidence) for document in documents)


def test_documents_carry_their_place_in_the_source(example_engine: Engine) -> None:
    document = HybridRetriever(store=example_engine.store, k=1).invoke("一岗双责")[0]
    assert {"doc_id", "section", "start", "end", "score"} <= set(document.metadata)
    original = example_engine.store.document_text(document.metadata["doc_id"]).original
    assert original[document.metadata["start"] : document.metadata["end"]] == document.page_content


def test_lexical_only_and_dense_only_rankings_differ(example_engine: Engine) -> None:
    question = "打击违法犯罪、提高破案率是哪个部门的任务"
    lexical = HybridRetriever(store=example_engine.store, k=3, dense_weight=0).search(question)
    dense = HybridRetriever(store=example_engine.store, k=3, lexical_weight=0).search(question)
    assert "破案率" in lexical[0].chunk.text
    assert [hit.chunk.chunk_id for hit in lexical] != [hit.chunk.chunk_id for hit in dense]


def _hit(chunk_id: str, score: float) -> ChunkHit:
    return ChunkHit(ChunkRecord(chunk_id, "d", 0, (), 0, 1, 0, 1, "x", "x"), score)


def test_fusion_keeps_bm25_margins() -> None:
    lexical = [_hit("a", 9.0), _hit("b", 1.0), _hit("c", 0.9)]
    dense = [_hit("c", 0.8), _hit("b", 0.7), _hit("a", 0.1)]
    fused = relative_score_fusion([(1.0, lexical), (0.25, dense)], k=3)
    assert fused[0].chunk.chunk_id == "a"
    balanced = relative_score_fusion([(1.0, lexical), (1.0, dense)], k=3)
    assert {hit.chunk.chunk_id for hit in balanced} == {"a", "b", "c"}


def test_bigrams_find_what_word_segmentation_misses(engine_with) -> None:
    """jieba cuts 「先入区」 as 先入/区 but 「境外入区」 as 境外/入区: no word is shared, the bigram 入区 is."""
    engine = engine_with(
        "一、创新监管模式\n对境外入区的货物实行集中查验，查验结果互认。\n二、优化营商环境\n推行先放行、后核税，区内企业可申请先行验放。"
    )
    target = "对境外入区的货物"
    question = "“先入区、后检测”针对什么？"
    assert not any(target in hit.chunk.text for hit in engine.store.lexical_search("先入区", 5))
    assert target in engine.store.bigram_search("先入区", 5)[0].chunk.text
    hits = HybridRetriever(store=engine.store, k=1, dense_weight=0.25).search(question)
    assert target in hits[0].chunk.text
    words_only = HybridRetriever(store=engine.store, k=1, bigram_share=0, dense_weight=0.25).search(question)
    assert target not in words_only[0].chunk.text

"""The quality benchmark's run: every system on one dataset, scored, with the retrieval diagnostic.

Luoshi's variants share one ingested data dir (their weights are read at query time); the baseline
and baseline-hybrid get their own Chroma dirs. Scoring is ``bot/reporting/qa_eval.py``'s.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import REPO, BaselineRAG, citation_of
from bot.answers import Answer, Citation
from bot.engine import Engine
from bot.questions import analyse
from bot.reporting.qa_eval import Outcome, QAItem, Report, evaluate, load_items
from bot.settings import Settings
from vectorstore.catalog import format_section
from vectorstore.embeddings import EmbeddingModel

SYSTEMS = ("luoshi", "baseline", "baseline-hybrid", "lexical-only", "dense-only")
# Luoshi variants: the weights are read at query time, so all share one ingested data dir.
VARIANTS: dict[str, dict[str, float]] = {
    "luoshi": {},
    "lexical-only": {"lexical_weight": 1.0, "dense_weight": 0.0},
    "dense-only": {"lexical_weight": 0.0, "dense_weight": 1.0},
}


@dataclass(frozen=True)
class Dataset:
    """Documents and the questions asked about them."""

    name: str
    docs: tuple[Path, ...]
    qa: Path


# Real public documents and questions on them, beside the clone (provenance in its SOURCES.md).
REAL_DOCS = REPO.parent / "shared" / "corpus" / "real"
REAL_QA = REPO.parent / "shared" / "eval" / "real-dev-qa.jsonl"


def datasets() -> dict[str, Dataset]:
    """The seed set (one example speech), the development set (7 documents, 5 formats) and, where
    ``../shared`` is beside the clone, the real set (15 real documents, read from their .txt files)."""
    dev_docs = REPO / "benchmarks" / "data" / "docs"
    real = {}
    if REAL_QA.is_file():
        real["real"] = Dataset("real", tuple(sorted(REAL_DOCS.glob("*.txt"))), REAL_QA)
    return real | {
        "seed": Dataset(
            "seed",
            (REPO / "examples" / "county-plenary-speech-p2.txt",),
            REPO / "tests" / "data" / "seed-qa.jsonl",
        ),
        "dev": Dataset(
            "dev",
            tuple(sorted(p for p in dev_docs.iterdir() if p.is_file() and not p.name.startswith("."))),
            REPO / "benchmarks" / "data" / "dev-qa.jsonl",
        ),
    }


@dataclass
class SystemResult:
    """One system's report on one dataset, plus the retrieval diagnostic."""

    report: Report
    evidence_at_1: dict[str, float] = field(default_factory=dict)
    evidence_at_k: dict[str, float] = field(default_factory=dict)

    def rows(self) -> list[dict[str, Any]]:
        """``Report.rows()`` plus evidence@1/@k, median answer length and characters per right answer.

        ``chars_per_correct``: characters of every answer given to the type's answerable
        questions, divided by the right answers: what a cadre reads per right answer.
        """
        rows = self.report.rows()
        for row in rows:
            mine = [o for o in self.report.outcomes if row["type"] in {"overall", o.item.type}]
            shown = [len(o.answer.answer) for o in mine if o.answer.found]
            answerable = [o for o in mine if o.item.answerable]
            right = sum(o.answer_correct for o in answerable)
            row["evidence_at_1"] = self.evidence_at_1.get(row["type"])
            row["evidence_at_k"] = self.evidence_at_k.get(row["type"])
            row["answer_chars_p50"] = round(statistics.median(shown)) if shown else None
            row["chars_per_correct"] = (
                round(sum(len(o.answer.answer) for o in answerable if o.answer.found) / right) if right else None
            )
        return rows


@dataclass
class DatasetResult:
    """Every system on one dataset."""

    dataset: Dataset
    items: list[QAItem]
    chunks: dict[str, int]
    systems: dict[str, SystemResult]
    ingest_seconds: dict[str, float]

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": [os.path.relpath(p, REPO) for p in self.dataset.docs],
            "questions": os.path.relpath(self.dataset.qa, REPO),
            "question_count": len(self.items),
            "chunks": self.chunks,
            "ingest_seconds": {k: round(v, 2) for k, v in self.ingest_seconds.items()},
            "systems": {name: result.rows() for name, result in self.systems.items()},
        }


def run_dataset(
    dataset: Dataset, model: EmbeddingModel, workdir: Path, systems: Iterable[str] = SYSTEMS
) -> DatasetResult:
    """Ingest ``dataset`` once for Luoshi and once for the baseline, then ask every system."""
    systems = list(systems)
    items = load_items(dataset.qa)
    data_dir = workdir / f"{dataset.name}-luoshi"
    ingest_seconds: dict[str, float] = {}

    engines = {
        name: Engine.open(Settings(data_dir=data_dir, **weights), model)
        for name, weights in VARIANTS.items()
        if name in systems
    }
    results: dict[str, SystemResult] = {}
    try:
        chunks: dict[str, int] = {}
        if engines:
            writer = next(iter(engines.values()))
            started = time.perf_counter()
            for path in dataset.docs:
                writer.ingest_file(path)
            ingest_seconds["luoshi"] = time.perf_counter() - started
            chunks["luoshi"] = writer.stats()["chunks"]
        baselines: dict[str, BaselineRAG] = {}
        for name in ("baseline", "baseline-hybrid"):
            if name not in systems:
                continue
            baseline = BaselineRAG(
                workdir / f"{dataset.name}-{name}", model.embeddings, hybrid=name == "baseline-hybrid"
            )
            started = time.perf_counter()
            for path in dataset.docs:
                baseline.ingest_file(path)
            ingest_seconds[name] = time.perf_counter() - started
            chunks[name] = baseline.count()
            baselines[name] = baseline
        for name in systems:
            if name in baselines:
                baseline = baselines[name]
                results[name] = _run_system(items, baseline.answer, _baseline_retrieval(baseline))
            else:
                engine = engines[name]
                results[name] = _run_system(items, engine.answer, _luoshi_retrieval(engine))
    finally:
        for engine in engines.values():
            engine.close()
    return DatasetResult(dataset, items, chunks, results, ingest_seconds)


def _run_system(
    items: list[QAItem],
    answer: Callable[[str], Answer],
    retrieve: Callable[[str], tuple[Citation, ...]],
) -> SystemResult:
    answer("warm-up 预热")  # first-call costs (jieba dictionary, BM25 load) stay out of the latencies
    report = evaluate(items, answer)
    return SystemResult(report, *_evidence(items, retrieve))


def _luoshi_retrieval(engine: Engine) -> Callable[[str], tuple[Citation, ...]]:
    """The chunks Luoshi's answerer sees for a question (it searches the analysed question)."""

    def retrieve(question: str) -> tuple[Citation, ...]:
        hits = engine.retriever.search(engine.search_text(analyse(question)))
        return tuple(
            Citation(h.chunk.doc_id, "", format_section(h.chunk.section), h.chunk.text, h.chunk.start, h.chunk.end)
            for h in hits
        )

    return retrieve


def _baseline_retrieval(baseline: BaselineRAG) -> Callable[[str], tuple[Citation, ...]]:
    def retrieve(question: str) -> tuple[Citation, ...]:
        return tuple(citation_of(document) for document in baseline.search(question))

    return retrieve


def _evidence(
    items: list[QAItem], retrieve: Callable[[str], tuple[Citation, ...]]
) -> tuple[dict[str, float], dict[str, float]]:
    """Per type and overall: share of answerable items whose evidence the first / any retrieved
    chunk holds, scored with ``Outcome.citation_correct`` (exactly as a citation would be)."""
    first: dict[str, list[bool]] = {}
    anywhere: dict[str, list[bool]] = {}
    for item in items:
        if not item.answerable:
            continue
        chunks = retrieve(item.question)
        for hits, cited in ((first, chunks[:1]), (anywhere, chunks)):
            found = Outcome(item, Answer(item.question, "", True, "other", citations=cited), 0.0).citation_correct
            hits.setdefault(item.type, []).append(found)
            hits.setdefault("overall", []).append(found)
    return _shares(first), _shares(anywhere)


def _shares(flags: dict[str, list[bool]]) -> dict[str, float]:
    return {name: round(sum(values) / len(values), 4) for name, values in flags.items()}

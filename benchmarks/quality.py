"""Quality benchmark: Luoshi vs the LangChain-tutorial baseline, plus two ablations, in one run.

Systems, all on the same documents, the same questions and the same embedding model:

- ``luoshi``: as shipped (default settings: BM25 + dense fusion, extractive answerer);
- ``baseline``: RecursiveCharacterTextSplitter (500/50, Chinese separators) + Chroma; the
  answer is the top chunk, the citation that chunk; it never refuses;
- ``baseline-hybrid``: the tutorial's next step, for context: the same chunks, retrieved by
  an EnsembleRetriever-style RRF of BM25 (``jieba.lcut``) and Chroma;
- ``lexical-only``: Luoshi with ``dense_weight=0`` (BM25 alone);
- ``dense-only``: Luoshi with ``lexical_weight=0`` (vectors alone).

Scoring is ``bot/reporting/qa_eval.py``'s: an answer is right if it contains every ``must_contain``
string, a citation if one cited quote contains or overlaps the gold evidence; unanswerable
questions must be refused. ``evidence@k`` is a diagnostic: the share of answerable questions
whose evidence is in the system's top-k retrieved chunks (k = Luoshi's ``top_k``; evidence@1: the
first chunk). ``chars read per right answer`` is every answer's length over the right answers.

    python benchmarks/quality.py [--json docs/benchmarks/quality.json] [--failures]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import (  # noqa: E402
    BASELINE_CHUNK_OVERLAP,
    BASELINE_CHUNK_SIZE,
    CHINESE_SEPARATORS,
    PACKAGED,
    RRF_C,
    BaselineRAG,
    citation_of,
    command_line,
    load_model,
    machine,
    percent,
)
from bot.answers import Answer, Citation  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.questions import analyse  # noqa: E402
from bot.reporting.qa_eval import Outcome, QAItem, Report, evaluate, load_items  # noqa: E402
from bot.settings import Settings  # noqa: E402
from vectorstore.catalog import format_section  # noqa: E402
from vectorstore.embeddings import EmbeddingModel  # noqa: E402

SYSTEMS = ("luoshi", "baseline", "baseline-hybrid", "lexical-only", "dense-only")
# Luoshi variants: the weights are read at query time, so all share one ingested data dir.
VARIANTS: dict[str, dict[str, float]] = {
    "luoshi": {},
    "lexical-only": {"lexical_weight": 1.0, "dense_weight": 0.0},
    "dense-only": {"lexical_weight": 0.0, "dense_weight": 1.0},
}
DEFAULT_JSON = REPO / "docs" / "benchmarks" / "quality.json"


@dataclass(frozen=True)
class Dataset:
    """Documents and the questions asked about them."""

    name: str
    docs: tuple[Path, ...]
    qa: Path


def datasets() -> dict[str, Dataset]:
    """The seed set (one example speech) and the development set (7 documents, 5 formats)."""
    dev_docs = REPO / "benchmarks" / "data" / "docs"
    return {
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
            "documents": [str(p.relative_to(REPO)) for p in self.dataset.docs],
            "questions": str(self.dataset.qa.relative_to(REPO)),
            "question_count": len(self.items),
            "chunks": self.chunks,
            "ingest_seconds": {k: round(v, 2) for k, v in self.ingest_seconds.items()},
            "systems": {name: result.rows() for name, result in self.systems.items()},
        }


# ------------------------------------------------------------------------------------ running


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
        hits = engine.retriever.search(analyse(question).search_text)
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


# ------------------------------------------------------------------------------------ output

METRICS = (
    ("answer_accuracy", "answer acc."),
    ("citation_accuracy", "citation acc."),
    ("refusal_accuracy", "refusal acc."),
    ("false_refusal_rate", "false refusals"),
    ("evidence_at_1", "evidence@1"),
    ("evidence_at_k", "evidence@k"),
    ("answer_chars_p50", "answer chars p50"),
    ("chars_per_correct", "chars read per right answer"),
)  # latency is in the JSON; benchmarks/speed.py measures it properly


def type_tables(result: DatasetResult) -> str:
    """One markdown table per question type (and overall): a row per system."""
    by_system = {name: {row["type"]: row for row in r.rows()} for name, r in result.systems.items()}
    types = [row["type"] for row in next(iter(result.systems.values())).rows()]
    out = []
    for type_name in types:
        count = next(iter(by_system.values()))[type_name]["questions"]
        out.append(f"**{result.dataset.name} · {type_name}** ({count} questions)\n")
        out.append("| system | " + " | ".join(label for _, label in METRICS) + " |")
        out.append("|---|" + "---:|" * len(METRICS))
        for name, rows in by_system.items():
            row = rows[type_name]
            out.append(f"| {name} | " + " | ".join(_cell(key, row[key]) for key, _ in METRICS) + " |")
        out.append("")
    return "\n".join(out)


def summary_table(result: DatasetResult) -> str:
    """Luoshi vs baseline per type (gap in points), with baseline-hybrid beside them if it ran."""
    if not {"luoshi", "baseline"} <= set(result.systems):
        return ""
    rows = {name: {row["type"]: row for row in r.rows()} for name, r in result.systems.items()}
    hybrid = rows.get("baseline-hybrid")
    header = ["type", "n"]
    for metric in ("answer", "citation"):
        header += [f"{metric} Luoshi", f"{metric} baseline", "Δ"] + ([f"{metric} hybrid"] if hybrid else [])
    header += ["refusal Luoshi", "refusal baseline(s)", "chars/right answer Luoshi", "baseline"]
    header += ["hybrid"] if hybrid else []
    out = [
        f"**{result.dataset.name}: Luoshi vs baseline**\n",
        "| " + " | ".join(header) + " |",
        "|---|" + "---:|" * (len(header) - 1),
    ]
    for type_name, ours in rows["luoshi"].items():
        theirs = rows["baseline"][type_name]
        cells = [type_name, str(ours["questions"])]
        for key in ("answer_accuracy", "citation_accuracy"):
            cells += [percent(ours[key]), percent(theirs[key]), _delta(ours[key], theirs[key])]
            cells += [percent(hybrid[type_name][key])] if hybrid else []
        cells += [percent(ours["refusal_accuracy"]), percent(theirs["refusal_accuracy"])]
        for source in (ours, theirs, *([hybrid[type_name]] if hybrid else [])):
            cells.append(_cell("chars_per_correct", source["chars_per_correct"]))
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def failures_text(result: DatasetResult, system: str = "luoshi") -> str:
    """Each failed question of ``system`` with what it answered (for the write-up)."""
    lines = [f"failures of {system} on {result.dataset.name}:"]
    for outcome in result.systems[system].report.failures():
        item, answer = outcome.item, outcome.answer
        flags = ("A" if outcome.answer_correct else "a") + ("C" if outcome.citation_correct else "c")
        text = answer.answer.replace("\n", " ")[:90] if answer.found else "(refused)"
        lines.append(f"  {item.id} {item.type:<12} {flags} {item.question}\n      → {text}")
    return "\n".join(lines)


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "–"
    if key.endswith(("_ms", "_p50", "_correct")):
        return f"{value}"
    return percent(value)


def _delta(ours: float | None, theirs: float | None) -> str:
    if ours is None or theirs is None:
        return "–"
    return f"{100 * (ours - theirs):+.1f}"


def to_json(results: list[DatasetResult], model: EmbeddingModel, seconds: float) -> dict[str, Any]:
    """Everything printed, plus the setup, as one JSON document."""
    defaults = Settings(data_dir=Path("unused"))
    return {
        "command": command_line(),
        "machine": machine(),
        "seconds": round(seconds, 1),
        "load_average_1_5_15": [round(value, 2) for value in os.getloadavg()],
        "embedding_model": model.name,
        "luoshi_settings": {
            "top_k": defaults.top_k,
            "lexical_weight": defaults.lexical_weight,
            "dense_weight": defaults.dense_weight,
            "variants": VARIANTS,
        },
        "baseline": {
            "splitter": "RecursiveCharacterTextSplitter",
            "chunk_size": BASELINE_CHUNK_SIZE,
            "chunk_overlap": BASELINE_CHUNK_OVERLAP,
            "separators": CHINESE_SEPARATORS,
            "store": "langchain_chroma.Chroma (default L2 distance, normalised embeddings)",
            "answer": "top-1 chunk; never refuses",
            "hybrid": f"BM25 (jieba.lcut) + Chroma, weighted RRF 0.5/0.5, c={RRF_C}",
        },
        "datasets": {r.dataset.name: r.to_json() for r in results},
    }


# ------------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"results file (default {DEFAULT_JSON})")
    parser.add_argument("--datasets", default="seed,dev", help="comma-separated: seed, dev")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated subset of " + ", ".join(SYSTEMS))
    parser.add_argument("--model", default=PACKAGED, help="embedding model for every system (default: packaged)")
    parser.add_argument("--failures", action="store_true", help="list Luoshi's failed questions")
    args = parser.parse_args(argv)
    _quiet()

    started = time.perf_counter()
    model = load_model(args.model)
    chosen = datasets()
    names = [name.strip() for name in args.datasets.split(",") if name.strip()]
    systems = [name.strip() for name in args.systems.split(",") if name.strip()]
    unknown = [n for n in names if n not in chosen] + [s for s in systems if s not in SYSTEMS]
    if unknown:
        parser.error(f"unknown dataset or system: {', '.join(unknown)}")

    results = []
    with tempfile.TemporaryDirectory(prefix="luoshi-quality-") as tmp:
        for name in names:
            result = run_dataset(chosen[name], model, Path(tmp), systems)
            results.append(result)
            print(f"\n## {name}: {len(result.items)} questions, chunks {result.chunks}\n")
            print(summary_table(result))
            print(type_tables(result))
            if args.failures and "luoshi" in result.systems:
                print(failures_text(result))
    seconds = time.perf_counter() - started
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(
        json.dumps(to_json(results, model, seconds), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"\nwrote {args.json} ({seconds:.0f} s, model {model.name})")
    return 0


def _quiet() -> None:
    """Keep library chatter out of the tables."""
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger().setLevel(logging.ERROR)
    for name in ("bm25s", "chromadb", "httpx", "jieba", "sentence_transformers"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    try:
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
    except ImportError:
        pass


if __name__ == "__main__":
    sys.exit(main())

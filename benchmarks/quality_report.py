"""The quality benchmark's output: markdown tables per dataset and question type, failures, the JSON record."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.common import (
    BASELINE_CHUNK_OVERLAP,
    BASELINE_CHUNK_SIZE,
    CHINESE_SEPARATORS,
    RRF_C,
    percent,
    run_facts,
)
from benchmarks.quality_run import VARIANTS, DatasetResult
from bot.settings import Settings
from vectorstore.embeddings import EmbeddingModel

METRICS = (
    ("answer_accuracy", "answer acc."),
    ("citation_accuracy", "citation acc."),
    ("refusal_accuracy", "refusal acc."),
    ("false_refusal_rate", "false refusals"),
    ("unquoted_names", "answers naming a party no quote names"),
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
    if key.endswith(("_ms", "_p50", "_correct", "_names")):
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
        **run_facts(seconds),
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

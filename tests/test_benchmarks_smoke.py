"""Smoke test of the benchmark code on the seed set: it runs and reports; no timing or score bars."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import gate_sweep, pathological, quality
from benchmarks.common import BaselineRAG
from benchmarks.synthetic import generate, sample_questions
from vectorstore.embeddings import EmbeddingModel

RATES = ("answer_accuracy", "citation_accuracy", "refusal_accuracy", "false_refusal_rate", "evidence_at_k")


def test_quality_benchmark_runs_on_the_seed_set(embedding_model: EmbeddingModel, tmp_path: Path) -> None:
    systems = ("luoshi", "baseline", "lexical-only")  # the others run the same code paths
    result = quality.run_dataset(quality.datasets()["seed"], embedding_model, tmp_path, systems)

    assert tuple(result.systems) == systems
    assert result.chunks["luoshi"] > 0 and result.chunks["baseline"] > 0
    for system in result.systems.values():
        rows = {row["type"]: row for row in system.rows()}
        assert rows["overall"]["questions"] == len(result.items)
        for row in rows.values():
            assert all(row[key] is None or 0.0 <= row[key] <= 1.0 for key in RATES), row
    baseline = {row["type"]: row for row in result.systems["baseline"].rows()}
    assert baseline["overall"]["false_refusal_rate"] == 0.0  # the baseline never refuses
    assert baseline["unanswerable"]["refusal_accuracy"] == 0.0
    assert "| luoshi |" in quality.type_tables(result)
    assert "Luoshi vs baseline" in quality.summary_table(result)
    json_doc = quality.to_json([result], embedding_model, 1.0)
    assert json_doc["datasets"]["seed"]["systems"]["luoshi"]


def test_gate_sweep_refuses_more_as_the_point_rises(embedding_model: EmbeddingModel, tmp_path: Path) -> None:
    rows = gate_sweep.sweep(quality.datasets()["seed"], embedding_model, tmp_path, [0.3, 0.6, 1.0])
    false_refusals = [row["false_refusal_rate"] for row in rows]
    assert false_refusals == sorted(false_refusals) and false_refusals[0] < false_refusals[-1]
    assert "| 0.6 (shipped) |" in gate_sweep.table(rows)


def test_baseline_refuses_only_an_empty_collection(embedding_model: EmbeddingModel, tmp_path: Path) -> None:
    baseline = BaselineRAG(tmp_path / "empty", embedding_model.embeddings)
    assert not baseline.answer("谁牵头？").found


def test_synthetic_corpus_is_seeded_and_prefix_stable() -> None:
    first = [d.text for d, _ in zip(generate(seed=7, target_chars=3000), range(3), strict=False)]
    again = [d.text for d, _ in zip(generate(seed=7, target_chars=3000), range(3), strict=False)]
    later = next(generate(seed=7, target_chars=3000, start=2))
    other = next(generate(seed=8, target_chars=3000))
    assert first == again
    assert later.text == first[2]
    assert other.text != first[0]
    assert all(len(text) >= 3000 and "一、" in text and "牵头" in text for text in first)
    documents = list(zip(generate(seed=7, target_chars=3000), range(2), strict=False))
    questions = sample_questions([d for d, _ in documents], 10, seed=1)
    assert len(questions) == 10 and questions == sample_questions([d for d, _ in documents], 10, seed=1)


def test_pathological_benchmark_runs_on_tiny_inputs(embedding_model: EmbeddingModel, tmp_path: Path) -> None:
    rows = pathological.run_documents((400, 800))
    engine = pathological.open_engine(tmp_path / "data", embedding_model)
    try:
        rows += pathological.run_questions((50, 600), engine, ["由…由牵头", "digits"])
    finally:
        engine.close()  # type: ignore[attr-defined]
    assert {(row.stage, row.name) for row in rows} >= {("extract", name) for name in pathological.DOCUMENTS}
    assert {row.stage for row in rows} == {"extract", "analyse", "answer"}
    assert all(row.seconds >= 0 for row in rows)
    growth = pathological.per_doubling(rows)
    assert growth[0] is None and any(value is not None for value in growth)
    assert "| extract | 由由由… | 800 |" in pathological.table(rows)


def test_load_benchmark_reports_percentiles_and_a_table() -> None:
    from benchmarks import load

    assert all(path.is_file() for path in load.DOCUMENTS) and len(load.questions()) > 100
    run = load.Run(workers=2, cadres=3, questions_per_cadre=4, asked=12, answered=10, seconds=5.0)
    run.latencies = [0.1 * i for i in range(1, 11)]
    run.error("timeout")
    assert run.answers_per_second == 2.0 and run.percentile(0.5) == pytest.approx(0.55)
    assert run.percentile(0.99) == pytest.approx(0.991)
    assert "| 2 | 3 | 12 | 10 | 1 | 2.00 | 550 |" in load.table([run]) and run.cpu_ms_per_answer == 0.0
    assert run.to_json()["error_kinds"] == {"timeout": 1} and "latencies" not in run.to_json()


def test_scale_benchmark_measures_a_tiny_store(tmp_path: Path) -> None:
    from benchmarks import scale

    rows = scale.run([200, 400], ["embedded"], 3, tmp_path, budget=0)  # no budget left for the second size
    assert [row["backend"] for row in rows] == ["embedded"] and rows[0]["chunks"] >= 200
    for row in rows:
        assert all(len(row["timings"][name]) == 3 for name in scale.TIMED)
        assert min(row["generation_reads_per_answer"]) >= 1 and row["peak_rss_mb"] >= row["rss_open_mb"] > 0
    printed = scale.tables(rows)
    assert "| embedded |" in printed and "| embedded | SQLite |" in printed


def test_backends_give_workers_and_stores_the_same_setup() -> None:
    from benchmarks.backends import Backend

    servers = Backend("servers", "postgresql://u@127.0.0.1:5/db", "http://127.0.0.1:6", "tantivy")
    assert servers.settings() == {
        "database_url": "postgresql://u@127.0.0.1:5/db",
        "chroma_url": "http://127.0.0.1:6",
        "lexical_index": "tantivy",
    }
    assert servers.store_options()["lexical"] == "tantivy" and Backend("embedded").store_options()["chroma_url"] is None


def test_channels_benchmark_prints_each_channel_against_the_engine(capsys: pytest.CaptureFixture[str]) -> None:
    from benchmarks import channels

    assert channels.main(["--rounds", "1"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ") and "×" in line]
    assert [row.split(" | ")[0][2:] for row in rows] == ["engine", "desk", "POST /v1/ask", "/v1/chat/completions"]
    assert rows[0].endswith("| ×1.00 |")

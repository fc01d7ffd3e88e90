"""The speed benchmark's queries: time every question in a fresh process that also reports its RSS.

``run_queries`` starts ``benchmarks/speed.py --query-worker …`` (a new interpreter, so the peak RSS
is the query path's own); that process runs ``query_worker`` and prints its result as one JSON line.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.common import BaselineRAG, load_model, quiet
from bot.engine import Engine
from bot.settings import Settings

WARMUP_QUERIES = 5
SCRIPT = Path(__file__).resolve().with_name("speed.py")  # its --query-worker runs query_worker


def query_worker(
    system: str, data_dir: Path, questions_file: Path, model_name: str, torch_threads: int
) -> dict[str, Any]:
    """Runs in a fresh subprocess: open the index, time every question, report peak RSS."""
    quiet()
    if torch_threads > 0:
        import torch

        torch.set_num_threads(torch_threads)
    questions: list[str] = json.loads(questions_file.read_text(encoding="utf-8"))
    started = time.perf_counter()
    model = load_model(model_name)
    model_seconds = time.perf_counter() - started
    rss_model = _rss_mb()

    started = time.perf_counter()
    if system == "luoshi":
        engine = Engine.open(Settings(data_dir=data_dir), model)
        count = engine.stats()["chunks"]

        def retrieve(question: str) -> object:
            return engine.retriever.search(question)

        answer: Callable[[str], object] = engine.answer
    else:
        baseline = BaselineRAG(data_dir, model.embeddings)
        count = baseline.count()
        retrieve, answer = baseline.search, baseline.answer
    answer(questions[0])  # cold: loads BM25, the jieba dictionary, the HNSW index
    first_seconds = time.perf_counter() - started

    for question in questions[1 : 1 + WARMUP_QUERIES]:
        answer(question)
    retrieval = _timings(retrieve, questions)
    full = _timings(answer, questions)
    return {
        "system": system,
        "chunks_in_index": count,
        "questions": len(questions),
        "model_load_seconds": round(model_seconds, 2),
        "open_and_first_answer_seconds": round(first_seconds, 2),
        "retrieval_ms": _percentiles(retrieval),
        "answer_ms": _percentiles(full),
        "torch_threads": torch_threads,
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "rss_end_mb": round(_rss_mb(), 1),
        "rss_after_model_mb": round(rss_model, 1),
    }


def _timings(function: Callable[[str], object], questions: list[str]) -> list[float]:
    values = []
    for question in questions:
        started = time.perf_counter()
        function(question)
        values.append((time.perf_counter() - started) * 1000)
    return values


def _percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def nearest_rank(percent: float) -> float:
        index = max(0, min(len(ordered) - 1, round(percent / 100 * len(ordered) + 0.5) - 1))
        return round(ordered[index], 2)

    return {
        "p50": round(statistics.median(ordered), 2),
        "p95": nearest_rank(95),
        "p99": nearest_rank(99),
        "mean": round(statistics.fmean(ordered), 2),
    }


def _peak_rss_mb() -> float:
    """This process's peak resident set size (VmHWM), in MiB.

    Not ``getrusage``: its ``ru_maxrss`` survives exec, so a subprocess would report its parent's.
    """
    return _status_mb("VmHWM:")


def _rss_mb() -> float:
    """This process's current resident set size (VmRSS), in MiB."""
    return _status_mb("VmRSS:")


def _status_mb(field: str) -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: the best there is


def run_queries(
    system: str, data_dir: Path, questions_file: Path, model_name: str, torch_threads: int
) -> dict[str, Any]:
    """Start ``query_worker`` in a fresh interpreter, so its RSS is its own."""
    command = [
        sys.executable,
        str(SCRIPT),
        "--query-worker",
        system,
        "--data-dir",
        str(data_dir),
        "--questions",
        str(questions_file),
        "--model",
        model_name,
        "--torch-threads",
        str(torch_threads),
    ]
    env = {**os.environ, "HF_HUB_OFFLINE": os.environ.get("HF_HUB_OFFLINE", "1")}
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"query worker {system} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])

"""Processes that open one new data directory at the same moment (run as a script by tests).

``python -m tests.concurrent_writers ROOT PROCESSES ROUNDS`` loads the packaged model once, then for
each round forks PROCESSES children that start together on a fresh ``ROOT/round-N``: each opens the
store (the race), and in the last round also ingests its own small document. It prints one JSON
line: every child's outcome ("opened", an ingest status or the error), by round.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time
from pathlib import Path

_TEXT = "关于第{n}项工作的通知\n一、由县第{n}局牵头，负责第{n}批项目的谋划储备，确保资金到位。"
_START_DELAY = 0.5  # seconds: every child is waiting when the round starts


def _child(start: float, data_dir: Path, number: int, model: object, ingest: bool) -> str:
    from ingest.pipeline import ingest_file
    from vectorstore.store import Store

    source = data_dir.parent / f"{data_dir.name}-doc{number}.txt"
    source.write_text(_TEXT.format(n=number), encoding="utf-8")
    while time.time() < start:
        pass  # spin, not sleep: the children wake within microseconds of each other
    try:
        store = Store(data_dir, model)  # type: ignore[arg-type]
        try:
            return ingest_file(store, source, max_bytes=10**6).status if ingest else "opened"
        finally:
            store.close()
    except Exception as error:  # the outcome is the report
        return f"{type(error).__name__}: {error}"


def run(root: Path, processes: int, rounds: int) -> list[list[str]]:
    """Every child's outcome (an ingest status or the error), by round."""
    import torch

    torch.set_num_threads(1)  # no thread pool in the parent: the forked children may embed safely
    from ingest.language.tokens import tokenize
    from ingest.pipeline import ingest_file  # noqa: F401  (imported once, before the fork)
    from vectorstore.embeddings import load_packaged_model

    model = load_packaged_model()
    tokenize("预热")  # jieba's dictionary is loaded once, before the fork
    context = multiprocessing.get_context("fork")  # the children share the loaded model
    root.mkdir(parents=True, exist_ok=True)
    outcomes = []
    with context.Pool(processes) as pool:
        for number in range(rounds):
            start = time.time() + _START_DELAY
            data_dir = root / f"round-{number}"
            last = number == rounds - 1
            jobs = [pool.apply_async(_child, (start, data_dir, child, model, last)) for child in range(processes)]
            outcomes.append([job.get(timeout=300) for job in jobs])
    return outcomes


if __name__ == "__main__":
    root, processes, rounds = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    print(json.dumps(run(root, processes, rounds), ensure_ascii=False))

"""The speed benchmark's results: what was measured at each corpus size, and the JSON file they go to."""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from typing import Any

from benchmarks.common import BASELINE_CHUNK_OVERLAP, BASELINE_CHUNK_SIZE, run_facts, write_results


@dataclass
class SizeResult:
    """Everything measured at one corpus size."""

    target: int
    luoshi_ingest: dict[str, Any]
    baseline_ingest: dict[str, Any]
    luoshi_query: dict[str, Any]
    baseline_query: dict[str, Any]
    disk: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SizeResult:
        return cls(
            data["target_chunks"],
            data["ingest"]["luoshi"],
            data["ingest"]["baseline"],
            data["query"]["luoshi"],
            data["query"]["baseline"],
            data["disk_bytes"],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "target_chunks": self.target,
            "ingest": {"luoshi": self.luoshi_ingest, "baseline": self.baseline_ingest},
            "query": {"luoshi": self.luoshi_query, "baseline": self.baseline_query},
            "disk_bytes": self.disk,
        }


def write_json(args: argparse.Namespace, results: list[SizeResult], seconds: float) -> None:
    """Write the results so far, with the run's settings, to ``args.json`` (after every size)."""
    document = {
        **run_facts(seconds),
        "embedding_model": args.model,
        "seed": args.seed,
        "doc_chars": args.doc_chars,
        "queries": args.queries,
        "query_torch_threads": args.torch_threads,
        "baseline": {"chunk_size": BASELINE_CHUNK_SIZE, "chunk_overlap": BASELINE_CHUNK_OVERLAP},
        "sizes": [result.to_json() for result in results],
    }
    write_results(args.json, document)

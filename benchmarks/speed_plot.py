"""The speed benchmark's plot: four panels against corpus size (matplotlib, optional)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from benchmarks.speed_results import SizeResult


def plot(results: list[SizeResult], path: Path) -> bool:
    """Four panels against corpus size; False when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no plot", file=sys.stderr)
        return False
    sizes = [r.luoshi_ingest["chunks"] for r in results]
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    styles = {"Luoshi": ("tab:red", "o"), "baseline": ("tab:blue", "s")}

    def series(ax: Any, label: str, values: list[float], dashed: bool = False) -> None:
        color, marker = styles[label.split()[0]]
        ax.plot(
            sizes,
            values,
            color=color,
            marker=marker,
            markerfacecolor="white" if dashed else color,
            linestyle="--" if dashed else "-",
            label=label,
        )

    ax = axes[0][0]
    series(ax, "Luoshi", [r.luoshi_ingest["chars_per_s"] for r in results])
    series(ax, "baseline", [r.baseline_ingest["chars_per_s"] for r in results])
    series(ax, "Luoshi embedding only", [_floor_chars(r.luoshi_ingest) for r in results], dashed=True)
    series(ax, "baseline embedding only", [_floor_chars(r.baseline_ingest) for r in results], dashed=True)
    ax.set_title("Ingest throughput (characters/s, cumulative)")
    ax = axes[0][1]
    for key, dashed in (("answer_ms", False), ("retrieval_ms", True)):
        kind = "answer" if key == "answer_ms" else "retrieval"
        series(ax, f"Luoshi {kind} p95", [r.luoshi_query[key]["p95"] for r in results], dashed)
        series(ax, f"baseline {kind} p95", [r.baseline_query[key]["p95"] for r in results], dashed)
    ax.set_title("Query latency p95 (ms)")
    ax = axes[1][0]
    series(ax, "Luoshi", [r.disk["luoshi"] / 2**20 for r in results])
    series(ax, "baseline", [r.disk["baseline"] / 2**20 for r in results])
    ax.set_title("Index size on disk (MB)")
    ax = axes[1][1]
    series(ax, "Luoshi peak", [r.luoshi_query["peak_rss_mb"] for r in results])
    series(ax, "baseline peak", [r.baseline_query["peak_rss_mb"] for r in results])
    series(ax, "Luoshi over model", [_over_model(r.luoshi_query) for r in results], dashed=True)
    series(ax, "baseline over model", [_over_model(r.baseline_query) for r in results], dashed=True)
    ax.set_title("RSS of the query process (MB)")
    for ax in axes.flat:
        ax.set_xscale("log")
        ax.set_xticks(sizes, [f"{size:,}" for size in sizes])  # the measured sizes, not log minor ticks
        ax.minorticks_off()
        ax.set_xlabel("corpus size (Luoshi chunks)")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle("Luoshi vs LangChain-tutorial baseline: growth with corpus size")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def _over_model(row: dict[str, Any]) -> float:
    return row["rss_end_mb"] - row["rss_after_model_mb"]


def _floor_chars(row: dict[str, Any]) -> float:
    return row["chars"] / row["embed_seconds"] if row["embed_seconds"] else 0.0

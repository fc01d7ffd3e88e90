"""Gate sweep: false refusals beside refused unanswerable questions, for a range of operating points.

The gate (``bot/gate.py``) answers when a candidate's score reaches ``min_coverage``. A lower point
answers more questions and refuses fewer that the documents cannot answer; this benchmark ingests
each dataset once and asks every question at every point, so the operating point is chosen from
data, not by feel. Scoring is ``bot/reporting/qa_eval.py``'s.

    python benchmarks/gate_sweep.py [--datasets real,dev] [--points 0.45,0.5,0.55,0.6,0.65,0.7]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import argument_parser, comma_list, load_model, percent, quiet, write_results  # noqa: E402
from benchmarks.quality_run import Dataset, datasets  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.gate import MIN_COVERAGE  # noqa: E402
from bot.reporting.qa_eval import evaluate, load_items  # noqa: E402
from bot.settings import Settings  # noqa: E402
from vectorstore.embeddings import EmbeddingModel  # noqa: E402

DEFAULT_JSON = REPO / "docs" / "benchmarks" / "gate_sweep.json"
DEFAULT_POINTS = "0.4,0.45,0.5,0.55,0.6,0.65,0.7,0.75"


def sweep(dataset: Dataset, model: EmbeddingModel, workdir: Path, points: list[float]) -> list[dict[str, Any]]:
    """Ingest ``dataset`` once, then score every question at each operating point."""
    items = load_items(dataset.qa)
    engine = Engine.open(Settings(data_dir=workdir / dataset.name), model)
    rows = []
    try:
        for path in dataset.docs:
            engine.ingest_file(path)
        for point in points:
            engine.settings = engine.settings.model_copy(update={"min_coverage": point})
            overall = evaluate(items, engine.answer).rows()[-1]
            unanswerable = sum(not item.answerable for item in items)
            refused = round((overall["refusal_accuracy"] or 0) * unanswerable)
            rows.append(
                {
                    "min_coverage": point,
                    "answer_accuracy": overall["answer_accuracy"],
                    "citation_accuracy": overall["citation_accuracy"],
                    "false_refusal_rate": overall["false_refusal_rate"],
                    "unanswerable_refused": f"{refused}/{unanswerable}",
                    "unquoted_names": overall["unquoted_names"],
                }
            )
    finally:
        engine.close()
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """The sweep as a Markdown table; the shipped operating point is marked."""
    lines = [
        "| min_coverage | answer | citation | false refusals | unanswerable refused | names no quote has |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        mark = " (shipped)" if row["min_coverage"] == MIN_COVERAGE else ""
        lines.append(
            f"| {row['min_coverage']}{mark} | {percent(row['answer_accuracy'])} | {percent(row['citation_accuracy'])}"
            f" | {percent(row['false_refusal_rate'])} | {row['unanswerable_refused']} | {row['unquoted_names']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Sweep the chosen datasets, print a table each, write the JSON."""
    parser = argument_parser(__doc__, DEFAULT_JSON, "embedding model (default: packaged)")
    parser.add_argument("--datasets", type=comma_list, help="comma-separated: seed, dev, real (default: every one)")
    parser.add_argument("--points", type=comma_list, default=DEFAULT_POINTS, help="operating points to try")
    args = parser.parse_args(argv)
    quiet()
    started = time.perf_counter()
    model = load_model(args.model)
    chosen = datasets()
    names = args.datasets or list(chosen)
    unknown = [name for name in names if name not in chosen]
    if unknown:
        parser.error(f"unknown dataset: {', '.join(unknown)}")
    points = [float(point) for point in args.points]
    results = {}
    with tempfile.TemporaryDirectory(prefix="luoshi-gate-") as tmp:
        for name in names:
            results[name] = sweep(chosen[name], model, Path(tmp), points)
            print(f"\n## {name}\n\n{table(results[name])}")
    seconds = time.perf_counter() - started
    write_results(args.json, {"model": model.name, "seconds": round(seconds), "datasets": results})
    print(f"\nwrote {args.json} ({seconds:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

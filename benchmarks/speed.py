"""Speed and scale benchmark: Luoshi vs the LangChain-tutorial baseline on synthetic corpora.

One seeded stream of synthetic documents (``benchmarks/synthetic.py``) is ingested file by file
into a Luoshi data dir and a baseline Chroma dir, in the same process. Each time Luoshi's store
reaches a size (in Luoshi chunks) the benchmark records:

- ingest throughput, chunks/s and characters/s, cumulative and since the last size, and the
  share spent in the embedding model (the floor) and, for Luoshi, in rebuilding BM25;
- query latency p50/p95/p99, retrieval only and full answers, Luoshi and baseline, each in its
  own fresh subprocess, which also reports its peak RSS;
- index size on disk.

It prints markdown tables, writes ``docs/benchmarks/speed.json`` after every size and draws
``docs/benchmarks/scale.png`` (matplotlib, optional: ``pip install -e '.[bench]'``).

    python benchmarks/speed.py                       # 1k, 10k and 50k chunks (the documented run)
    python benchmarks/speed.py --quick               # 1k only, a few minutes
    python benchmarks/speed.py --sizes 1000,10000
    python benchmarks/speed.py --replot              # tables and PNG again from speed.json
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import argument_parser, comma_list, disk_bytes, fresh_dir, machine, quiet  # noqa: E402
from benchmarks.speed_ingest import Ingester, IngestTally  # noqa: E402
from benchmarks.speed_plot import plot  # noqa: E402
from benchmarks.speed_queries import WARMUP_QUERIES, query_worker, run_queries  # noqa: E402
from benchmarks.speed_results import SizeResult, write_json  # noqa: E402
from benchmarks.speed_tables import markdown  # noqa: E402
from benchmarks.synthetic import SyntheticDocument, generate, sample_questions  # noqa: E402

DEFAULT_SIZES = (1_000, 10_000, 50_000)
DEFAULT_JSON = REPO / "docs" / "benchmarks" / "speed.json"
DEFAULT_PLOT = REPO / "docs" / "benchmarks" / "scale.png"


def run(args: argparse.Namespace, workdir: Path) -> list[SizeResult]:
    """Grow one corpus to each size in turn; at each, time queries, print the tables, save the JSON."""
    sizes = sorted(args.sizes)
    ingester = Ingester(workdir, args.model)
    documents: list[SyntheticDocument] = []
    stream = generate(seed=args.seed, target_chars=args.doc_chars)
    results: list[SizeResult] = []
    previous = (IngestTally(), IngestTally())
    started = time.perf_counter()
    try:
        for target in sizes:
            while ingester.luoshi.chunks < target:
                document = next(stream)
                documents.append(document)
                ingester.add(document)
                if len(documents) % 10 == 0:
                    _progress(ingester, target, started)
            luoshi_ingest = ingester.luoshi.summary(previous[0])
            baseline_ingest = ingester.base.summary(previous[1])
            previous = (ingester.luoshi.snapshot(), ingester.base.snapshot())

            questions_file = workdir / f"questions-{target}.json"
            questions = sample_questions(documents, args.queries + 1 + WARMUP_QUERIES, args.seed)
            questions_file.write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
            luoshi_query = run_queries("luoshi", ingester.luoshi_dir, questions_file, args.model, args.torch_threads)
            baseline_query = run_queries(
                "baseline", ingester.baseline_dir, questions_file, args.model, args.torch_threads
            )
            disk = {
                "luoshi": disk_bytes(ingester.luoshi_dir),
                "baseline": disk_bytes(ingester.baseline_dir),
                "corpus": disk_bytes(ingester.corpus_dir),
            }
            result = SizeResult(target, luoshi_ingest, baseline_ingest, luoshi_query, baseline_query, disk)
            results.append(result)
            print(f"\n### {target:,} chunks ({time.perf_counter() - started:.0f} s so far)\n", flush=True)
            print(markdown(results), flush=True)
            write_json(args, results, time.perf_counter() - started)
    finally:
        ingester.close()
    return results


def _progress(ingester: Ingester, target: int, started: float) -> None:
    tally = ingester.luoshi
    print(
        f"  … {tally.files} files, {tally.chunks:,}/{target:,} Luoshi chunks, "
        f"{ingester.base.chunks:,} baseline chunks, {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
        flush=True,
    )


def size_list(text: str) -> list[int]:
    """``--sizes``: ``"1000,10_000"`` → ``[1000, 10000]``."""
    return [int(part) for part in comma_list(text.replace("_", ""))]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line; ``--query-worker`` and its two paths are internal (see ``speed_queries``)."""
    parser = argument_parser(__doc__, DEFAULT_JSON, "embedding model for both systems")
    parser.add_argument(
        "--sizes",
        type=size_list,
        default=list(DEFAULT_SIZES),
        help="corpus sizes in Luoshi chunks, comma-separated (default 1000,10000,50000)",
    )
    parser.add_argument("--quick", action="store_true", help="1,000 chunks only")
    parser.add_argument("--queries", type=int, default=200, help="timed questions per size (default 200)")
    parser.add_argument("--doc-chars", type=int, default=100_000, help="characters per synthetic file (default 100000)")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=1,
        help="torch threads of the query processes (default 1: one question at a time; 0 = torch's default)",
    )
    parser.add_argument("--plot", type=Path, default=DEFAULT_PLOT)
    parser.add_argument("--workdir", type=Path, help="keep the indexes here (default: a temp dir)")
    parser.add_argument("--replot", action="store_true", help="only redraw --plot from --json and print tables")
    parser.add_argument("--query-worker", choices=("luoshi", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--questions", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = [1_000]
    return args


def main(argv: list[str] | None = None) -> int:
    """A query worker, a replot, or the full run with its tables, JSON and plot."""
    args = parse_args(argv)
    if args.query_worker:
        worker = query_worker(args.query_worker, args.data_dir, args.questions, args.model, args.torch_threads)
        print(json.dumps(worker))
        return 0
    quiet()
    if args.replot:
        saved = json.loads(args.json.read_text(encoding="utf-8"))
        results = [SizeResult.from_json(size) for size in saved["sizes"]]
        print(markdown(results))
        return 0 if plot(results, args.plot) else 1
    print(f"sizes {args.sizes}; machine {machine()}", flush=True)
    if args.workdir:
        results = run(args, fresh_dir(args.workdir))
    else:
        with tempfile.TemporaryDirectory(prefix="luoshi-speed-") as tmp:
            results = run(args, Path(tmp))
    print(f"\nwrote {args.json}")
    if results and plot(results, args.plot):
        print(f"wrote {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

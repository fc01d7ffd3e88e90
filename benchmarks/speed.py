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
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import (  # noqa: E402
    BASELINE_CHUNK_OVERLAP,
    BASELINE_CHUNK_SIZE,
    PACKAGED,
    BaselineRAG,
    TimedEmbeddings,
    command_line,
    disk_bytes,
    fresh_dir,
    load_model,
    machine,
)
from benchmarks.synthetic import SyntheticDocument, generate, sample_questions  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.settings import Settings  # noqa: E402

DEFAULT_SIZES = (1_000, 10_000, 50_000)
DEFAULT_JSON = REPO / "docs" / "benchmarks" / "speed.json"
DEFAULT_PLOT = REPO / "docs" / "benchmarks" / "scale.png"
WARMUP_QUERIES = 5


# ----------------------------------------------------------------------------------- ingest


@dataclass
class IngestTally:
    """Running totals of one system's ingest."""

    files: int = 0
    chunks: int = 0
    chars: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    lexical_seconds: float = 0.0
    last_lexical_seconds: float = 0.0

    def snapshot(self) -> IngestTally:
        return replace(self)

    def summary(self, since: IngestTally | None = None) -> dict[str, Any]:
        """Throughput and shares, cumulative and (with ``since``) for the last stretch only."""
        row: dict[str, Any] = {
            "files": self.files,
            "chunks": self.chunks,
            "chars": self.chars,
            "seconds": round(self.seconds, 2),
            "chunks_per_s": _rate(self.chunks, self.seconds),
            "chars_per_s": _rate(self.chars, self.seconds),
            "embed_seconds": round(self.embed_seconds, 2),
            "embed_share": _ratio(self.embed_seconds, self.seconds),
            "embed_floor_chunks_per_s": _rate(self.chunks, self.embed_seconds),
            "lexical_seconds": round(self.lexical_seconds, 2),
            "lexical_share": _ratio(self.lexical_seconds, self.seconds),
            "lexical_seconds_last_file": round(self.last_lexical_seconds, 3),
        }
        if since is not None:
            seconds = self.seconds - since.seconds
            row["marginal_chunks_per_s"] = _rate(self.chunks - since.chunks, seconds)
            row["marginal_chars_per_s"] = _rate(self.chars - since.chars, seconds)
        return row


class Ingester:
    """Feeds the same files to Luoshi and to the baseline and times both."""

    def __init__(self, workdir: Path, model_name: str) -> None:
        model = load_model(model_name)
        self.luoshi_embeddings = TimedEmbeddings(model.embeddings)
        self.baseline_embeddings = TimedEmbeddings(model.embeddings)
        self.luoshi_dir = fresh_dir(workdir / "luoshi")
        self.baseline_dir = fresh_dir(workdir / "baseline")
        self.corpus_dir = fresh_dir(workdir / "corpus")
        self.engine = Engine.open(Settings(data_dir=self.luoshi_dir), replace(model, embeddings=self.luoshi_embeddings))
        self.baseline = BaselineRAG(self.baseline_dir, self.baseline_embeddings)
        self.luoshi = IngestTally()
        self.base = IngestTally()
        self._time_lexical_rebuilds()

    def _time_lexical_rebuilds(self) -> None:
        """Wrap the store's BM25 rebuild (instrumentation only) to see its share of ingest."""
        store = self.engine.store
        publish: Callable[[], None] | None = getattr(store, "_publish_lexical", None)
        if publish is None:
            return

        def timed() -> None:
            started = time.perf_counter()
            publish()
            elapsed = time.perf_counter() - started
            self.luoshi.lexical_seconds += elapsed
            self.luoshi.last_lexical_seconds = elapsed

        store._publish_lexical = timed  # type: ignore[method-assign]

    def add(self, document: SyntheticDocument) -> None:
        path = self.corpus_dir / f"doc-{document.index:05d}.txt"
        path.write_text(document.text, encoding="utf-8")
        chars = len(document.text)

        embed_before = self.luoshi_embeddings.document_seconds
        started = time.perf_counter()
        report = self.engine.ingest_file(path)
        self.luoshi.seconds += time.perf_counter() - started
        self.luoshi.embed_seconds += self.luoshi_embeddings.document_seconds - embed_before
        self.luoshi.files += 1
        self.luoshi.chunks += report.chunk_count
        self.luoshi.chars += chars

        embed_before = self.baseline_embeddings.document_seconds
        started = time.perf_counter()
        chunks, _ = self.baseline.ingest_file(path)
        self.base.seconds += time.perf_counter() - started
        self.base.embed_seconds += self.baseline_embeddings.document_seconds - embed_before
        self.base.files += 1
        self.base.chunks += chunks
        self.base.chars += chars

    def close(self) -> None:
        self.engine.close()


# ----------------------------------------------------------------------------------- queries


def query_worker(
    system: str, data_dir: Path, questions_file: Path, model_name: str, torch_threads: int
) -> dict[str, Any]:
    """Runs in a fresh subprocess: open the index, time every question, report peak RSS."""
    _quiet()
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
        str(Path(__file__).resolve()),
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


# ----------------------------------------------------------------------------------- the run


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


def run(args: argparse.Namespace, workdir: Path) -> list[SizeResult]:
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


# ----------------------------------------------------------------------------------- output


def markdown(results: list[SizeResult]) -> str:
    """The ingest, query and footprint tables, Luoshi beside the baseline."""
    out = [
        "**Ingest** (cumulative; `marginal` = since the previous size; chars = characters of text read)\n",
        "| chunks (Luoshi / baseline) | files | system | s | chunks/s | chars/s | marginal chars/s "
        "| embedding share | embedding-only chunks/s | BM25 rebuild share | BM25 rebuild, last file s |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        label = f"{result.luoshi_ingest['chunks']:,} / {result.baseline_ingest['chunks']:,}"
        for name, row in (("Luoshi", result.luoshi_ingest), ("baseline", result.baseline_ingest)):
            bm25 = name == "Luoshi"
            cells = [
                label,
                str(row["files"]),
                name,
                f"{row['seconds']:.0f}",
                str(row["chunks_per_s"]),
                f"{row['chars_per_s']:,.0f}",
                f"{row['marginal_chars_per_s']:,.0f}",
                _pct(row["embed_share"]),
                str(row["embed_floor_chunks_per_s"]),
                _pct(row["lexical_share"]) if bm25 else "–",
                str(row["lexical_seconds_last_file"]) if bm25 else "–",
            ]
            out.append("| " + " | ".join(cells) + " |")
    out += [
        "",
        "**Query latency** (ms; retrieval = Luoshi `retriever.search` (BM25 + dense, top 8) vs Chroma "
        "`similarity_search` (top 8); answer = the full answer)\n",
        "| chunks | system | retrieval p50 | p95 | p99 | answer p50 | p95 | p99 | answer p50 vs baseline |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        base_p50 = result.baseline_query["answer_ms"]["p50"]
        for name, row in (("Luoshi", result.luoshi_query), ("baseline", result.baseline_query)):
            r, a = row["retrieval_ms"], row["answer_ms"]
            ratio = f"×{a['p50'] / base_p50:.2f}" if base_p50 else "–"
            out.append(
                f"| {result.target:,} | {name} | {r['p50']} | {r['p95']} | {r['p99']} "
                f"| {a['p50']} | {a['p95']} | {a['p99']} | {ratio if name == 'Luoshi' else ''} |"
            )
    out += [
        "",
        "**Footprint** (index on disk; RSS of a fresh query process: peak (VmHWM), and RSS after all "
        "questions minus RSS after loading the model = what the index and query path hold)\n",
        "| chunks | corpus MB | Luoshi index MB | baseline index MB | index ratio | Luoshi peak RSS MB "
        "| baseline peak RSS MB | Luoshi RSS over model MB | baseline RSS over model MB "
        "| Luoshi open + first answer s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        d, lq, bq = result.disk, result.luoshi_query, result.baseline_query
        cells = [
            f"{result.target:,}",
            _mb(d["corpus"]),
            _mb(d["luoshi"]),
            _mb(d["baseline"]),
            f"×{d['luoshi'] / max(d['baseline'], 1):.2f}",
            f"{lq['peak_rss_mb']:.0f}",
            f"{bq['peak_rss_mb']:.0f}",
            f"{lq['rss_end_mb'] - lq['rss_after_model_mb']:.0f}",
            f"{bq['rss_end_mb'] - bq['rss_after_model_mb']:.0f}",
            str(lq["open_and_first_answer_seconds"]),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def write_json(args: argparse.Namespace, results: list[SizeResult], seconds: float) -> None:
    document = {
        "command": command_line(),
        "machine": machine(),
        "seconds": round(seconds, 1),
        "load_average_1_5_15": [round(value, 2) for value in os.getloadavg()],
        "embedding_model": args.model,
        "seed": args.seed,
        "doc_chars": args.doc_chars,
        "queries": args.queries,
        "query_torch_threads": args.torch_threads,
        "baseline": {"chunk_size": BASELINE_CHUNK_SIZE, "chunk_overlap": BASELINE_CHUNK_OVERLAP},
        "sizes": [result.to_json() for result in results],
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


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


def _rate(amount: float, seconds: float) -> float:
    return round(amount / seconds, 1) if seconds > 0 else 0.0


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole > 0 else None


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _mb(value: int) -> str:
    return f"{value / 2**20:.1f}"


def _quiet() -> None:
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger().setLevel(logging.ERROR)
    for name in ("bm25s", "chromadb", "httpx", "jieba", "sentence_transformers", "transformers"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")


# ----------------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(part) for part in text.replace("_", "").split(",") if part.strip()],
        default=list(DEFAULT_SIZES),
        help="corpus sizes in Luoshi chunks, comma-separated (default 1000,10000,50000)",
    )
    parser.add_argument("--quick", action="store_true", help="1,000 chunks only")
    parser.add_argument("--queries", type=int, default=200, help="timed questions per size (default 200)")
    parser.add_argument("--doc-chars", type=int, default=100_000, help="characters per synthetic file (default 100000)")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--model", default=PACKAGED, help="embedding model for both systems")
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=1,
        help="torch threads of the query processes (default 1: one question at a time; 0 = torch's default)",
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON)
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
    args = parse_args(argv)
    if args.query_worker:
        worker = query_worker(args.query_worker, args.data_dir, args.questions, args.model, args.torch_threads)
        print(json.dumps(worker))
        return 0
    _quiet()
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

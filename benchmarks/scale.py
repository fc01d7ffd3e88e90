"""Query latency and memory at 100k chunks on the embedded and the server backends, and what reading
the catalog generation costs each query.

For each backend (``benchmarks/backends.py``) a store of about N chunks is built from the synthetic
corpus (``benchmarks/synthetic.py``, through ``upload_latency.build_store``: the real pipeline). Then a
fresh process (so that its memory is a worker's, not the builder's) opens the store as a worker does
and times, per question: a dense search, a lexical search (words + character bigrams, as the engine
runs both), the full ``Engine.answer``, and the catalog reads the hot path makes before each dense
search (``Catalog.generation``, which ``Vectors.refresh`` compares, and ``count_chunks``).

**A stand-in embeds:** a deterministic hashing embedding of the packaged model's dimension (384,
``upload_latency.HashingEmbeddings``), so the figures are the store's, the indexes' and the answer
pipeline's, without the model (embedding one question costs ~10 ms on top, on either backend).
Upload-to-answerable at 100k is ``benchmarks/upload_latency.py``'s.

    python benchmarks/scale.py                              # 10k and 100k chunks, both backends
    python benchmarks/scale.py --chunks 10000,20000,50000,100000 --budget-minutes 45
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from benchmarks.backends import BACKENDS, Backend, backend, peak_rss_mb, percentile, rss_mb  # noqa: E402
from benchmarks.synthetic import generate, sample_questions  # noqa: E402
from benchmarks.upload_latency import MODEL, build_store  # noqa: E402

K = 8  # chunks per search, the engine's top_k
_QUESTION_DOCUMENTS = 40  # questions are drawn from the first documents of the corpus
TIMED = ("dense", "lexical", "answer", "answer_every_read", "generation", "count_chunks")


def questions(count: int, seed: int = 12) -> list[str]:
    """``count`` questions the synthetic corpus answers (seeded)."""
    documents = [document for document, _ in zip(generate(), range(_QUESTION_DOCUMENTS), strict=False)]
    return sample_questions(documents, count, seed)


def measure(data_dir: Path, setup: Backend, asked: list[str]) -> dict[str, Any]:
    """Open the store as a worker does and time each question's parts (seconds); memory in MB."""
    from bot.engine import Engine
    from bot.settings import Settings
    from vectorstore.store import Store

    started = time.perf_counter()
    store = Store(data_dir, MODEL, **setup.store_options())  # type: ignore[arg-type]
    opened = time.perf_counter() - started
    settings = Settings(
        data_dir=data_dir,
        database_url=setup.database_url,
        chroma_url=setup.chroma_url,
        lexical_index=setup.lexical,
        audit_enabled=False,
    )
    engine = Engine(store, settings)
    try:
        engine.answer(asked[0])  # loads what the first question loads (the lexical index, jieba)
        rss_open = rss_mb(os.getpid())
        reads = _generation_reads(store)
        steps: dict[str, Callable[[str], object]] = {
            "dense": lambda q: store.dense_search(q, K),
            "lexical": lambda q: (store.lexical_search(q, K), store.bigram_search(q, K)),
            "answer": engine.answer,  # the catalog generation read once per question (Catalog.one_generation)
            "answer_every_read": lambda q: engine._answer(q, None),  # as before: each cache reads it again
            "generation": lambda q: store.catalog.generation,
            "count_chunks": lambda q: store.catalog.count_chunks(),
        }
        timings: dict[str, list[float]] = {name: [] for name in TIMED}
        reads_per_answer: list[int] = []
        for number, question in enumerate(asked):
            order = list(steps)
            if number % 2:  # the two answer paths take turns going first: the second finds caches warm
                first, second = order.index("answer"), order.index("answer_every_read")
                order[first], order[second] = order[second], order[first]
            for name in order:
                step = steps[name]
                before = reads[0]
                started = time.perf_counter()
                step(question)
                timings[name].append(time.perf_counter() - started)
                if name == "answer_every_read":
                    reads_per_answer.append(reads[0] - before)
        return {
            "chunks": store.catalog.count_chunks(),
            "open_s": opened,
            "rss_open_mb": rss_open,
            "peak_rss_mb": peak_rss_mb(),
            "generation_reads_per_answer": reads_per_answer,
            "timings": timings,
        }
    finally:
        engine.close()


def _generation_reads(store: Any) -> list[int]:
    """A counter of the catalog's generation reads outside ``Catalog.one_generation`` (each reads the
    ``meta`` row)."""
    count = [0]
    get_meta = store.catalog.get_meta

    def counted(key: str) -> Any:
        count[0] += key == "generation"
        return get_meta(key)

    store.catalog.get_meta = counted
    return count


def run(sizes: list[int], names: list[str], queries: int, workdir: Path, budget: float) -> list[dict[str, Any]]:
    """Grow each backend's store through ``sizes`` (chunks), measuring it in a fresh process at each;
    a size the build would not reach within ``budget`` seconds (at the rate so far) is left out."""
    rows = []
    for name in names:
        with backend(name, workdir / f"{name}-servers") as setup:
            data_dir = workdir / name
            started, chunks = time.perf_counter(), 0
            for size in sizes:
                elapsed = time.perf_counter() - started
                if chunks and elapsed + (size - chunks) * elapsed / chunks > budget:
                    print(f"{name}: {size} chunks would overrun the build budget; stopping", file=sys.stderr)
                    break
                print(f"{setup.describe()}: building {size} chunks in {data_dir} …", file=sys.stderr, flush=True)
                embedded = workdir / "embedded"
                if name != "embedded" and not data_dir.exists() and _chunks_in(embedded) >= size:
                    chunks = _migrated(embedded, data_dir, setup)  # the same chunks, without building again
                else:
                    chunks = build_store(data_dir, size, **setup.store_options())
                built = time.perf_counter() - started
                rows.append(measured(data_dir, setup, queries) | {"backend": name, "built_s": built})
                print(tables(rows[-1:]), file=sys.stderr, flush=True)  # a run cut short keeps what it measured
    return rows


def _chunks_in(data_dir: Path) -> int:
    """How many chunks the embedded store in ``data_dir`` holds (0 if there is none)."""
    from vectorstore.catalog import CATALOG_FILE, Catalog

    if not (data_dir / CATALOG_FILE).is_file():
        return 0
    catalog = Catalog(data_dir / CATALOG_FILE)
    try:
        return catalog.count_chunks()
    finally:
        catalog.close()


def _migrated(embedded: Path, data_dir: Path, setup: Backend) -> int:
    """A copy of the embedded store moved to ``setup``'s servers by ``luoshi migrate``'s code."""
    from vectorstore.transfer import migrate_to_servers

    shutil.copytree(embedded, data_dir)
    print(f"{setup.describe()}: migrating the embedded store of {_chunks_in(data_dir)} chunks …", file=sys.stderr)
    assert setup.database_url is not None and setup.chroma_url is not None
    done = migrate_to_servers(data_dir, setup.database_url, setup.chroma_url, setup.lexical)
    print(f"  migrated {done.chunks} chunks in {done.seconds:.0f} s", file=sys.stderr, flush=True)
    return done.chunks


def measured(data_dir: Path, setup: Backend, queries: int) -> dict[str, Any]:
    """``measure`` run in a process of its own (its memory is a worker's, not the builder's)."""
    command = [sys.executable, __file__, "--measure", str(data_dir), "--queries", str(queries)]
    environment = {**os.environ, "SCALE_BACKEND": json.dumps(setup.__dict__)}
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"the measuring process failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result | {"server_rss_mb": sum(rss_mb(pid) for pid in setup.server_pids)}


def tables(rows: list[dict[str, Any]]) -> str:
    """Two Markdown tables: query latency and memory; the generation read against a dense search."""

    def ms(row: dict[str, Any], name: str, share: float) -> str:
        value = percentile(row["timings"][name], share)
        return "—" if value is None else f"{value * 1000:.1f}"

    lines = [
        "| backend | chunks | dense p50 / p95 ms | lexical p50 / p95 ms | Engine.answer p50 / p95 ms "
        "| worker RSS after open MB | worker peak RSS MB | Chroma server RSS MB | open s | build s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        server = f"{row['server_rss_mb']:.0f}" if row["server_rss_mb"] else "—"
        lines.append(
            f"| {row['backend']} | {row['chunks']:,} | {ms(row, 'dense', 0.5)} / {ms(row, 'dense', 0.95)} "
            f"| {ms(row, 'lexical', 0.5)} / {ms(row, 'lexical', 0.95)} | {ms(row, 'answer', 0.5)} / "
            f"{ms(row, 'answer', 0.95)} | {row['rss_open_mb']:.0f} | {row['peak_rss_mb']:.0f} | {server} "
            f"| {row['open_s']:.1f} | {row['built_s']:.0f} |"
        )
    lines += [
        "",
        "| backend | catalog | generation read p50 / p95 ms | count_chunks p50 ms "
        "| generation reads per answer (median, max) | dense search p50 ms | generation read / dense search "
        "| Engine.answer p50 ms: generation read by each cache → once per question |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        read = percentile(row["timings"]["generation"], 0.5) or 0.0
        dense = percentile(row["timings"]["dense"], 0.5) or 1.0
        per_answer = row["generation_reads_per_answer"]
        catalog = "PostgreSQL" if row["backend"] == "servers" else "SQLite"
        lines.append(
            f"| {row['backend']} | {catalog} | {ms(row, 'generation', 0.5)} / {ms(row, 'generation', 0.95)} "
            f"| {ms(row, 'count_chunks', 0.5)} | {statistics.median(per_answer):.0f}, {max(per_answer)} "
            f"| {dense * 1000:.1f} | {read / dense:.1%} "
            f"| {ms(row, 'answer_every_read', 0.5)} → {ms(row, 'answer', 0.5)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chunks", default="10000,100000", help="store sizes in chunks, comma-separated, growing")
    parser.add_argument("--budget-minutes", type=float, default=60.0, help="bound on each backend's build")
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated: embedded,servers")
    parser.add_argument("--queries", type=int, default=50, help="questions timed per backend")
    parser.add_argument("--workdir", type=Path, help="where the stores go (default: a temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the measuring process
    args = parser.parse_args(argv)
    if args.measure:
        setup = Backend(**{**json.loads(os.environ["SCALE_BACKEND"]), "server_pids": ()})
        print(json.dumps(measure(args.measure, setup, questions(args.queries))))
        return 0
    names = [name.strip() for name in args.backends.split(",") if name.strip()]
    before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="luoshi-scale-") as temporary:
        sizes = sorted(int(size) for size in args.chunks.split(","))
        rows = run(sizes, names, args.queries, args.workdir or Path(temporary), args.budget_minutes * 60)
    after = os.getloadavg()
    print(f"{os.cpu_count()} CPU(s); 1-minute load average {before[0]:.1f} before, {after[0]:.1f} after")
    print(f"embedding: {MODEL.name}: a hashing stand-in for the model (embedding a question excluded)")
    print(f"{args.queries} questions from the synthetic corpus, k = {K}\n")
    print(tables(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

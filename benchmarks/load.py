"""Load benchmark: K simulated cadres asking questions of N ``luoshi serve`` workers in webhook mode.

Everything runs on loopback: a fake Telegram Bot API (the tests' ``tests/telegram/fake_telegram_api``)
receives the bot's replies, and real ``luoshi serve`` processes, each on its own port, receive the
updates, POSTed round-robin as nginx would spread them. Each cadre asks a bounded sequence of questions,
one at a time (the next when the answer arrived). Measured per run: answers/s, end-to-end latency
(update POSTed → the bot's sendMessage reaching the fake API) p50/p95/p99, errors, workers' peak RSS.

The store is built once per backend from the example documents (``examples/`` and
``benchmarks/data/docs/``) with the packaged embedding model. ``--backends embedded`` (the default):
SQLite catalog and bot state, local Chroma, bm25s. ``--backends servers``: catalog, ledger and bot state
in PostgreSQL, vectors on ``chroma run``, tantivy; both servers are started for the run on 127.0.0.1
with temporary folders and stopped afterwards (``benchmarks/backends.py``). Run from a fresh clone:

    .venv/bin/python benchmarks/load.py                       # 1 and 2 workers, 16 cadres × 12 questions
    .venv/bin/python benchmarks/load.py --backends embedded,servers --workers 1,2,1,2 --json load.json
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import random
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
for folder in (REPO, REPO / "tests" / "telegram"):  # the fake Bot API and the worker harness live with the tests
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import aiohttp  # noqa: E402
from fake_telegram_api import FakeTelegramAPI  # noqa: E402
from telegram_harness import TOKEN, make_settings  # noqa: E402
from webhook_workers import Worker, post_update, start_worker, stop_worker, wait_ready  # noqa: E402

from benchmarks.backends import BACKENDS, Backend, backend, percentile, rss_mb  # noqa: E402

ERROR_REPLY = "抱歉，处理时出了点问题"
FIRST_CADRE = 500_000
DOCUMENTS = [
    REPO / "examples" / "county-plenary-speech-p2.txt",
    *sorted((REPO / "benchmarks" / "data" / "docs").glob("*")),
]
MODEL_NAME = "all-MiniLM-L6-v2 (packaged)"


@dataclass
class Run:
    """What one run (N workers, K cadres) measured."""

    workers: int
    cadres: int
    questions_per_cadre: int
    backend: str = "embedded"
    asked: int = 0
    answered: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list, repr=False)
    peak_rss_mb: list[float] = field(default_factory=list)
    error_kinds: dict[str, int] = field(default_factory=dict)
    load_average: float = 0.0  # the machine's 1-minute load average as the run ended: other work on it
    load_before: float = 0.0  # … and as it started
    worker_cpu_seconds: float = 0.0  # CPU time the workers spent during the run (user + system)

    @property
    def cpu_ms_per_answer(self) -> float | None:
        """The workers' CPU time per answer: what an answer costs, however busy the machine is."""
        return self.worker_cpu_seconds * 1000 / self.answered if self.answered else None

    @property
    def cores_used(self) -> float:
        """The workers' CPU time over the run's wall time: cores busy answering (1.0 = one core)."""
        return self.worker_cpu_seconds / self.seconds if self.seconds else 0.0

    @property
    def answers_per_second(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float | None:
        """The latency (seconds) under which ``share`` of the answers came."""
        return percentile(self.latencies, share)

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record.pop("latencies")
        return record | {
            "answers_per_second": round(self.answers_per_second, 3),
            "latency_p50_s": self.percentile(0.50),
            "latency_p95_s": self.percentile(0.95),
            "latency_p99_s": self.percentile(0.99),
            "cpu_ms_per_answer": self.cpu_ms_per_answer,
            "cores_used": round(self.cores_used, 2),
        }


def questions() -> list[str]:
    """The question pool: the examples' questions and the development set's."""
    pool = [line.strip() for line in (REPO / "examples" / "questions.txt").read_text("utf-8").splitlines()]
    with (REPO / "benchmarks" / "data" / "dev-qa.jsonl").open(encoding="utf-8") as lines:
        pool += [json.loads(line)["question"] for line in lines if line.strip()]
    return [question for question in pool if question]


def build_store(data_dir: Path, setup: Backend) -> int:
    """Ingest the example documents into ``data_dir`` on ``setup``; the number of chunks."""
    from bot.engine import Engine

    engine = Engine.open(make_settings(data_dir, **setup.settings()))
    try:
        for path in DOCUMENTS:
            engine.ingest_file(path)
        return sum(document.chunk_count for document in engine.documents())
    finally:
        engine.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux ``/proc``), 0 where unavailable."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


async def cadre(
    number: int,
    api: FakeTelegramAPI,
    session: aiohttp.ClientSession,
    workers: list[Worker],
    turn: itertools.count,
    asked: list[str],
    run: Run,
    deadline: float,
    answer_timeout: float,
) -> None:
    """One cadre: asks its questions in turn, each to the next worker, waiting for each answer."""
    user = {"id": FIRST_CADRE + number, "is_bot": False, "first_name": f"干部{number}"}
    chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    for question in asked:
        if time.monotonic() > deadline:
            return
        worker = workers[next(turn) % len(workers)]
        mark = api.mark()
        update = api.make_update({"message": api.user_message(chat, user, question)})
        run.asked += 1
        posted = time.monotonic()
        try:
            await post_update(session, worker, update)
            reply = await api.wait_for_call("sendMessage", chat_id=chat["id"], since=mark, timeout=answer_timeout)
        except (AssertionError, aiohttp.ClientError) as error:
            run.error("timeout" if "timed out" in str(error) else "post")
            continue
        if ERROR_REPLY in reply.text:
            run.error("error reply")
            continue
        run.latencies.append(reply.at - posted)
        run.answered += 1


async def warm_up(api: FakeTelegramAPI, session: aiohttp.ClientSession, workers: list[Worker], question: str) -> None:
    """One question to each worker, not measured: the first answer loads what a worker loads lazily."""
    for index, worker in enumerate(workers):
        await cadre(-1 - index, api, session, [worker], itertools.count(), [question], Run(1, 1, 1), 1e18, 300)


async def measure(
    store: Path,
    setup: Backend,
    logs: Path,
    workers_count: int,
    cadres: int,
    per_cadre: int,
    max_seconds: float,
    seed: int,
) -> Run:
    """One run: start the workers on ``store`` (on ``setup``), let the cadres ask, stop the workers."""
    run = Run(workers_count, cadres, per_cadre, setup.name)
    pool = questions()
    rng = random.Random(seed)
    sequences = [rng.sample(pool, per_cadre) for _ in range(cadres)]
    threads = max(1, (os.cpu_count() or 1) // workers_count)  # one worker process per core
    settings = {"open_to_everyone": "true", "rate_limit_per_minute": "1000", "audit_enabled": "false"}
    settings |= setup.settings()
    async with FakeTelegramAPI(token=TOKEN) as api, aiohttp.ClientSession() as session:
        workers: list[Worker] = []
        try:
            for number in range(workers_count):
                name = f"{workers_count}-{number}"
                workers.append(await start_worker(api, store, name, logs, threads=threads, **settings))
            await asyncio.gather(*(wait_ready(worker) for worker in workers))
            await warm_up(api, session, workers, pool[0])
            peaks = [0.0] * workers_count
            sampling = True

            async def sample() -> None:
                while sampling:
                    for index, worker in enumerate(workers):
                        peaks[index] = max(peaks[index], rss_mb(worker.process.pid))
                    await asyncio.sleep(0.5)

            sampler = asyncio.create_task(sample())
            cpu_before = sum(cpu_seconds(worker.process.pid) for worker in workers)
            run.load_before = round(os.getloadavg()[0], 1)
            started = time.monotonic()
            deadline = started + max_seconds
            turn = itertools.count()
            await asyncio.gather(
                *(
                    cadre(i, api, session, workers, turn, sequences[i], run, deadline, max_seconds)
                    for i in range(cadres)
                )
            )
            run.seconds = time.monotonic() - started
            run.worker_cpu_seconds = round(sum(cpu_seconds(w.process.pid) for w in workers) - cpu_before, 2)
            run.load_average = round(os.getloadavg()[0], 1)
            sampling = False
            await sampler
            run.peak_rss_mb = [round(peak, 1) for peak in peaks]
            if api.errors:
                for _ in api.errors:
                    run.error("bot API rule")
        finally:
            await asyncio.gather(*(stop_worker(worker) for worker in workers))
    return run


def table(runs: list[Run]) -> str:
    """The results as a markdown table."""

    def ms(value: float | None) -> str:
        return "—" if value is None else f"{value * 1000:.0f}"

    lines = [
        "| backend | workers | cadres | questions | answered | errors | answers/s | p50 ms | p95 ms | p99 ms "
        "| CPU ms per answer | cores used | peak RSS per worker MB | load avg before → after |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    for run in runs:
        cpu = "—" if run.cpu_ms_per_answer is None else f"{run.cpu_ms_per_answer:.0f}"
        rss = ", ".join(f"{peak:.0f}" for peak in run.peak_rss_mb)
        lines.append(
            f"| {run.backend} | {run.workers} | {run.cadres} | {run.asked} | {run.answered} | {run.errors} | "
            f"{run.answers_per_second:.2f} | {ms(run.percentile(0.5))} | {ms(run.percentile(0.95))} | "
            f"{ms(run.percentile(0.99))} | {cpu} | {run.cores_used:.2f} | {rss} | "
            f"{run.load_before:.1f} → {run.load_average:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2", help="worker counts to run in turn, e.g. 1,2 (default) or 1,2,1,2")
    parser.add_argument("--cadres", type=int, default=16, help="concurrent simulated cadres (K)")
    parser.add_argument("--questions", type=int, default=12, help="questions each cadre asks")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="bound on each run's asking")
    parser.add_argument("--backends", default="embedded", help=f"comma-separated, in turn: {', '.join(BACKENDS)}")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    counts = [int(part) for part in args.workers.split(",") if part.strip()]
    names = [name.strip() for name in args.backends.split(",") if name.strip()]
    with tempfile.TemporaryDirectory(prefix="luoshi-load-") as temporary, contextlib.ExitStack() as servers:
        folder = Path(temporary)
        setups = [servers.enter_context(backend(name, folder / f"{name}-servers")) for name in names]
        chunks = {}
        for setup in setups:
            print(f"Building the {setup.name} store from {len(DOCUMENTS)} example documents …", file=sys.stderr)
            chunks[setup.name] = build_store(folder / setup.name, setup)
        runs = []
        for count in counts:  # the backends take turns, so each count meets both under the same load
            for setup in setups:
                print(
                    f"{setup.name}: {count} worker(s), {args.cadres} cadres × {args.questions} questions …",
                    file=sys.stderr,
                )
                run = measure(
                    folder / setup.name,
                    setup,
                    folder / "logs",
                    count,
                    args.cadres,
                    args.questions,
                    args.max_seconds,
                    args.seed,
                )
                runs.append(asyncio.run(run))
    for setup in setups:
        print(f"{setup.describe()}: {chunks[setup.name]} chunks")
    print(f"model {MODEL_NAME}, {os.cpu_count()} CPU(s)\n")
    print(table(runs))
    if args.json:
        record = {
            "chunks": chunks,
            "cpus": os.cpu_count(),
            "backends": {setup.name: setup.describe() for setup in setups},
            "model": MODEL_NAME,
            "runs": [run.to_json() for run in runs],
        }
        args.json.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0 if all(run.errors == 0 for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())

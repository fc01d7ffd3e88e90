"""What a channel adds to an answer: the same questions answered by the engine (the baseline), by the desk
(rate limit, follow-up memory, audit), over HTTP by ``POST /v1/ask`` and by the OpenAI-compatible
``/v1/chat/completions``, in one process, in turn, over the example speech. Prints a table of medians and
95th percentiles, and each channel's median as a ratio of the engine's.

    python benchmarks/channels.py --rounds 5
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `import common` from benchmarks/; each script has the same lines
    sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import uvicorn  # noqa: E402

from benchmarks.common import load_model, quiet  # noqa: E402
from bot.api.app import create_app  # noqa: E402
from bot.audit import Actor, Channel  # noqa: E402
from bot.desk import Desk  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.settings import ApiKey, Settings  # noqa: E402

EXAMPLE = REPO / "examples" / "county-plenary-speech-p2.txt"
QUESTIONS = (REPO / "examples" / "questions.txt").read_text(encoding="utf-8").splitlines()
KEY = ApiKey("benchmark-key-0001", "reader", "bench")


@contextmanager
def served(app: object) -> Iterator[str]:
    """``app`` under uvicorn on a free port of 127.0.0.1, in a thread; its base URL."""
    listener = socket.create_server(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join()


def timed(ask: Callable[[str], object], questions: list[str]) -> list[float]:
    """Milliseconds per question."""
    times = []
    for question in questions:
        started = time.perf_counter()
        ask(question)
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(rounds: int) -> dict[str, list[float]]:
    """Each channel's times over ``rounds`` passes of the example questions, the channels taking turns."""
    settings = Settings(
        data_dir=Path(tempfile.mkdtemp(prefix="luoshi-channels-")),
        api_keys=(KEY,),
        rate_limit_per_minute=10_000,
        audit_enabled=True,
        _env_file=None,
    )
    desk = Desk.open(settings, Engine.open(settings, load_model()))
    desk.engine.ingest_file(EXAMPLE)
    actor = Actor(Channel.HTTP, "bench")
    headers = {"Authorization": f"Bearer {KEY.secret}"}
    times: dict[str, list[float]] = {"engine": [], "desk": [], "POST /v1/ask": [], "/v1/chat/completions": []}
    try:
        with served(create_app(settings, desk)) as base, httpx.Client(base_url=base, headers=headers) as http:

            def over_http(question: str) -> None:
                http.post("/v1/ask", json={"question": question}).raise_for_status()

            def chat(question: str) -> None:
                body = {"model": "luoshi", "messages": [{"role": "user", "content": question}]}
                http.post("/v1/chat/completions", json=body).raise_for_status()

            channels: dict[str, Callable[[str], object]] = {
                "engine": lambda question: desk.engine.answer(question),
                "desk": lambda question: desk.ask(actor, question),
                "POST /v1/ask": over_http,
                "/v1/chat/completions": chat,
            }
            timed(over_http, QUESTIONS)  # warm-up: jieba, the model, the HTTP connection
            for _ in range(rounds):
                for name, ask in channels.items():
                    times[name] += timed(ask, QUESTIONS)
    finally:
        desk.close()
    return times


def table(times: dict[str, list[float]]) -> str:
    """A markdown table: questions, p50 and p95 in ms, and the p50 as a ratio of the engine's."""
    baseline = statistics.median(times["engine"])
    lines = ["| channel | questions | p50 ms | p95 ms | p50 vs engine |", "|---|---:|---:|---:|---:|"]
    for name, measured in times.items():
        p50, p95 = statistics.median(measured), statistics.quantiles(measured, n=20)[-1]
        lines.append(f"| {name} | {len(measured)} | {p50:.1f} | {p95:.1f} | ×{p50 / baseline:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="passes over the example questions per channel")
    args = parser.parse_args(argv)
    quiet()
    print(table(run(args.rounds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

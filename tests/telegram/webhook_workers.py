"""Several real ``luoshi serve`` processes in webhook mode on one data directory, against one fake Bot API.

Each worker listens on its own port on 127.0.0.1, as behind a reverse proxy; a test (or the load
benchmark) POSTs updates to whichever worker it likes, standing in for nginx, and reads the replies
from the fake Bot API.

    async with FakeTelegramAPI(token=TOKEN) as api, webhook_workers(api, data_dir, 2, logs) as workers:
        await post_update(workers[0], api.make_update({"message": ...}))
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from fake_telegram_api import FakeTelegramAPI
from telegram_harness import ADMIN, CADRE, MODEL_PATH, REPO, TOKEN

WEBHOOK_PATH = "hook-5e1d"
STARTUP_SECONDS = 240.0  # a worker loads torch and the model; the machine may be busy


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Worker:
    """One ``luoshi serve`` process and where it listens."""

    name: str
    port: int
    process: asyncio.subprocess.Process
    log: Path
    secret: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{WEBHOOK_PATH}"

    def log_tail(self, characters: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-characters:] if self.log.exists() else ""


def worker_env(api: FakeTelegramAPI, data_dir: Path, port: int | None, **settings: str) -> dict[str, str]:
    """The environment of one worker: the fake Bot API, the test users, and webhook mode on ``port``
    (``None``: polling, as ``luoshi serve`` without a webhook URL). Only ``LUOSHI_*`` from the caller's
    environment is dropped, so a ``.env``-free, reproducible worker starts.

    >>> worker_env(api, tmp_path / "data", None)["LUOSHI_DATA_DIR"]  # doctest: +SKIP
    '/tmp/.../data'
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("LUOSHI_")}
    env.update(
        LUOSHI_TELEGRAM_TOKEN=TOKEN,
        LUOSHI_TELEGRAM_BASE_URL=api.base_url,
        LUOSHI_DATA_DIR=str(data_dir),
        LUOSHI_EMBEDDING_MODEL=MODEL_PATH,
        LUOSHI_ADMIN_IDS=str(ADMIN["id"]),
        LUOSHI_ALLOWED_USER_IDS=str(CADRE["id"]),
        HF_HUB_OFFLINE="1",
        PYTHONPATH=str(REPO),
    )
    if port is not None:
        env.update(
            LUOSHI_WEBHOOK_URL="https://bot.example.org/luoshi",
            LUOSHI_WEBHOOK_PATH=WEBHOOK_PATH,
            LUOSHI_WEBHOOK_LISTEN="127.0.0.1",
            LUOSHI_WEBHOOK_PORT=str(port),
        )
    env.update({f"LUOSHI_{key.upper()}": value for key, value in settings.items()})
    return env


def default_secret() -> str:
    """The webhook secret every worker derives from the bot token when none is configured."""
    from bot.telegram.app import derived_secret  # only where the workers derive it

    return derived_secret(TOKEN)


async def start_worker(
    api: FakeTelegramAPI, data_dir: Path, name: str, logs: Path, *, threads: int | None = None, **settings: str
) -> Worker:
    """Start ``luoshi serve`` (not waiting for it to be ready: see ``wait_ready``)."""
    port = free_port()
    env = worker_env(api, data_dir, port, **settings)
    if threads is not None:  # a worker's share of the cores: torch, and the BLAS libraries under it
        env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads), LUOSHI_TORCH_THREADS=str(threads))
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"worker-{name}.log"
    with log.open("wb") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "from bot.cli import app; app()",
            "serve",
            cwd=logs,  # no .env there
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )
    secret = settings.get("webhook_secret_token") or default_secret()
    return Worker(name, port, process, log, secret)


async def wait_ready(worker: Worker, timeout: float = STARTUP_SECONDS) -> None:
    """Until the worker's webhook answers (a POST without the secret gets 403, and changes nothing)."""
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        while True:
            if worker.process.returncode is not None:
                raise AssertionError(f"worker {worker.name} exited {worker.process.returncode}:\n{worker.log_tail()}")
            with contextlib.suppress(aiohttp.ClientError):
                async with session.post(worker.url, json={"update_id": 0}) as response:
                    if response.status == 403:
                        return
            if time.monotonic() > deadline:
                raise AssertionError(f"worker {worker.name} not ready in {timeout:.0f} s:\n{worker.log_tail()}")
            await asyncio.sleep(0.5)


async def stop_worker(worker: Worker, timeout: float = 120.0) -> int:
    """SIGTERM, as systemd stops it; SIGKILL if it does not exit in time. Its exit code."""
    if worker.process.returncode is None:
        worker.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(worker.process.wait(), timeout)
        except TimeoutError:
            worker.process.kill()
            await worker.process.wait()
    assert worker.process.returncode is not None
    return worker.process.returncode


@contextlib.asynccontextmanager
async def webhook_workers(
    api: FakeTelegramAPI, data_dir: Path, count: int, logs: Path, **settings: Any
) -> AsyncIterator[list[Worker]]:
    """``count`` workers on ``data_dir``, started together and ready; stopped (SIGTERM) at the end."""
    workers: list[Worker] = []
    try:
        for number in range(count):
            name = "AB"[number] if count <= 2 else str(number)
            workers.append(await start_worker(api, data_dir, name, logs, **settings))
        await asyncio.gather(*(wait_ready(worker) for worker in workers))
        yield workers
    finally:
        await asyncio.gather(*(stop_worker(worker) for worker in workers))


async def post_update(session: aiohttp.ClientSession, worker: Worker, update: dict[str, Any]) -> None:
    """POST an update to a worker as Telegram (through the proxy) would; it must be accepted."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": worker.secret}
    async with session.post(worker.url, json=update, headers=headers) as response:
        assert response.status == 200, f"worker {worker.name} answered {response.status}: {await response.text()}"


def button_update(api: FakeTelegramAPI, user: dict[str, Any], bot_message: dict[str, Any], data: str) -> dict[str, Any]:
    """The update for a press of an inline button under ``bot_message`` (not queued: to POST it)."""
    current = api.messages[(bot_message["chat"]["id"], bot_message["message_id"])]
    return api.make_update(
        {
            "callback_query": {
                "id": f"Q{time.monotonic_ns()}",
                "from": user,
                "message": {key: value for key, value in current.items() if key != "html"},
                "chat_instance": f"CI{bot_message['chat']['id']}",
                "data": data,
            }
        }
    )

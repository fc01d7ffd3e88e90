"""``luoshi api`` as operators run it: a real process on a real data folder. It refuses to start without keys,
with an invalid key or on a classified store (English, exit 2, no traceback, no key echoed); it serves the
same answer object as ``luoshi ask --json`` for the same question, audits it as channel "http", and shuts
down cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.audit import read_entries
from tests.api.harness import LEAD_QUESTION, READER_KEY
from tests.conftest import REPO, cli_ingested, luoshi
from tests.servers_chroma import free_port
from vectorstore.embeddings import packaged_model_path

KEYS = f"{READER_KEY}:reader:portal"
START_LIMIT = 180.0  # seconds the process may take to load the model and listen (not a timing assertion)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cli_ingested(tmp_path_factory.mktemp("data"))


@pytest.fixture
def api_process(data_dir: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen, str, Path]]:
    """`luoshi api` on a free port: the process, its base URL and its log."""
    port = free_port()
    env = {
        **os.environ,
        "LUOSHI_DATA_DIR": str(data_dir),
        "LUOSHI_EMBEDDING_MODEL": str(packaged_model_path()),
        "LUOSHI_API_KEYS": KEYS,
        "LUOSHI_API_PORT": str(port),
        "HF_HUB_OFFLINE": "1",
    }
    log = tmp_path / "api.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import app; app()", "api"],
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_listening(process, url, log)
        yield process, url, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def _wait_until_listening(process: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"luoshi api exited with {process.returncode}: {log.read_text(errors='replace')}")
        try:
            httpx.get(f"{url}/openapi.json", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"luoshi api did not listen: {log.read_text(errors='replace')}")


def test_the_api_answers_as_luoshi_ask_json(api_process: tuple[subprocess.Popen, str, Path], data_dir: Path) -> None:
    process, url, log = api_process
    headers = {"Authorization": f"Bearer {READER_KEY}"}
    served = httpx.post(f"{url}/v1/ask", json={"question": LEAD_QUESTION}, headers=headers, timeout=120).json()
    cli = luoshi(data_dir, "ask", "--json", LEAD_QUESTION)
    assert cli.returncode == 0, cli.stderr
    assert served == json.loads(cli.stdout)
    assert served["found"] and "李新" in served["answer"] and len(served["citations"]) == 1
    entries = [e for e in read_entries(data_dir / "audit" / "audit.jsonl") if e["event"] == "question"]
    assert [(e["channel"], e["user"]) for e in entries][-2:] == [("http", "portal"), ("cli", entries[-1]["user"])]
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once shut down
    assert "Application shutdown complete" in log.read_text(errors="replace")


def test_no_keys_is_refused(data_dir: Path) -> None:
    result = luoshi(data_dir, "api", env={"LUOSHI_API_KEYS": ""})
    assert result.returncode == 2
    assert "no API keys configured" in result.stderr and "Traceback" not in result.stderr


def test_an_invalid_key_setting_is_refused_without_echoing_it(data_dir: Path) -> None:
    result = luoshi(data_dir, "api", env={"LUOSHI_API_KEYS": "tiny-k:reader"})
    assert result.returncode == 2
    assert "LUOSHI_API_KEYS" in result.stderr and "tiny-k" not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_a_classified_store_is_not_served(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("机密★1年\n关于维稳预案的通知\n一、由县应急管理局牵头，完成隐患排查。\n", encoding="utf-8")
    data = tmp_path / "data"
    assert luoshi(data, "ingest", str(secret), env={"LUOSHI_ALLOW_CLASSIFIED": "true"}).returncode == 0
    result = luoshi(data, "api", env={"LUOSHI_API_KEYS": KEYS, "LUOSHI_API_PORT": str(free_port())})
    assert result.returncode == 2
    assert "classified" in result.stderr and "Traceback" not in result.stderr

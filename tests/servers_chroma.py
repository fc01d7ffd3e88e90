"""A real Chroma server for tests: ``chroma run`` (it ships with chromadb) on 127.0.0.1.

``chroma_server`` starts one per test session on a free port with a temporary folder, waits for its
heartbeat and stops it at the end; every store opened on it has its own collection (named after the
store id a new catalog gets), so tests do not see each other's vectors.

A module marked ``both_backends`` (see conftest) runs its stores on it in the ``[servers]`` runs.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

VECTORS_BACKENDS = ("embedded", "server")
_START_SECONDS = 60


def chroma_command() -> str:
    """The ``chroma`` command of this interpreter's environment."""
    beside = Path(sys.executable).parent / "chroma"
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if found is None:
        raise RuntimeError("the `chroma` command (from chromadb) is not installed")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_chroma(folder: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """Start ``chroma run`` on ``folder`` and wait for its heartbeat; the process and its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [chroma_command(), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + _START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chroma run exited with {process.returncode}: {log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop_chroma(process)
    raise RuntimeError(f"chroma run did not answer within {_START_SECONDS} s: {log.read_text(errors='replace')}")


def stop_chroma(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a ``chroma run`` on 127.0.0.1 that lives for the test session."""
    folder = tmp_path_factory.mktemp("chroma-server")
    process, url = start_chroma(folder / "data", folder / "chroma.log")
    yield url
    stop_chroma(process)

"""The API served for real: :func:`create_app` under uvicorn on a loopback socket of its own (a free port the
kernel picks), in a thread; httpx clients with a key. Used by tests/api/conftest.py's fixtures."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn

from bot.api.app import create_app
from bot.audit import read_entries
from bot.desk import Desk
from bot.engine import Engine
from bot.settings import ApiKey, Settings
from tests.conftest import EXAMPLE_SPEECH
from vectorstore.embeddings import EmbeddingModel

READER_KEY = "reader-key-0001"
ADMIN_KEY = "admin-key-00001"
KEYS = (ApiKey(READER_KEY, "reader", "portal"), ApiKey(ADMIN_KEY, "admin", "office"))
LEAD_QUESTION = "谁牵头加强社会治安防控体系建设？"
STARTUP_LIMIT = 60.0  # seconds a server may take to start before the test fails (not a timing assertion)


@dataclass
class ServedApi:
    """A running API: its address, its desk and settings."""

    base_url: str
    desk: Desk
    settings: Settings

    def client(self, key: str | None = READER_KEY, **headers: str) -> httpx.Client:
        """An httpx client for the API, with ``key`` as a Bearer token (none if None)."""
        if key is not None:
            headers = {"Authorization": f"Bearer {key}", **headers}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=120.0)

    def audit(self) -> list[dict]:
        """The audit trail's entries so far."""
        return list(read_entries(self.settings.audit_file))

    def document_ids(self) -> list[str]:
        return [record.doc_id for record in self.desk.engine.documents()]


def api_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings of a test API over ``data_dir`` (SQLite catalog, embedded vectors) with the two test keys."""
    values: dict[str, object] = {"data_dir": data_dir, "database_url": None, "chroma_url": None, "api_keys": KEYS}
    return Settings(**(values | overrides))


def ingest_example(data_dir: Path, model: EmbeddingModel) -> Path:
    """``data_dir`` with the example speech ingested."""
    engine = Engine.open(api_settings(data_dir), model)
    engine.ingest_file(EXAMPLE_SPEECH)
    engine.close()
    return data_dir


@contextmanager
def serve_api(settings: Settings, model: EmbeddingModel) -> Iterator[ServedApi]:
    """Serve the API over ``settings.data_dir`` until the block ends; the desk is closed afterwards."""
    desk = Desk.open(settings, Engine.open(settings, model))
    try:
        app = create_app(settings, desk)
        with serve_app(app) as base_url:
            yield ServedApi(base_url, desk, settings)
    finally:
        desk.close()


@contextmanager
def serve_app(app: object) -> Iterator[str]:
    """Run an ASGI ``app`` under uvicorn on 127.0.0.1 in a thread; yields its base URL."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_LIMIT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test API server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join()
        listener.close()

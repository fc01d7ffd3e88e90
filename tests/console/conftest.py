"""Fixtures of the console tests: the API's app (``create_app``, with the console's router) over a real store
in a temporary folder, with the packaged embedding model, served over loopback HTTP by the API tests' harness
with an admin and a reader key; headless Chromium; and the folder screenshots go to (``LUOSHI_TEST_ARTIFACTS``,
default ``test-artifacts/``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from bot.desk import Desk
from tests.api.harness import KEYS, api_settings, serve_api
from tests.conftest import EXAMPLE_SPEECH, REPO
from tests.console.browser import open_browser, require_browser
from vectorstore.embeddings import EmbeddingModel, packaged_model_path

READER, ADMIN = KEYS  # the API tests' keys: "portal" reads, "office" also uploads and removes


@dataclass(frozen=True)
class Console:
    """A running console: its base URL, an API client for each key, and the desk it serves."""

    url: str
    admin: httpx.Client
    reader: httpx.Client
    desk: Desk

    def ensure_speech(self) -> dict:
        """Upload the example speech as the admin (the store keeps one copy); the upload's JSON."""
        with EXAMPLE_SPEECH.open("rb") as file:
            response = self.admin.post("/v1/documents", files={"file": (EXAMPLE_SPEECH.name, file, "text/plain")})
        assert response.status_code == 201, response.text
        return response.json()


@contextmanager
def running_console(data_dir: Path, embedding_model: EmbeddingModel, **overrides: object) -> Iterator[Console]:
    """The API with the console on a free 127.0.0.1 port, over the store in ``data_dir``, until the block ends."""
    settings = api_settings(data_dir, embedding_model=str(packaged_model_path()), **overrides)
    with serve_api(settings, embedding_model) as api:
        clients = [api.client(key.secret) for key in (ADMIN, READER)]
        yield Console(api.base_url, *clients, api.desk)
        for client in clients:
            client.close()


@pytest.fixture(scope="module")
def console(embedding_model: EmbeddingModel, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """A console over an empty store (one per test module)."""
    with running_console(tmp_path_factory.mktemp("console-data"), embedding_model) as running:
        yield running


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    """Headless Chromium at desktop size; downloads go to ``tmp_path / "downloads"``."""
    require_browser()
    driver = open_browser(tmp_path / "downloads")
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where the console tests put their screenshots."""
    folder = Path(os.environ.get("LUOSHI_TEST_ARTIFACTS") or REPO / "test-artifacts") / "console"
    folder.mkdir(parents=True, exist_ok=True)
    return folder

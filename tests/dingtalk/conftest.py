"""Fixtures for the DingTalk tests: one real desk over a real store (the example speech, the packaged model)
and the fake DingTalk, per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.desk import Desk
from bot.engine import Engine
from tests.conftest import EXAMPLE_SPEECH
from tests.dingtalk.fake_dingtalk import FakeDingTalk
from tests.dingtalk.harness import APP_SECRET, dingtalk_settings
from vectorstore.embeddings import EmbeddingModel


@pytest.fixture(scope="module")
def dingtalk() -> Iterator[FakeDingTalk]:
    """The fake DingTalk, serving sessionWebhooks on loopback."""
    with FakeDingTalk(APP_SECRET) as fake:
        yield fake


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dingtalk-data")


@pytest.fixture(scope="module")
def desk(data_dir: Path, dingtalk: FakeDingTalk, embedding_model: EmbeddingModel) -> Iterator[Desk]:
    """A real desk with the example speech ingested."""
    settings = dingtalk_settings(data_dir, dingtalk.base_url)
    engine = Engine.open(settings, embedding_model)
    engine.ingest_file(EXAMPLE_SPEECH)
    desk = Desk.open(settings, engine)
    yield desk
    desk.close()

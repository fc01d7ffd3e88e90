"""Fixtures for the Telegram tests: one real engine over a real store per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from telegram_harness import SPEECH, make_settings

from bot.engine import Engine


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """One real engine per module (loading the model takes seconds), with the example speech."""
    if not SPEECH.is_file():
        pytest.fail(f"example speech missing: {SPEECH}")
    data_dir = tmp_path_factory.mktemp("luoshi-data")
    engine = Engine.open(make_settings(data_dir))
    engine.ingest_file(SPEECH)
    yield engine
    engine.close()

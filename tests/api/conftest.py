"""Fixtures of the API tests: the example speech's data folder and APIs served over it on loopback."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.api.harness import ServedApi, api_settings, ingest_example, serve_api
from vectorstore.embeddings import EmbeddingModel


@pytest.fixture(scope="module")
def example_api(embedding_model: EmbeddingModel, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApi]:
    """An API over the example speech, shared by a module's tests (that do not change the store)."""
    data_dir = ingest_example(tmp_path_factory.mktemp("example-api"), embedding_model)
    with serve_api(api_settings(data_dir), embedding_model) as api:
        yield api


@pytest.fixture
def open_api(embedding_model: EmbeddingModel, tmp_path: Path) -> Iterator[Callable[..., ServedApi]]:
    """Serve an API of the test's own: ``open_api(example=True, rate_limit_per_minute=1, …)``; an empty store
    unless ``example``. Stopped at the end of the test."""
    numbers = itertools.count()
    with ExitStack() as stack:

        def factory(*, example: bool = False, **settings: object) -> ServedApi:
            data_dir = tmp_path / f"data-{next(numbers)}"
            data_dir.mkdir()
            if example:
                ingest_example(data_dir, embedding_model)
            return stack.enter_context(serve_api(api_settings(data_dir, **settings), embedding_model))

        yield factory

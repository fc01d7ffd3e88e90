"""Loading the embedding model: local paths, the explicit offline fallback, query instructions."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest
import torch

from bot.engine import Engine
from bot.settings import Settings
from vectorstore.embeddings import FALLBACK_MODEL_NAME, load_embedding_model, packaged_model_path


def test_unavailable_model_falls_back_to_the_packaged_one_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with caplog.at_level(logging.WARNING, logger="vectorstore.embeddings"):
        model = load_embedding_model("no-such-org/no-such-model")
    assert model.is_fallback and model.name == FALLBACK_MODEL_NAME and model.dimension == 384
    assert any("falling back" in record.message and "no-such-model" in record.message for record in caplog.records)


def test_packaged_path_is_recorded_under_its_hub_name() -> None:
    model = load_embedding_model(str(packaged_model_path()))
    assert model.name == FALLBACK_MODEL_NAME and not model.is_fallback


def test_bge_query_instruction_goes_on_queries_only(tmp_path: Path) -> None:
    """A local copy named like bge-small-zh gets the retrieval instruction on queries, not passages."""
    local = shutil.copytree(packaged_model_path(), tmp_path / "bge-small-zh-v1.5")
    model = load_embedding_model(str(local))
    assert model.name == "bge-small-zh-v1.5"
    text = "由李新同志牵头，县公安部门要加强社会治安防控体系建设。"
    query = np.array(model.embeddings.embed_query(text))
    passage = np.array(model.embeddings.embed_documents([text])[0])
    assert not np.allclose(query, passage)  # the instruction changed the query vector
    plain = load_embedding_model(str(packaged_model_path())).embeddings
    assert np.allclose(plain.embed_query(text), plain.embed_documents([text])[0], atol=1e-5)


def test_torch_threads_setting_applies_when_the_engine_opens(
    monkeypatch: pytest.MonkeyPatch, embedding_model, tmp_path: Path
) -> None:
    monkeypatch.setenv("LUOSHI_TORCH_THREADS", "1")
    before = torch.get_num_threads()
    try:
        engine = Engine.open(Settings(data_dir=tmp_path / "data"), embedding_model)
        engine.close()
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)

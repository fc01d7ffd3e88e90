"""Vectors embedded in the data directory or on a Chroma server: every process sees what another
committed, without restart; a stale process never damages them; the model check and the operator
commands work on both."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine
from ingest.pipeline import ingest_file
from tests.conftest import EXAMPLE_SPEECH, REPO, luoshi
from tests.servers_chroma import VECTORS_BACKENDS, free_port
from tests.test_store import big_document
from tests.vector_writer import hashing_model
from vectorstore.catalog import CATALOG_FILE, Catalog
from vectorstore.embeddings import EmbeddingModel
from vectorstore.health import inspect
from vectorstore.store import ModelMismatchError, Store
from vectorstore.vectors import STORE_ID_META, VectorsUnavailableError

NEW_TEXT = "关于推进智慧农业示范园建设的通知\n一、由县农业农村局牵头，负责智慧农业示范园的规划建设，2025年6月底前完成。"
NEW_QUESTION = "智慧农业示范园建设由谁牵头？"


def _env(chroma_url: str | None) -> dict[str, str]:
    return {"LUOSHI_CHROMA_URL": chroma_url} if chroma_url else {}


@pytest.mark.parametrize("vectors_backend", VECTORS_BACKENDS)
def test_a_store_opened_earlier_finds_what_another_process_committed(
    make_engine: Callable[..., Engine], tmp_path: Path, chroma_url: str | None
) -> None:
    """Process B (this one) has the store open and has searched it; process A (`luoshi ingest`)
    commits a document; B's dense search finds A's vectors and B answers from them, unrestarted."""
    data_dir = tmp_path / "data"
    engine = make_engine(data_dir)
    engine.ingest_file(EXAMPLE_SPEECH)
    assert not engine.answer(NEW_QUESTION).found  # B's Chroma has loaded its index
    new = tmp_path / "new.txt"
    new.write_text(NEW_TEXT, encoding="utf-8")
    result = luoshi(data_dir, "ingest", str(new), env=_env(chroma_url))
    assert result.returncode == 0, result.stderr
    new_doc = next(d.doc_id for d in engine.documents() if "智慧农业" in d.title)
    new_ids = set(engine.store.catalog.chunk_ids(new_doc))
    everything = engine.store.catalog.count_chunks()
    found = {hit.chunk.chunk_id for hit in engine.store.dense_search(NEW_QUESTION, everything)}
    assert new_ids <= found
    answer = engine.answer(NEW_QUESTION)
    assert answer.found and "县农业农村局" in answer.answer


def test_a_stale_process_writing_does_not_damage_what_another_wrote(tmp_path: Path) -> None:
    """Embedded Chroma keeps its index in memory per process. A process that opened the store, then
    writes after another process wrote (enough vectors that Chroma saves its index to disk), must
    not save its stale index over the other's: every vector stays findable."""
    data_dir = tmp_path / "data"
    store = Store(data_dir, hashing_model())
    try:
        ingest_file(store, big_document(tmp_path / "first.txt", paragraphs=1100), max_bytes=10**8)
        assert store.dense_search("第1项重点工作", 3)
        other = big_document(tmp_path / "second.txt", paragraphs=1150)
        writer = subprocess.run(
            [sys.executable, "-m", "tests.vector_writer", str(data_dir), str(other)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert writer.stdout.strip() == "added", writer.stderr
        ingest_file(store, big_document(tmp_path / "third.txt", paragraphs=1200), max_bytes=10**8)
    finally:
        store.close()
    health = inspect(data_dir)
    assert health.ok, "\n".join(health.report())
    assert health.vectors == health.chunks > 3000


def test_the_model_check_on_a_server(
    make_engine: Callable[..., Engine], embedding_model: EmbeddingModel, tmp_path: Path, chroma_server: str
) -> None:
    """A store refuses another model, from its catalog; and a collection on the server refuses a store
    of another model that claims it (a copied data directory)."""
    data_dir = tmp_path / "data"
    engine = make_engine(data_dir, chroma_url=chroma_server)
    engine.ingest_file(EXAMPLE_SPEECH)
    other = EmbeddingModel("BAAI/bge-small-zh-v1.5", 512, embedding_model.embeddings)
    with pytest.raises(ModelMismatchError) as error:
        Store(data_dir, other, chroma_server)
    assert "all-MiniLM-L6-v2" in str(error.value) and "bge-small-zh" in str(error.value)
    copy = tmp_path / "copy"
    copy.mkdir()
    catalog = Catalog(copy / CATALOG_FILE)
    catalog.set_meta(STORE_ID_META, engine.store.catalog.get_meta(STORE_ID_META))
    catalog.close()
    with pytest.raises(ModelMismatchError):
        Store(copy, other, chroma_server)


def test_two_stores_share_a_server_without_mixing(
    make_engine: Callable[..., Engine], tmp_path: Path, chroma_server: str
) -> None:
    first = make_engine(tmp_path / "first", chroma_url=chroma_server)
    second = make_engine(tmp_path / "second", chroma_url=chroma_server)
    first.ingest_file(EXAMPLE_SPEECH)
    new = tmp_path / "new.txt"
    new.write_text(NEW_TEXT, encoding="utf-8")
    second.ingest_file(new)
    for engine in (first, second):
        assert sorted(engine.store.vectors.ids()) == sorted(engine.store.catalog.chunk_ids())


def test_check_repairs_and_backup_refuses_on_a_server(
    make_engine: Callable[..., Engine], tmp_path: Path, chroma_server: str
) -> None:
    data_dir = tmp_path / "data"
    engine = make_engine(data_dir, chroma_url=chroma_server)
    engine.ingest_file(EXAMPLE_SPEECH)
    assert inspect(data_dir, chroma_server).ok
    lost = engine.store.catalog.chunk_ids()[:2]
    engine.store.vectors.delete(lost)
    env = _env(chroma_server)
    checked = luoshi(data_dir, "check", env=env)
    assert checked.returncode == 1 and "2 chunks have no vector" in checked.stdout
    repaired = luoshi(data_dir, "check", "--repair", env=env)
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert sorted(engine.store.vectors.ids()) == sorted(engine.store.catalog.chunk_ids())
    backup = luoshi(data_dir, "backup", str(tmp_path / "backup"), env=env)
    assert backup.returncode == 1 and "Chroma server" in backup.stderr and "chroma run" in backup.stderr
    assert not (tmp_path / "backup").exists()


def test_an_unreachable_server_is_said_plainly(
    make_engine: Callable[..., Engine], embedding_model, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    make_engine(data_dir).ingest_file(EXAMPLE_SPEECH)
    nowhere = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(VectorsUnavailableError, match="cannot be reached"):
        Store(tmp_path / "other", embedding_model, nowhere)
    health = inspect(data_dir, nowhere)
    assert [problem.kind for problem in health.problems] == ["vectors_unreachable"]
    result = luoshi(data_dir, "ask", "谁牵头？", env=_env(nowhere))
    assert result.returncode == 2 and "cannot be reached" in result.stderr

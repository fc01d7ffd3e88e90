"""Ingest is idempotent and atomic; the three stores never disagree."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from bot.engine import Engine
from ingest.errors import IngestError
from ingest.language.tokens import bigrams
from ingest.pipeline import MetadataOverrides
from tests.conftest import EXAMPLE_SPEECH, REPO
from vectorstore import lexical as lexical_module
from vectorstore.catalog import Catalog, catalog_location
from vectorstore.embeddings import EmbeddingModel, packaged_model_path
from vectorstore.lexical import LexicalIndex, TokenCache
from vectorstore.marker import WriteMarker
from vectorstore.store import ModelMismatchError, Store

pytestmark = pytest.mark.both_backends


def snapshot(store: Store) -> dict:
    """Everything a user could observe of a store, plus the derived indexes' ids."""
    documents = [(d.doc_id, d.content_hash, d.chunk_count) for d in store.documents()]
    lexical = store.lexical  # what readers use: the published index, caught up if it lags the catalog
    return {
        "documents": sorted(documents),
        "chunks": sorted(store.catalog.chunk_ids()),
        "vectors": sorted(store.vectors.get(include=[])["ids"]),
        "bm25": sorted(lexical.chunk_ids),
        "bigrams": lexical.bigram_search(bigrams("项目资金保障"), 5),
        "generation": store.catalog.generation,
    }


def assert_consistent(store: Store) -> None:
    state = snapshot(store)
    assert state["chunks"] == state["vectors"] == state["bm25"]
    for doc_id, _, chunk_count in state["documents"]:
        assert len(store.catalog.chunk_ids(doc_id)) == chunk_count


def big_document(path: Path, paragraphs: int = 300) -> Path:
    units = ["县发改局", "县财政局", "县应急管理局", "各乡镇（街道）", "县住建局", "县农业农村局"]
    lines = ["某县重点工作推进会讲话"]
    for number in range(paragraphs):
        unit = units[number % len(units)]
        lines.append(
            f"（{'一二三四五六七八九十'[number % 10]}）第{number}项重点工作。"
            f"由{unit}牵头，相关部门要在{number % 12 + 1}月底前"
            f"完成第{number}批项目的谋划储备，确保资金到位、责任到人；对进度滞后的，要限期整改，并每季度报告进展情况。"
        )
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_reingest_same_content_changes_nothing(make_engine, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    first = engine.ingest_file(EXAMPLE_SPEECH)
    before = snapshot(engine.store)
    again = engine.ingest_file(EXAMPLE_SPEECH)
    assert (first.status, again.status) == ("added", "unchanged")
    assert again.doc_id == first.doc_id
    assert snapshot(engine.store) == before


def test_same_content_under_another_name_is_a_duplicate(make_engine, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    first = engine.ingest_file(EXAMPLE_SPEECH)
    copy = tmp_path / "copy.txt"
    copy.write_bytes(EXAMPLE_SPEECH.read_bytes())
    report = engine.ingest_file(copy)
    assert report.status == "duplicate" and report.doc_id == first.doc_id
    assert len(engine.documents()) == 1


def test_changed_file_replaces_its_old_version(make_engine, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    path = tmp_path / "speech.txt"
    path.write_text("一、工作要求\n由县发改局牵头，各乡镇要做好项目谋划。", encoding="utf-8")
    first = engine.ingest_file(path)
    path.write_text("一、工作要求\n由县财政局牵头，各乡镇要做好资金保障。", encoding="utf-8")
    second = engine.ingest_file(path)
    assert second.status == "replaced" and second.doc_id == first.doc_id
    assert len(engine.documents()) == 1
    assert_consistent(engine.store)
    answer = engine.answer("资金保障由谁牵头？")
    assert answer.found and "县财政局" in answer.answer
    assert "发改局" not in engine.answer("项目谋划由谁牵头？").answer


def test_remove_deletes_everywhere(make_engine) -> None:
    engine: Engine = make_engine()
    report = engine.ingest_file(EXAMPLE_SPEECH)
    assert engine.remove(report.doc_id)
    assert not engine.remove(report.doc_id)
    state = snapshot(engine.store)
    assert state["documents"] == state["chunks"] == state["vectors"] == state["bm25"] == []
    assert not engine.answer("谁牵头加强社会治安防控体系建设？").found


def test_failed_ingest_leaves_the_store_exactly_as_it_was(make_engine, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    engine.ingest_file(EXAMPLE_SPEECH)
    before = snapshot(engine.store)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 definitely not a docx")
    with pytest.raises(IngestError) as error:
        engine.ingest_file(broken)
    assert error.value.reason == "corrupted"
    assert snapshot(engine.store) == before


def test_metadata_and_title(make_engine, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    report = engine.ingest_file(EXAMPLE_SPEECH, MetadataOverrides(speaker="县长", date="2021年12月20日"))
    record = engine.documents()[0]
    assert record.title == "县长在县政府全体(扩大)会议上的讲话(第2/2页)" == report.title
    assert (record.speaker, record.date) == ("县长", "2021-12-20")
    titled = engine.ingest_file(EXAMPLE_SPEECH, MetadataOverrides(title="全体会议讲话"))
    assert titled.status == "replaced" and engine.documents()[0].title == "全体会议讲话"


def test_index_refuses_another_embedding_model(
    make_engine, embedding_model: EmbeddingModel, tmp_path: Path, chroma_url: str | None
) -> None:
    engine: Engine = make_engine()
    engine.ingest_file(EXAMPLE_SPEECH)
    other = EmbeddingModel("BAAI/bge-small-zh-v1.5", 512, embedding_model.embeddings)
    with pytest.raises(ModelMismatchError) as error:
        Store(engine.store.data_dir, other, chroma_url, database_url=engine.settings.database_url)
    assert "all-MiniLM-L6-v2" in str(error.value) and "bge-small-zh" in str(error.value)


def _ingest_process(data_dir: Path, *files: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "LUOSHI_DATA_DIR": str(data_dir),
        "LUOSHI_EMBEDDING_MODEL": str(packaged_model_path()),
        "HF_HUB_OFFLINE": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import app; app()", "ingest", *map(str, files)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


_INTERRUPTIONS = [
    *(("embedded", number, delay) for number in (signal.SIGKILL, signal.SIGINT) for delay in (0.05, 2.0, 60.0)),
    *(("servers", signal.SIGKILL, delay) for delay in (0.05, 2.0)),  # a kill -9 beside PostgreSQL and Chroma servers
]


@pytest.mark.parametrize(("backend", "signal_number", "delay"), _INTERRUPTIONS, indirect=["backend"])
def test_interrupted_ingest_leaves_the_last_committed_state(
    make_engine,
    embedding_model: EmbeddingModel,
    tmp_path: Path,
    chroma_url: str | None,
    signal_number: int,
    delay: float,
    lexical_index: str,
) -> None:
    """Kill an ingest while it works on a big file: after reopening, the store holds exactly
    what was committed before, and every index agrees with the catalog."""
    data_dir = tmp_path / "data"
    engine: Engine = make_engine(data_dir)
    engine.ingest_file(EXAMPLE_SPEECH)
    before = snapshot(engine.store)
    engine.close()
    big = big_document(tmp_path / "big.txt")
    process = _ingest_process(data_dir, big)  # the test's backends reach it through the environment
    catalog = Catalog(catalog_location(data_dir, engine.settings.database_url))
    marker = WriteMarker(data_dir, catalog)  # a file, or a row of the catalog in PostgreSQL
    deadline = time.monotonic() + 120
    while not marker.present() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # the marker appears when the write begins (after model loading)
    while process.poll() is None and time.monotonic() < deadline and delay > 0:
        time.sleep(min(delay, 0.05))
        delay -= 0.05
    process.send_signal(signal_number)  # after 60 s the ingest has finished: nothing to interrupt
    process.wait(timeout=120)
    reopened = Store(
        data_dir, embedding_model, chroma_url, database_url=engine.settings.database_url, lexical=lexical_index
    )
    try:
        after = snapshot(reopened)
        assert_consistent(reopened)
        if len(after["documents"]) == 1:
            assert after["documents"] == before["documents"] and after["chunks"] == before["chunks"]
        else:  # the kill came after the commit point: the whole big document is there
            assert len(after["documents"]) == 2
        assert not marker.present()
    finally:
        reopened.close()
        catalog.close()


def test_reopening_repairs_a_write_that_died_after_its_vectors(
    make_engine, embedding_model, tmp_path: Path, chroma_url: str | None, lexical_index: str
) -> None:
    """The state a crash between the vector write and the catalog commit leaves behind:
    orphan vectors, a stale BM25 and the marker. Reopening restores the committed state."""
    data_dir = tmp_path / "data"
    engine: Engine = make_engine(data_dir)
    engine.ingest_file(EXAMPLE_SPEECH)
    before = snapshot(engine.store)
    orphan = engine.store.catalog.chunks(engine.store.catalog.chunk_ids()[:3]).values()
    orphans = [replace(chunk, chunk_id=chunk.chunk_id + "-orphan") for chunk in orphan]
    (data_dir / "UNCOMMITTED").write_text("", encoding="utf-8")
    engine.store._add_vectors(orphans)
    LexicalIndex.build(99, ["stale"], ["过期的索引"]).save(data_dir / "bm25")
    engine.close()
    reopened = Store(
        data_dir, embedding_model, chroma_url, database_url=engine.settings.database_url, lexical=lexical_index
    )
    try:
        assert snapshot(reopened) == before
        assert not (data_dir / "UNCOMMITTED").exists()
    finally:
        reopened.close()


@pytest.mark.parametrize("lexical_index", ["bm25s"], indirect=True)  # what bm25s saves and publishes
def test_a_batch_publishes_bm25_once_and_readers_never_see_it_lag(make_engine, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    second = tmp_path / "second.txt"
    second.write_text("一、工作要求\n由县财政局牵头，各乡镇要做好资金保障。", encoding="utf-8")
    with engine.store.batch():
        engine.ingest_file(EXAMPLE_SPEECH)
        engine.ingest_file(second)
        published = LexicalIndex.load(engine.store.data_dir / "bm25")
        assert published is None or published.generation < engine.store.catalog.generation
        assert engine.answer("资金保障由谁牵头？").found  # readers rebuild what lags
    published = LexicalIndex.load(engine.store.data_dir / "bm25")
    assert published.generation == engine.store.catalog.generation
    assert sorted(published.chunk_ids) == sorted(engine.store.catalog.chunk_ids())


@pytest.mark.parametrize("lexical_index", ["bm25s"], indirect=True)  # what bm25s saves and publishes
def test_a_rebuild_tokenises_only_new_chunks_and_equals_a_fresh_build(
    make_engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine: Engine = make_engine()
    engine.ingest_file(EXAMPLE_SPEECH)
    tokenised: list[str] = []
    real_tokenize = lexical_module.tokenize
    monkeypatch.setattr(lexical_module, "tokenize", lambda text: tokenised.append(text) or real_tokenize(text))
    report = engine.ingest_file(big_document(tmp_path / "big.txt", paragraphs=40))
    assert len(tokenised) == report.chunk_count  # the example speech's tokens came from the saved ones
    chunk_ids, texts = engine.store.catalog.all_index_texts()
    fresh = LexicalIndex.build(engine.store.catalog.generation, chunk_ids, texts)
    published = LexicalIndex.load(engine.store.data_dir / "bm25")
    assert published.document_frequency == fresh.document_frequency
    query = real_tokenize("资金到位由谁牵头")
    assert published.search(query, 5) == fresh.search(query, 5)
    grams = bigrams("资金到位由谁牵头")
    assert published.bigram_search(grams, 5) == fresh.bigram_search(grams, 5) != []


@pytest.mark.parametrize("lexical_index", ["bm25s"], indirect=True)  # what bm25s saves and publishes
def test_an_index_saved_without_bigrams_is_rebuilt(make_engine) -> None:
    """A store written before the bigram index: readers rebuild both indexes from the catalog,
    and the next write publishes them."""
    engine: Engine = make_engine()
    engine.ingest_file(EXAMPLE_SPEECH)
    folder = engine.store.data_dir / "bm25"
    current = folder / (folder / "CURRENT").read_text(encoding="utf-8").strip()
    shutil.rmtree(current / "bigrams")
    assert LexicalIndex.load(folder) is None
    engine.store.lexical_index._index = None  # as a process opening the store finds it
    assert engine.store.bigram_search("社会治安防控", 3)
    engine.remove(engine.documents()[0].doc_id)
    assert LexicalIndex.load(folder) is not None


@pytest.mark.parametrize("lexical_index", ["bm25s"], indirect=True)  # what bm25s saves and publishes
def test_saved_tokens_are_used_only_by_the_tokenizer_that_made_them(make_engine) -> None:
    engine: Engine = make_engine()
    engine.ingest_file(EXAMPLE_SPEECH)
    folder = engine.store.data_dir / "bm25"
    tokens_file = folder / (folder / "CURRENT").read_text(encoding="utf-8").strip() / "tokens.json"
    saved = json.loads(tokens_file.read_text(encoding="utf-8"))
    assert len(saved["tokens"]) == len(engine.store.catalog.chunk_ids())
    _, texts = engine.store.catalog.all_index_texts()
    marked = {key: ["saved"] for key in saved["tokens"]}
    tokens_file.write_text(json.dumps(saved | {"tokens": marked}), encoding="utf-8")
    assert TokenCache.load(folder).tokens(texts[:1]) == [["saved"]]
    tokens_file.write_text(json.dumps(saved | {"tokens": marked, "tokenizer": "another"}), encoding="utf-8")
    assert TokenCache.load(folder).tokens(texts[:1]) == [lexical_module.tokenize(texts[0])]

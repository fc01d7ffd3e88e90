"""Operating a data directory: BM25 published again after a killed folder ingest (defect 11),
`luoshi check [--repair]` on a really damaged store, `luoshi backup` while another process answers
and `luoshi restore` into a new folder."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from bot.engine import Engine
from tests.conftest import EXAMPLE_SPEECH, REPO, luoshi
from tests.test_store import big_document
from vectorstore.backup import MANIFEST, BackupError, restore
from vectorstore.catalog import CATALOG_FILE, Catalog, catalog_location
from vectorstore.embeddings import EmbeddingModel, packaged_model_path
from vectorstore.health import inspect
from vectorstore.lexical import LEXICAL_DIR, LexicalIndex, published_generation
from vectorstore.lexical_tantivy import INDEX_DIR as TANTIVY_DIR
from vectorstore.marker import MARKER_FILE, MARKER_META
from vectorstore.store import Store
from vectorstore.vectors import STORE_ID_META, collection_name, open_chroma

QUESTION = "谁牵头社会治安工作？"


def _environment(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    return {
        **os.environ,
        **({"LUOSHI_DATABASE_URL": database_url} if database_url else {}),
        "LUOSHI_DATA_DIR": str(data_dir),
        "LUOSHI_EMBEDDING_MODEL": str(packaged_model_path()),
        "HF_HUB_OFFLINE": "1",
        "COLUMNS": "200",
    }


def _documents(data_dir: Path, database_url: str | None) -> int:
    if database_url:
        try:
            with psycopg.connect(database_url) as db:
                return db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        except psycopg.errors.UndefinedTable:  # not created yet
            return 0
    try:
        with sqlite3.connect(f"{(data_dir / CATALOG_FILE).as_uri()}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def _write_under_way(data_dir: Path, database_url: str | None) -> bool:
    """Whether a write's marker is set (vectorstore/marker.py): in the catalog when it is PostgreSQL."""
    if not database_url:
        return (data_dir / MARKER_FILE).exists()
    with psycopg.connect(database_url) as db:
        return db.execute("SELECT COUNT(*) FROM meta WHERE key = %s", (MARKER_META,)).fetchone()[0] > 0


def _kill_after_the_last_commit(data_dir: Path, folder: Path, files: int, database_url: str | None) -> None:
    """Run `luoshi ingest FOLDER` and kill -9 it once every file is committed, before the folder's
    BM25 is published (the big last file makes that publish take a while)."""
    process = subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import app; app()", "ingest", str(folder)],
        cwd=REPO,
        env=_environment(data_dir, database_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600
    while process.poll() is None and time.monotonic() < deadline:
        if _documents(data_dir, database_url) == files and not _write_under_way(data_dir, database_url):
            break
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


# bm25s on both backends: it publishes a whole index per catalog generation, which is what lags behind a
# kill; tantivy adds each document to one index as it commits (tests/test_lexical_tantivy.py).
@pytest.mark.both_backends
@pytest.mark.parametrize("lexical_index", ["bm25s"], indirect=True)
def test_a_bm25_left_behind_by_a_killed_folder_ingest_is_published_again(
    embedding_model: EmbeddingModel,
    tmp_path: Path,
    database_url: str | None,
    chroma_url: str | None,
    lexical_index: str,
    request: pytest.FixtureRequest,
) -> None:
    """Defect 11: the kill leaves BM25 published at an older generation than the catalog; the next
    open publishes it again instead of every process rebuilding it in memory from then on."""
    server = request.getfixturevalue("postgres_server") if database_url else None
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(EXAMPLE_SPEECH, folder / "a-speech.txt")
    big_document(folder / "z-big.txt", paragraphs=800)
    for attempt in range(3):
        data_dir = tmp_path / f"data-{attempt}"
        url = server.url(server.create_database()) if server and attempt else database_url  # a new store
        _kill_after_the_last_commit(data_dir, folder, 2, url)
        published = published_generation(data_dir / "bm25")
        store = Store(data_dir, embedding_model, chroma_url, database_url=url, lexical=lexical_index)
        try:
            if published == store.catalog.generation:
                continue  # the kill came after the publish: try again
            assert published is None or published < store.catalog.generation
            assert published_generation(data_dir / "bm25") == store.catalog.generation
            on_disk = LexicalIndex.load(data_dir / "bm25")
            assert sorted(on_disk.chunk_ids) == sorted(store.catalog.chunk_ids())
            assert store.lexical is not None and store.bigram_search("资金到位", 3)
        finally:
            store.close()
        assert inspect(data_dir, chroma_url, database_url=url, lexical=lexical_index).ok
        return
    pytest.fail("the ingest was never killed between its last commit and its BM25 publish")


def _roll_back_bm25(data_dir: Path, saved: Path) -> None:
    """Put an older published BM25 back, as a folder ingest killed before its publish leaves it."""
    folder = data_dir / "bm25"
    shutil.rmtree(folder)
    shutil.copytree(saved, folder)


# bm25s on both backends: the test rolls back its published index (tantivy has no published index to lag).
@pytest.mark.both_backends
@pytest.mark.parametrize("lexical_index", ["bm25s"], indirect=True)
def test_a_reader_and_the_next_batch_publish_a_lagging_bm25(make_engine, tmp_path: Path) -> None:
    engine: Engine = make_engine()
    engine.ingest_file(EXAMPLE_SPEECH)
    data_dir = engine.store.data_dir
    saved = tmp_path / "bm25-saved"
    shutil.copytree(data_dir / "bm25", saved)
    second = tmp_path / "second.txt"
    second.write_text("一、工作要求\n由县财政局牵头，各乡镇要做好资金保障。", encoding="utf-8")
    engine.ingest_file(second)
    generation = engine.store.catalog.generation
    _roll_back_bm25(data_dir, saved)
    engine.store.lexical_index._index = None  # as a process that opened the store before the kill holds it
    assert engine.answer("资金保障由谁牵头？").found  # a reader rebuilds what lags, and publishes it
    assert published_generation(data_dir / "bm25") == generation
    _roll_back_bm25(data_dir, saved)
    with engine.store.batch():
        assert engine.ingest_file(second).status == "unchanged"  # nothing committed
    assert published_generation(data_dir / "bm25") == generation


def _damage(
    data_dir: Path, database_url: str | None, chroma_url: str | None, lexical_index: str
) -> dict[str, list[str]]:
    """Damage a store as a failing disk or a careless operator would: vectors deleted from Chroma (its
    folder or its server), an orphan vector, a vector naming another document, a ledger record citing a
    missing chunk, the lexical index's folder removed."""
    catalog = Catalog(catalog_location(data_dir, database_url))
    name = collection_name(catalog.get_meta(STORE_ID_META), chroma_url)
    with open_chroma(data_dir, chroma_url) as client:
        collection = client.get_collection(name)
        stored = collection.get(include=["embeddings", "metadatas"])
        deleted = stored["ids"][:5]
        collection.delete(ids=deleted)
        orphan = {"ids": ["orphan-1"], "embeddings": [stored["embeddings"][6]], "metadatas": [{"doc_id": "gone"}]}
        collection.add(**orphan)
        collection.update(ids=[stored["ids"][7]], metadatas=[{"doc_id": "another", "index": 0}])
    with catalog.transaction() as db:
        db.execute(
            text(
                "UPDATE directives SET chunk_id = 'no-such-chunk' "
                "WHERE directive_id = (SELECT MIN(directive_id) FROM directives)"
            )
        )
    catalog.close()
    shutil.rmtree(data_dir / (TANTIVY_DIR if lexical_index == "tantivy" else LEXICAL_DIR))
    return {"deleted": deleted, "renamed": [stored["ids"][7]]}


@pytest.mark.both_backends
def test_check_reports_a_damaged_store_and_repair_restores_it(
    make_engine, tmp_path: Path, database_url: str | None, chroma_url: str | None, lexical_index: str
) -> None:
    engine: Engine = make_engine()
    engine.ingest_file(EXAMPLE_SPEECH)
    data_dir = engine.store.data_dir
    expected = engine.answer(QUESTION)
    engine.close()
    clean = luoshi(data_dir, "check")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "agree" in clean.stdout
    damage = _damage(data_dir, database_url, chroma_url, lexical_index)

    found = luoshi(data_dir, "check", "--json")
    assert found.returncode == 1, found.stderr
    report = json.loads(found.stdout)
    kinds = {problem["kind"] for problem in report["problems"]}
    assert kinds == {"vectors_missing", "vectors_orphan", "vectors_metadata", "ledger_chunks", "bm25_missing"}
    text = luoshi(data_dir, "check")
    assert text.returncode == 1 and "5 chunks have no vector" in text.stdout and "--repair" in text.stdout

    repaired = luoshi(data_dir, "check", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert "embedded 6 vectors" in repaired.stdout and "agree" in repaired.stdout
    health = inspect(data_dir, chroma_url, database_url=database_url, lexical=lexical_index)
    assert health.ok and health.vectors == health.chunks
    store = make_engine(data_dir).store
    vectors = store.vectors.get(ids=damage["deleted"] + damage["renamed"], include=["metadatas"])
    assert sorted(vectors["ids"]) == sorted(damage["deleted"] + damage["renamed"])
    owners = {chunk_id: store.catalog.chunks([chunk_id])[chunk_id].doc_id for chunk_id in vectors["ids"]}
    assert all(meta["doc_id"] == owners[id_] for id_, meta in zip(vectors["ids"], vectors["metadatas"], strict=True))
    assert make_engine(data_dir).answer(QUESTION).to_json_dict() == expected.to_json_dict()


def test_check_says_when_there_is_no_store_or_the_catalog_is_not_one(tmp_path: Path) -> None:
    result = luoshi(tmp_path / "nothing", "check")
    assert result.returncode == 1 and "no Luoshi store" in result.stderr
    (tmp_path / "garbage").mkdir()
    (tmp_path / "garbage" / CATALOG_FILE).write_bytes(b"\x00not a database" * 100)
    result = luoshi(tmp_path / "garbage", "check", "--repair")
    assert result.returncode == 1 and "the catalog cannot be read" in result.stdout
    assert "restore a backup" in result.stdout


def _answer_until(process: subprocess.Popen, stop: threading.Event, answers: list[dict]) -> None:
    """Ask ``process`` (`luoshi ask --json -`) one question after another until ``stop`` is set."""
    assert process.stdin is not None and process.stdout is not None
    while not stop.is_set() or not answers:
        process.stdin.write(QUESTION + "\n")
        process.stdin.flush()
        answers.append(json.loads(process.stdout.readline()))
    process.stdin.close()


def test_backup_while_another_process_answers_then_restore_answers(
    make_engine: Callable[..., Engine], tmp_path: Path
) -> None:
    engine: Engine = make_engine(tmp_path / "data")
    engine.ingest_file(EXAMPLE_SPEECH)
    data_dir = engine.store.data_dir
    asker = subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import app; app()", "ask", "--json", "-"],
        cwd=REPO,
        env=_environment(data_dir),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    stop, answers = threading.Event(), []
    asking = threading.Thread(target=_answer_until, args=(asker, stop, answers))
    asking.start()
    ingesting = threading.Thread(target=engine.ingest_file, args=(big_document(tmp_path / "big.txt", 200),))
    result = None
    try:
        while not answers and asking.is_alive():
            time.sleep(0.1)  # the other process answers before the backup starts
        ingesting.start()  # and a write comes in while it copies: the copy is before or after it
        result = luoshi(data_dir, "backup", str(tmp_path / "backup"))
    finally:
        stop.set()
        asking.join(timeout=300)
        asker.wait(timeout=60)
        if ingesting.ident is not None:
            ingesting.join(timeout=600)
    assert result is not None and result.returncode == 0, result.stdout + result.stderr
    assert "the copy was checked" in result.stdout
    assert answers and all(answer["found"] for answer in answers)
    assert asker.returncode == 0
    backup = tmp_path / "backup"
    manifest = json.loads((backup / MANIFEST).read_text(encoding="utf-8"))
    health = inspect(backup)
    assert health.ok and health.documents == manifest["documents"] in (1, 2)

    restored = tmp_path / "restored"
    result = luoshi(restored, "restore", str(backup))
    assert result.returncode == 0, result.stdout + result.stderr
    restored_engine = make_engine(restored)
    assert len(restored_engine.documents()) == health.documents
    assert restored_engine.answer(QUESTION).found


def test_restore_refuses_a_store_in_place_and_one_in_use(make_engine, tmp_path: Path) -> None:
    backup_engine: Engine = make_engine(tmp_path / "source")
    backup_engine.ingest_file(EXAMPLE_SPEECH)
    backup_engine.close()
    assert luoshi(tmp_path / "source", "backup", str(tmp_path / "backup")).returncode == 0
    assert luoshi(tmp_path / "source", "backup", str(tmp_path / "backup")).returncode == 1  # not over a backup
    other = tmp_path / "other.txt"
    other.write_text("一、工作要求\n由县财政局牵头，各乡镇要做好资金保障。", encoding="utf-8")
    engine: Engine = make_engine(tmp_path / "live")
    engine.ingest_file(other)
    live = engine.store.data_dir
    before = inspect(live)
    with pytest.raises(BackupError, match="holds a store"):
        restore(tmp_path / "backup", live)
    with pytest.raises(BackupError, match="open in a running process"):
        restore(tmp_path / "backup", live, force=True)
    with pytest.raises(BackupError, match="not a Luoshi backup"):
        restore(tmp_path / "source", tmp_path / "new")
    assert inspect(live).to_json() == before.to_json()
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]  # no staging left behind
    engine.close()
    restore(tmp_path / "backup", live, force=True)
    restored = make_engine(live)
    assert [d.source for d in restored.documents()] == [str(EXAMPLE_SPEECH)]
    assert restored.answer(QUESTION).found


def test_a_restore_keeps_the_audit_trail_and_is_recorded_in_it(make_engine, tmp_path: Path) -> None:
    """The audit trail lives in the data directory by default: restoring a backup over it must not
    erase what was asked and ingested before, and the backup and restore are entries of it."""
    source: Engine = make_engine(tmp_path / "source")
    source.ingest_file(EXAMPLE_SPEECH)
    source.close()
    assert luoshi(tmp_path / "source", "backup", str(tmp_path / "backup")).returncode == 0
    live = tmp_path / "live"
    other = tmp_path / "other.txt"
    other.write_text("一、工作要求\n由县财政局牵头，各乡镇要做好资金保障。", encoding="utf-8")
    assert luoshi(live, "ingest", str(other)).returncode == 0
    assert luoshi(live, "ask", "谁牵头资金保障？").returncode == 0
    refused = luoshi(live, "restore", str(tmp_path / "backup"))
    assert refused.returncode == 1 and "holds a store" in refused.stderr
    restored = luoshi(live, "restore", "--force", str(tmp_path / "backup"))
    assert restored.returncode == 0, restored.stdout + restored.stderr

    trail = luoshi(live, "audit", "--json")
    entries = [json.loads(line) for line in trail.stdout.splitlines()]
    assert [(entry["event"], entry["outcome"]) for entry in entries] == [
        ("ingest", "accepted"),
        ("question", "answered"),
        ("store", "refused"),
        ("store", "done"),
    ]
    assert entries[-1]["operation"] == "restore" and entries[-1]["documents"] == 1
    assert "holds a store" in entries[2]["detail"]
    engine = make_engine(live)
    assert [d.source for d in engine.documents()] == [str(EXAMPLE_SPEECH)]


def test_backup_and_restore_refuse_a_catalog_in_postgresql(postgres_url: str, tmp_path: Path) -> None:
    """They copy a data directory's files; a PostgreSQL catalog is backed up with pg_dump."""
    data_dir = tmp_path / "data"
    assert luoshi(data_dir, "ingest", str(EXAMPLE_SPEECH), env={"LUOSHI_DATABASE_URL": postgres_url}).returncode == 0
    for command in (["backup", str(tmp_path / "backup")], ["restore", str(tmp_path / "backup")]):
        refused = luoshi(data_dir, *command, env={"LUOSHI_DATABASE_URL": postgres_url})
        assert refused.returncode == 1 and "PostgreSQL" in refused.stderr and "pg_dump" in refused.stderr
    assert not (tmp_path / "backup").exists() and not (data_dir / CATALOG_FILE).exists()
    assert luoshi(data_dir, "check", env={"LUOSHI_DATABASE_URL": postgres_url}).returncode == 0


def test_a_backup_where_no_folder_can_be_made_is_refused_in_plain_words(tmp_path: Path) -> None:
    """A target under a file (as under a folder the operator may not write): a refusal, not a traceback."""
    data_dir, in_the_way = tmp_path / "data", tmp_path / "notes.txt"
    assert luoshi(data_dir, "ingest", str(EXAMPLE_SPEECH)).returncode == 0
    in_the_way.write_text("not a folder", encoding="utf-8")
    refused = luoshi(data_dir, "backup", str(in_the_way / "copy"))
    assert refused.returncode == 1 and "backup refused: cannot write into" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr and in_the_way.read_text(encoding="utf-8") == "not a folder"

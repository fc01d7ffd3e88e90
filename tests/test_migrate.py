"""`luoshi migrate`: an embedded store copied into a real PostgreSQL and a real `chroma run` answers the same
questions the same way, keeps its ledger and passes `luoshi check`; a target that holds a store is refused
and left alone; a migrate that fails half way (the database refuses it, the Chroma server stops) leaves the
target empty, and the next migrate goes through."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from bot.engine import Engine
from bot.settings import Settings
from tests.conftest import EXAMPLE_SPEECH, REPO, luoshi
from tests.servers_chroma import start_chroma, stop_chroma
from tests.servers_postgres import PostgresServer
from vectorstore.catalog import CATALOG_FILE
from vectorstore.embeddings import EmbeddingModel
from vectorstore.health import inspect
from vectorstore.transfer import MIGRATING_META, MigrateError, migrate_to_servers
from vectorstore.vectors import STORE_ID_META, collection_name, open_chroma

QUESTIONS = [
    *(REPO / "examples" / "questions.txt").read_text(encoding="utf-8").split("\n")[:6],
    "谁牵头推进智慧河湖平台建设？",
    "数字乡村建设由谁负责？",
]
RIVERS = (
    "关于推进智慧河湖建设的通知\n一、平台建设\n由县水利局牵头，县大数据中心配合，推进智慧河湖平台建设，"
    "2025年6月底前完成。\n二、巡河管理\n各乡镇负责落实河长巡河制度，做到每月巡河不少于两次。\n"
)
VILLAGES = (
    "数字乡村建设实施方案\n一、总体要求\n坚持“数字赋能、农民受益”的原则。\n二、重点任务\n"
    "数字乡村建设由县农业农村局负责，县网信办、县财政局配合，年底前建成覆盖全县的益农信息社。\n"
)
LATER = "补充通知\n一、工作安排\n由县交通运输局牵头，县公安局配合，开展农村公路安全隐患排查，9月底前完成。\n"


@pytest.fixture
def embedded_store(tmp_path: Path, embedding_model: EmbeddingModel, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory with the example speech and two short notices ingested, embedded."""
    for name in ("LUOSHI_DATABASE_URL", "LUOSHI_CHROMA_URL", "LUOSHI_LEXICAL_INDEX"):
        monkeypatch.delenv(name, raising=False)
    data_dir = tmp_path / "data"
    engine = Engine.open(Settings(data_dir=data_dir, database_url=None, chroma_url=None), embedding_model)
    try:
        engine.ingest_file(EXAMPLE_SPEECH)
        for number, text in enumerate((RIVERS, VILLAGES)):
            path = tmp_path / f"notice{number}.txt"
            path.write_text(text, encoding="utf-8")
            engine.ingest_file(path)
    finally:
        engine.close()
    return data_dir


def _servers(database_url: str, chroma_url: str, lexical: str = "bm25s") -> dict[str, str]:
    return {"LUOSHI_DATABASE_URL": database_url, "LUOSHI_CHROMA_URL": chroma_url, "LUOSHI_LEXICAL_INDEX": lexical}


def _answers(data_dir: Path, env: dict[str, str] | None = None) -> list[dict]:
    done = luoshi(data_dir, "ask", "-", "--json", stdin="\n".join(QUESTIONS) + "\n", env=env)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def _ledger(data_dir: Path, export: Path, env: dict[str, str] | None = None) -> str:
    done = luoshi(data_dir, "tasks", "--export", str(export), env=env)
    assert done.returncode == 0, done.stderr
    return export.read_text(encoding="utf-8")


def _migrate(data_dir: Path, database_url: str, chroma_url: str, lexical: str = "bm25s"):
    return luoshi(
        data_dir, "migrate", "--to-database", database_url, "--to-chroma", chroma_url, "--to-lexical", lexical
    )


def _tables(database_url: str) -> dict[str, int]:
    """Rows per table of the catalog in ``database_url`` (empty when it has no tables)."""
    with psycopg.connect(database_url) as db:
        names = [row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {name: db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def _collections(chroma_url: str) -> dict[str, int]:
    with open_chroma(Path("."), chroma_url) as client:
        return {collection.name: collection.count() for collection in client.list_collections()}


def _store_id(data_dir: Path) -> str:
    """The embedded store's id, read from its catalog file."""
    with sqlite3.connect(f"{(data_dir / CATALOG_FILE).as_uri()}?mode=ro", uri=True) as db:
        return db.execute("SELECT value FROM meta WHERE key = ?", (STORE_ID_META,)).fetchone()[0]


def test_a_migrated_store_answers_the_same_and_keeps_its_ledger(
    embedded_store: Path, postgres_url: str, chroma_server: str, tmp_path: Path
) -> None:
    before = _answers(embedded_store)
    ledger = _ledger(embedded_store, tmp_path / "before.csv")
    assert any(answer["found"] for answer in before) and "县水利局" in ledger

    done = _migrate(embedded_store, postgres_url, chroma_server)
    assert done.returncode == 0, done.stderr
    assert "migrated 3 documents" in done.stdout and "the copy was checked" in done.stdout

    servers = _servers(postgres_url, chroma_server)
    assert luoshi(embedded_store, "check", env=servers).returncode == 0
    assert _answers(embedded_store, servers) == before
    assert _ledger(embedded_store, tmp_path / "after.csv", servers) == ledger
    tables = _tables(postgres_url)
    assert tables["documents"] == 3 and tables["directives"] > 0 and tables["directive_parties"] > 0
    assert MIGRATING_META not in {row[0] for row in psycopg.connect(postgres_url).execute("SELECT key FROM meta")}
    assert _collections(chroma_server)[collection_name(_store_id(embedded_store), chroma_server)] == tables["chunks"]

    # New ledger rows on the servers get new ids (the copied ids moved PostgreSQL's sequences on).
    later = tmp_path / "later.txt"
    later.write_text(LATER, encoding="utf-8")
    ingested = luoshi(embedded_store, "ingest", str(later), env=servers)
    assert ingested.returncode == 0, ingested.stderr
    assert "县交通运输局" in _ledger(embedded_store, tmp_path / "later.csv", servers)
    assert luoshi(embedded_store, "check", env=servers).returncode == 0
    # The embedded store was only read: it still answers as before, and does not hold the new document.
    assert _answers(embedded_store) == before
    trail = (embedded_store / "audit" / "audit.jsonl").read_text(encoding="utf-8")
    assert '"operation": "migrate"' in trail and "PASSWORD" not in trail


def test_migrate_refuses_a_target_that_holds_a_store_and_changes_nothing(
    embedded_store: Path, postgres_url: str, postgres_server: PostgresServer, chroma_server: str
) -> None:
    assert _migrate(embedded_store, postgres_url, chroma_server, "tantivy").returncode == 0
    tables, collections = _tables(postgres_url), _collections(chroma_server)

    again = _migrate(embedded_store, postgres_url, chroma_server)
    assert again.returncode == 1
    assert "already holds a catalog with 3 documents" in again.stderr
    assert _tables(postgres_url) == tables and _collections(chroma_server) == collections

    # A new, empty database, but the Chroma server holds this store's vectors: refused too.
    other = postgres_server.url(postgres_server.create_database())
    try:
        refused = _migrate(embedded_store, other, chroma_server)
        assert refused.returncode == 1
        assert "already holds" in refused.stderr and "vectors of this store" in refused.stderr
        assert _tables(other) == {} and _collections(chroma_server) == collections
    finally:
        postgres_server.drop_database(other.rsplit("/", 1)[1])
    trail = (embedded_store / "audit" / "audit.jsonl").read_text(encoding="utf-8")
    assert trail.count('"operation": "migrate"') == 3 and trail.count('"outcome": "refused"') == 2
    assert luoshi(embedded_store, "check", env=_servers(postgres_url, chroma_server, "tantivy")).returncode == 0


def test_a_migrate_the_database_refuses_half_way_leaves_the_target_empty(
    embedded_store: Path, postgres_url: str, chroma_server: str
) -> None:
    """The database user may connect but not create tables: the vectors were copied by then, and are deleted."""
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("CREATE ROLE reader LOGIN")
    reader_url = postgres_url.replace("//luoshi@", "//reader@")
    collections = _collections(chroma_server)

    failed = _migrate(embedded_store, reader_url, chroma_server)
    assert failed.returncode == 1
    assert "permission denied" in failed.stderr and "taken back" in failed.stderr
    assert _tables(postgres_url) == {}
    assert _collections(chroma_server) == collections

    assert _migrate(embedded_store, postgres_url, chroma_server).returncode == 0
    assert luoshi(embedded_store, "check", env=_servers(postgres_url, chroma_server)).returncode == 0


@pytest.fixture
def own_chroma(tmp_path: Path) -> Iterator[tuple[Path, list]]:
    """A Chroma server of the test's own (it is stopped on purpose): its folder and [process, url]."""
    folder = tmp_path / "chroma-server"
    running = list(start_chroma(folder, tmp_path / "chroma.log"))
    yield folder, running
    stop_chroma(running[0])


def test_a_migrate_whose_chroma_server_stops_half_way_leaves_the_catalog_empty_and_is_done_again(
    embedded_store: Path, postgres_url: str, own_chroma: tuple[Path, list], tmp_path: Path
) -> None:
    folder, running = own_chroma

    def stop_after_the_first_batch(done: int, total: int) -> None:
        assert done < total  # the copy is half way
        stop_chroma(running[0])

    with pytest.raises(MigrateError, match="taken back"):
        migrate_to_servers(
            embedded_store, postgres_url, running[1], "tantivy", batch=8, progress=stop_after_the_first_batch
        )
    assert _tables(postgres_url) == {}

    running[:] = start_chroma(folder, tmp_path / "chroma-again.log")
    store_id = _store_id(embedded_store)
    assert _collections(running[1]).get(collection_name(store_id, running[1]), 0) == 0  # only the staging is left

    migrated = migrate_to_servers(embedded_store, postgres_url, running[1], "tantivy", batch=8)
    assert migrated.health.ok and migrated.documents == 3 and migrated.vectors == migrated.chunks
    assert _collections(running[1]) == {collection_name(store_id, running[1]): migrated.chunks}
    assert inspect(embedded_store, running[1], postgres_url, "tantivy").ok


def test_migrate_refuses_a_store_already_on_servers(embedded_store: Path, tmp_path: Path) -> None:
    refused = luoshi(
        embedded_store,
        "migrate",
        "--to-database",
        "postgresql://luoshi@127.0.0.1:1/luoshi",
        "--to-chroma",
        "http://127.0.0.1:1",
        env={"LUOSHI_CHROMA_URL": "http://127.0.0.1:1"},
    )
    assert refused.returncode == 1 and "copies an embedded store" in refused.stderr
    bad = luoshi(embedded_store, "migrate", "--to-database", "mysql://x/y", "--to-chroma", "http://127.0.0.1:1")
    assert bad.returncode == 2 and "postgresql://" in bad.stderr
    shutil.rmtree(embedded_store)
    missing = luoshi(
        embedded_store, "migrate", "--to-database", "postgresql://x@127.0.0.1:1/y", "--to-chroma", "http://127.0.0.1:1"
    )
    assert missing.returncode == 1 and "no embedded Luoshi store" in missing.stderr


def test_a_migrate_that_fails_after_its_catalog_commit_takes_the_catalog_and_the_vectors_back(
    embedded_store: Path, postgres_url: str, chroma_server: str
) -> None:
    """A file where the tantivy index is to be built: the catalog was committed and the collection renamed by
    then; both are taken back."""
    blocked = embedded_store / "tantivy"
    blocked.write_text("not an index", encoding="utf-8")
    collections = _collections(chroma_server)
    with pytest.raises(MigrateError, match="taken back"):
        migrate_to_servers(embedded_store, postgres_url, chroma_server, "tantivy")
    assert _tables(postgres_url) == {}
    assert _collections(chroma_server) == collections

    blocked.unlink()
    migrated = migrate_to_servers(embedded_store, postgres_url, chroma_server, "tantivy")
    assert migrated.health.ok and not migrated.redone and migrated.documents == 3

"""The catalog on its two backends: versioned migrations (an old SQLite store, a new PostgreSQL database),
writers serialised by PostgreSQL's advisory lock, two processes on two data directories committing into
one PostgreSQL catalog at once, and a bad LUOSHI_DATABASE_URL refused."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
from pydantic import ValidationError

from bot.settings import Settings
from tests.conftest import EXAMPLE_SPEECH, REPO
from tests.test_store_ops import _environment
from vectorstore.catalog import Catalog
from vectorstore.database import Database
from vectorstore.ledger import Ledger
from vectorstore.schema import HEAD, schema_version

# The tables of a store made before the ledger's titles and scopes, bylines and marks, and before the
# schema had a version (as vectorstore/catalog.py created them then).
OLD_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (doc_id TEXT PRIMARY KEY, source_key TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
    source TEXT NOT NULL, content_hash TEXT NOT NULL, speaker TEXT, date TEXT, meeting TEXT,
    ingested_at TEXT NOT NULL, original TEXT NOT NULL, normalized TEXT NOT NULL, offsets TEXT NOT NULL,
    section_count INTEGER NOT NULL, chunk_count INTEGER NOT NULL);
CREATE TABLE chunks (chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, section TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    norm_start INTEGER NOT NULL, norm_end INTEGER NOT NULL, text TEXT NOT NULL, index_text TEXT NOT NULL);
CREATE TABLE directives (directive_id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents (doc_id) ON DELETE CASCADE, seq INTEGER NOT NULL, chunk_id TEXT,
    section TEXT NOT NULL, task TEXT NOT NULL, quote TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    norm_start INTEGER NOT NULL, norm_end INTEGER NOT NULL, lead TEXT NOT NULL, responsible TEXT NOT NULL,
    cooperating TEXT NOT NULL, deadline TEXT, origin TEXT NOT NULL);
CREATE TABLE directive_parties (party_id INTEGER PRIMARY KEY,
    directive_id INTEGER NOT NULL REFERENCES directives (directive_id) ON DELETE CASCADE, name TEXT NOT NULL,
    role TEXT NOT NULL, explicit INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    norm_start INTEGER NOT NULL, norm_end INTEGER NOT NULL);
"""


def test_a_store_from_before_schema_versions_is_migrated_and_keeps_its_documents(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
        text = "机密★1年\n关于某事的通知\n正文。"
        db.execute(
            "INSERT INTO documents VALUES ('d1', 'k', '通知', 'a.txt', 'h', NULL, '2024-01-02', NULL, 't', ?, ?, "
            "'[]', 1, 1)",
            (text, text),
        )
        db.execute("INSERT INTO chunks VALUES ('c1', 'd1', 0, '[]', 0, 4, 0, 4, '正文。', '正文。')")
        db.execute("INSERT INTO meta VALUES ('generation', '7')")
    catalog = Catalog(path)
    try:
        assert schema_version(catalog.database) == HEAD
        assert catalog.generation == 7 and catalog.chunk_ids() == ["c1"]
        (record,) = catalog.classified_documents()  # the marks were read as the store was migrated
        assert (record.doc_id, record.marking) == ("d1", "机密★1年")
        columns = {row[1] for row in catalog.rows("PRAGMA table_info(directives)")}
        assert "scope" in columns and Ledger(catalog).bylines() == []
    finally:
        catalog.close()


def test_a_new_postgresql_database_gets_the_tables_once_from_many_openers(postgres_url: str) -> None:
    opened: list[Catalog] = []
    errors: list[BaseException] = []

    def open_catalog() -> None:
        try:
            opened.append(Catalog(postgres_url))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_catalog) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert not errors and len(opened) == 4
        assert {schema_version(catalog.database) for catalog in opened} == {HEAD}
        assert opened[0].documents() == [] and opened[0].generation == 0
    finally:
        for catalog in opened:
            catalog.close()


def _waiting_for_an_advisory_lock(url: str) -> bool:
    with psycopg.connect(url) as db:
        query = "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'"
        return db.execute(query).fetchone()[0] > 0


def test_writers_on_postgresql_take_turns_on_the_advisory_lock(postgres_url: str) -> None:
    """Two connections to one catalog, as two machines have: the second writer waits for the first."""
    first, second = Database.open(postgres_url), Database.open(postgres_url)
    order: list[str] = []

    def other_writer() -> None:
        with second.write_lock():
            order.append("second")

    try:
        with first.write_lock():
            thread = threading.Thread(target=other_writer)
            thread.start()
            deadline = time.monotonic() + 60
            while not _waiting_for_an_advisory_lock(postgres_url) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert _waiting_for_an_advisory_lock(postgres_url) and order == []
            order.append("first")
        thread.join(timeout=60)
        assert order == ["first", "second"]
    finally:
        first.close()
        second.close()


def test_two_processes_on_two_data_directories_commit_into_one_postgresql_catalog(
    postgres_url: str, tmp_path: Path
) -> None:
    """Two workers ingesting at once (each with its own folder, as on two machines): both documents are
    committed whole, one after the other."""
    second = tmp_path / "second.txt"
    second.write_text("一、工作要求\n由县财政局牵头，各乡镇要做好资金保障。", encoding="utf-8")
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import app; app()", "ingest", str(path)],
            cwd=REPO,
            env=_environment(tmp_path / f"data-{number}", postgres_url),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number, path in enumerate((EXAMPLE_SPEECH, second))
    ]
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, out + err
    catalog = Catalog(postgres_url)
    try:
        documents = catalog.documents()
        assert len(documents) == 2 and catalog.generation >= 2
        assert all(len(catalog.chunk_ids(d.doc_id)) == d.chunk_count for d in documents)
        assert len(Ledger(catalog).directives()) == 21
    finally:
        catalog.close()


def test_a_database_url_that_is_not_postgresql_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be a postgresql:// URL"):
        Settings(database_url="mysql://luoshi@db/luoshi")
    assert Settings(database_url="").database_url is None

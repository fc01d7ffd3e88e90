"""A SQLite store of every earlier schema version (0: before versions were kept, 1, 2) opens, is brought to
``HEAD`` and ends with the same tables and columns as a new store, its documents kept and marked."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.test_catalog_backends import OLD_SCHEMA
from vectorstore.catalog import Catalog
from vectorstore.database import Database
from vectorstore.schema import ADDED_COLUMNS, HEAD, VERSION_KEY, metadata, schema_version

CLASSIFIED = "机密★1年\n关于某事的通知\n正文。"


def _columns(path: Path) -> dict[str, set[str]]:
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: {row[1] for row in db.execute(f"PRAGMA table_info({table})")} for table in tables}


def _old_store(path: Path, version: int) -> None:
    """A catalog as a release of schema ``version`` left it, with one classified document."""
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
        db.execute(
            "INSERT INTO documents VALUES ('d1', 'k', '通知', 'a.txt', 'h', NULL, NULL, NULL, 't', ?, ?, '[]', 1, 1)",
            (CLASSIFIED, CLASSIFIED),
        )
        db.execute("INSERT INTO chunks VALUES ('c1', 'd1', 0, '[]', 0, 4, 0, 4, '正文。', '正文。')")
    if version == 0:
        return
    database = Database.open(f"sqlite:///{path}")
    try:
        with database.write() as db:
            metadata.create_all(db, tables=[metadata.tables[name] for name in ("slogans", "bylines", "markings")])
    finally:
        database.close()
    with sqlite3.connect(path) as db:
        for number, table, column, sql_type in ADDED_COLUMNS:
            if number <= version:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}")
        db.execute("INSERT INTO meta VALUES (?, ?)", (VERSION_KEY, str(version)))


@pytest.mark.parametrize("version", range(HEAD))
def test_a_store_of_every_earlier_version_opens_with_the_newest_schema(tmp_path: Path, version: int) -> None:
    new = tmp_path / "new.sqlite3"
    Catalog(new).close()
    old = tmp_path / "old.sqlite3"
    _old_store(old, version)
    catalog = Catalog(old)
    try:
        assert schema_version(catalog.database) == HEAD
        assert catalog.chunk_ids() == ["c1"]
        (record,) = catalog.classified_documents()  # version 3 read the marks of stored documents
        assert record.marking == "机密★1年"
    finally:
        catalog.close()
    assert _columns(old) == _columns(new)

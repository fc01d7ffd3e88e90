"""Consistent copies of a data directory while the bot runs (``luoshi backup``/``luoshi restore``).

A backup is a data directory of its own plus ``manifest.json``. It is copied under the write lock,
so no ingest is half way: SQLite files through SQLite's backup API (safe beside readers), Chroma's
other files as they are, and the published BM25. The copy is checked (``health.inspect``: the
three agree and Chroma's index answers) before it is renamed into place, so a backup folder that
exists is complete. A restore copies a backup beside the data directory, checks it, and renames it
into place; it refuses a data directory that holds anything unless forced, and one that a running
process has open in any case. What a data directory holds besides the store (the audit trail) is
neither backed up nor replaced: a restore carries it over into the restored directory.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from vectorstore import locks
from vectorstore.catalog import CATALOG_FILE, Catalog
from vectorstore.health import Health, inspect
from vectorstore.lexical import LEXICAL_DIR, LexicalIndex, TokenCache
from vectorstore.marker import MARKER_FILE
from vectorstore.vectors import CHROMA_DIR

MANIFEST = "manifest.json"
# The entries of a data directory that make up the store; a restore replaces these and keeps the rest.
_STORED = frozenset({CATALOG_FILE, CHROMA_DIR, LEXICAL_DIR, MARKER_FILE})
STORE_PARTS = _STORED | frozenset(locks.LOCK_FILES)
_SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(RuntimeError):
    """A backup or restore that was refused or failed; the message is for operators (English)."""


@dataclass(frozen=True)
class Copied:
    """A finished backup or restore: where, and what it holds."""

    path: Path
    health: Health


def backup(data_dir: Path, target: Path, chroma_url: str | None = None) -> Copied:
    """Copy ``data_dir`` to ``target`` (which must not exist, or be empty) while others read it.

    Raises NoStoreError for a folder without a store, BackupError when refused (also for a store
    whose vectors are on the Chroma server at ``chroma_url``) or when the copy does not check out
    (nothing is left at ``target`` then).
    """
    data_dir, target = Path(data_dir), Path(target)
    _refuse_server(chroma_url, "backup")
    _refuse_nonempty(target, "backup target")
    if target.resolve().is_relative_to(data_dir.resolve()):
        raise BackupError(f"the backup target {target} is inside the data directory {data_dir}")
    inspect(data_dir)  # NoStoreError when there is no store
    staging = _staging(target, "backup")
    try:
        with locks.held(data_dir / locks.WRITE_LOCK):
            if (data_dir / MARKER_FILE).exists():
                raise BackupError(
                    f"{data_dir} has an interrupted write: run `luoshi check --repair` first, then back up"
                )
            _copy_store(data_dir, staging)
        _publish_lexical_copy(staging, data_dir / LEXICAL_DIR)
        health = _checked(staging)
        (staging / MANIFEST).write_text(json.dumps(_manifest(data_dir, health), indent=2), encoding="utf-8")
        _fsync(staging)
        _move_into_place(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Copied(target, health)


def restore(source: Path, data_dir: Path, *, force: bool = False, chroma_url: str | None = None) -> Copied:
    """Make ``data_dir`` a copy of the backup ``source``; the old contents go only with ``force``.

    Raises BackupError when refused (not a backup, a non-empty data directory without ``force``,
    a data directory a process has open, vectors on a Chroma server) or when the copy does not
    check out; ``data_dir`` is then as it was.
    """
    source, data_dir = Path(source), Path(data_dir)
    _refuse_server(chroma_url, "restore")
    if not (source / MANIFEST).is_file():
        raise BackupError(f"{source} is not a Luoshi backup (no {MANIFEST})")
    if (
        not force
        and data_dir.exists()
        and (not data_dir.is_dir() or any(p.name in _STORED for p in data_dir.iterdir()))
    ):
        raise BackupError(f"the data directory {data_dir} holds a store (use --force to replace it)")
    staging = _staging(data_dir, "restore")
    try:
        _copy_store(source, staging)
        health = _checked(staging)
        _fsync(staging)
        if not data_dir.exists():
            _move_into_place(staging, data_dir)
            return Copied(data_dir, health)
        with locks.held(data_dir / locks.OPEN_LOCK):  # no process is opening it; then none has it open
            in_use = locks.acquire(data_dir / locks.IN_USE_LOCK, blocking=False)
            if in_use is None:
                raise BackupError(f"{data_dir} is open in a running process (the bot?): stop it, then restore")
            try:
                kept = _carry_over(data_dir, staging)
                try:
                    _move_into_place(staging, data_dir)
                except BaseException:
                    _carry_over(staging, data_dir, only=kept)
                    raise
            finally:
                in_use.close()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Copied(data_dir, health)


def _refuse_server(chroma_url: str | None, command: str) -> None:
    """Backups copy embedded vectors only: a Chroma server's are backed up where the server keeps them."""
    if chroma_url is not None:
        raise BackupError(
            f"the vectors are on the Chroma server at {chroma_url} (LUOSHI_CHROMA_URL), and `luoshi {command}` "
            "copies only a data directory that holds its vectors. Back up the Chroma server's directory "
            "(the --path of `chroma run`) and this data directory together, with no ingest running "
            "(see docs/deployment.md)"
        )


def _copy_store(source: Path, target: Path) -> None:
    """Copy a store's files: SQLite databases through the backup API, Chroma's segment files as they
    are, the published BM25 only; no lock files, no manifest."""
    target.mkdir(parents=True, exist_ok=True)
    _copy_sqlite(source / CATALOG_FILE, target / CATALOG_FILE)
    chroma = source / CHROMA_DIR
    for path in sorted(chroma.rglob("*")) if chroma.is_dir() else []:
        copy = target / path.relative_to(source)
        if path.is_dir():
            copy.mkdir(parents=True, exist_ok=True)
        elif path.name.endswith(".sqlite3"):
            _copy_sqlite(path, copy)
        elif not path.name.endswith(_SQLITE_SIDE_FILES):
            shutil.copy2(path, copy)
    published = source / LEXICAL_DIR / "CURRENT"
    if published.is_file():
        name = published.read_text(encoding="utf-8").strip()
        if (source / LEXICAL_DIR / name).is_dir():
            shutil.copytree(source / LEXICAL_DIR / name, target / LEXICAL_DIR / name)
            shutil.copy2(published, target / LEXICAL_DIR / "CURRENT")


def _copy_sqlite(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _publish_lexical_copy(copy: Path, tokens_from: Path) -> None:
    """Publish BM25 in a copy whose index lags its catalog (a folder ingest was under way)."""
    catalog = Catalog(copy / CATALOG_FILE)
    try:
        folder = copy / LEXICAL_DIR
        index = LexicalIndex.load(folder)
        if index is not None and index.generation == catalog.generation:
            return
        cache = TokenCache.load(folder if index is not None else tokens_from)
        chunk_ids, texts = catalog.all_index_texts()
        LexicalIndex.build(catalog.generation, chunk_ids, texts, cache).save(folder, cache)
    finally:
        catalog.close()


def _checked(copy: Path) -> Health:
    health = inspect(copy)
    if not health.ok:
        problems = "; ".join(problem.message for problem in health.problems)
        raise BackupError(f"the copy does not check out, so it was not kept: {problems}")
    return health


def _manifest(source: Path, health: Health) -> dict:
    return {
        "luoshi_backup": 1,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": str(source.resolve()),
        "generation": health.generation,
        "documents": health.documents,
        "chunks": health.chunks,
    }


def _refuse_nonempty(folder: Path, what: str, hint: str = "") -> None:
    if folder.exists() and (not folder.is_dir() or any(p.name not in locks.LOCK_FILES for p in folder.iterdir())):
        raise BackupError(f"the {what} {folder} is not empty{hint}")


def _staging(final: Path, purpose: str) -> Path:
    """A new folder beside ``final`` (same file system, so the last step is a rename)."""
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{final.name}.{purpose}-", dir=final.parent))
    except OSError as error:  # not allowed there, a file in the way, a full or read-only disk
        raise BackupError(f"cannot write into {final.parent}: {error.strerror or error}") from error


def _move_into_place(staging: Path, final: Path) -> None:
    """Rename ``staging`` to ``final``; what was at ``final`` is removed only once the new one is there."""
    if not final.exists():
        staging.rename(final)
        return
    old = final.parent / f".{final.name}.replaced-{os.getpid()}"
    final.rename(old)
    try:
        staging.rename(final)
    except BaseException:
        old.rename(final)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _carry_over(source: Path, target: Path, only: list[str] | None = None) -> list[str]:
    """Move the entries of ``source`` that are not store parts (or just ``only``) into ``target``;
    their names."""
    names = only if only is not None else [p.name for p in source.iterdir() if p.name not in STORE_PARTS]
    for name in names:
        (source / name).rename(target / name)
    return names


def _fsync(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

"""The file locks of a data directory, shared by every process that uses it.

- ``.write.lock``: one writer at a time (an ingest, a removal, a repair, a backup's copy);
- ``.open.lock``: one process at a time creates or upgrades the store's files when it opens them;
- ``.in-use.lock``: held shared by every open store, so that a restore can tell that none is open.

They are ``flock`` locks: the kernel drops them when a process dies, so a killed process never
leaves one behind. A lock file is never deleted; a lock taken on a file that a restore has since
moved away is taken again on the file now at that path.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

WRITE_LOCK = ".write.lock"
OPEN_LOCK = ".open.lock"
IN_USE_LOCK = ".in-use.lock"
LOCK_FILES = (WRITE_LOCK, OPEN_LOCK, IN_USE_LOCK)


def acquire(path: Path, *, shared: bool = False, blocking: bool = True) -> IO[str] | None:
    """Lock ``path`` and return its open handle (close it to unlock); None if ``blocking`` is
    False and another process holds the lock.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> first = acquire(folder / WRITE_LOCK)
    >>> acquire(folder / WRITE_LOCK, blocking=False) is None
    True
    >>> first.close()
    """
    mode = (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | (0 if blocking else fcntl.LOCK_NB)
    while True:
        handle = path.open("a")
        try:
            fcntl.flock(handle, mode)
        except BlockingIOError:
            handle.close()
            return None
        except BaseException:
            handle.close()
            raise
        if _still_at(handle, path):
            return handle
        handle.close()  # the folder was replaced while we waited: lock the file there now


@contextmanager
def held(path: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold the lock on ``path`` for the ``with`` block (waits for it)."""
    handle = acquire(path, shared=shared)
    try:
        yield
    finally:
        assert handle is not None
        handle.close()


@contextmanager
def attempt(path: Path) -> Iterator[bool]:
    """Hold the exclusive lock on ``path`` for the ``with`` block if it is free; yields whether it is held."""
    handle = acquire(path, blocking=False)
    try:
        yield handle is not None
    finally:
        if handle is not None:
            handle.close()


def _still_at(handle: IO[str], path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == path.stat().st_ino
    except FileNotFoundError:
        return False

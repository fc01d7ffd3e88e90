"""The mark of a store write under way (steps 1–4 of the commit protocol in ``store.py``).

It is set before the new vectors are written and cleared once the lexical index has caught up; a store
opened while it is set (and no writer holds the write lock) repairs the vectors and the lexical index
from the catalog. It lives where the catalog lives, so that every process that can repair sees it:

- SQLite catalog (one machine): the file ``UNCOMMITTED`` in the data directory;
- PostgreSQL catalog (workers on several machines): the row ``uncommitted`` of the catalog's ``meta``
  table, written and deleted each in a committed transaction of its own (the generation does not move).

A marker file left by an older version, or in a data directory that later moved to PostgreSQL, is still
honoured in both setups.

>>> import tempfile
>>> from pathlib import Path
>>> from vectorstore.catalog import Catalog
>>> folder = Path(tempfile.mkdtemp())
>>> marker = WriteMarker(folder, Catalog(folder / "catalog.sqlite3"))
>>> marker.set(["c1", "c2"]); marker.present(), (folder / MARKER_FILE).exists()
(True, True)
>>> marker.clear(); marker.present()
False
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

if TYPE_CHECKING:
    from vectorstore.catalog import Catalog

MARKER_FILE = "UNCOMMITTED"  # in a data directory (CHROMA_DIR is in vectors.py, LEXICAL_DIR in lexical.py)
MARKER_META = "uncommitted"  # the meta key of the marker in a PostgreSQL catalog


class WriteMarker:
    """The marker of the store in ``data_dir`` whose catalog is ``catalog``."""

    def __init__(self, data_dir: Path, catalog: Catalog) -> None:
        self.file = Path(data_dir) / MARKER_FILE
        self.catalog = catalog

    @property
    def in_database(self) -> bool:
        """Whether the marker is kept in the catalog (PostgreSQL) rather than in the data directory."""
        return self.catalog.is_postgres

    def set(self, chunk_ids: list[str]) -> None:
        """Mark a write of ``chunk_ids`` as begun (committed before this returns). Call with the write lock."""
        listed = "\n".join(chunk_ids)
        if not self.in_database:
            self.file.write_text(listed, encoding="utf-8")
            return
        with self.catalog.database.write() as db:
            db.execute(
                text(
                    "INSERT INTO meta (key, value) VALUES (:key, :value) ON CONFLICT (key) DO UPDATE SET value = :value"
                ),
                {"key": MARKER_META, "value": listed},
            )

    def clear(self) -> None:
        """The write is over (or repaired): remove the marker, and a marker file an older version left."""
        if self.in_database:
            with self.catalog.database.write() as db:
                db.execute(text("DELETE FROM meta WHERE key = :key"), {"key": MARKER_META})
        self.file.unlink(missing_ok=True)

    def present(self) -> bool:
        """Whether a write began and was not seen to its end (or is under way in another process)."""
        return self.file.exists() or (self.in_database and self.catalog.get_meta(MARKER_META) is not None)

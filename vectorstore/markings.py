"""The marks of stored documents (「内部资料 注意保存」, or 「机密★1年」 where the operator let one in), in
the catalog's ``markings`` table: one row per marked document, removed with it.

A store made before marks were kept gets the table, and every document it holds gets the mark its stored
text carries (see ingest/classification.py), so that a classified document that came in earlier is known
and the bot will not serve it.
"""

from __future__ import annotations

import sqlite3

MARKINGS_SCHEMA = """
CREATE TABLE IF NOT EXISTS markings (
    doc_id TEXT PRIMARY KEY REFERENCES documents (doc_id) ON DELETE CASCADE,
    marking TEXT NOT NULL,
    classified INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS markings_classified ON markings (classified);
"""
# In the catalog's meta table once every stored document has been read for its mark.
MARKED_KEY = "markings_version"
MARKED_VERSION = "1"


def mark_stored_documents(db: sqlite3.Connection) -> int:
    """Read the mark of every stored document once, in one transaction (a second process opening the store
    at the same time waits, then finds it done). Returns how many documents were marked (0 if done before).
    """
    if _done(db):
        return 0
    from ingest.classification import find_marking  # the one definition of a mark; needed for old stores only

    marked = 0
    db.execute("BEGIN IMMEDIATE")
    try:
        if not _done(db):
            unread = "SELECT doc_id, original FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM markings)"
            for doc_id, original in db.execute(unread).fetchall():
                marking = find_marking(original)
                if marking is not None:
                    db.execute("INSERT INTO markings VALUES (?, ?, ?)", (doc_id, marking.text, int(marking.classified)))
                    marked += 1
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (MARKED_KEY, MARKED_VERSION))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return marked


def _done(db: sqlite3.Connection) -> bool:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (MARKED_KEY,)).fetchone()
    return row is not None and row[0] == MARKED_VERSION

"""The marks of stored documents (「内部资料 注意保存」, or 「机密★1年」 where the operator let one in), in
the catalog's ``markings`` table (``schema.MARKINGS``): one row per marked document, removed with it.

A store made before marks were kept gets the table, and every document it holds gets the mark its stored
text carries (see ingest/classification.py), so that a classified document that came in earlier is known
and the bot will not serve it: a step of the catalog's migrations (vectorstore/schema.py).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

# In the catalog's meta table once every stored document has been read for its mark (stores of the
# releases before the schema version had it; the migration step skips them).
MARKED_KEY = "markings_version"
MARKED_VERSION = "1"


def mark_stored_documents(db: Connection) -> int:
    """Read the mark of every stored document, inside the open (migration) transaction ``db``. Returns how
    many documents were marked (0 if done before)."""
    if _done(db):
        return 0
    from ingest.classification import find_marking  # the one definition of a mark; needed for old stores only

    marked = 0
    unread = (
        "SELECT d.doc_id, d.original FROM documents d "
        "WHERE NOT EXISTS (SELECT 1 FROM markings m WHERE m.doc_id = d.doc_id)"
    )
    for doc_id, original in db.execute(text(unread)).all():
        marking = find_marking(original)
        if marking is not None:
            db.execute(
                text("INSERT INTO markings (doc_id, marking, classified) VALUES (:doc_id, :marking, :classified)"),
                {"doc_id": doc_id, "marking": marking.text, "classified": int(marking.classified)},
            )
            marked += 1
    db.execute(
        text("INSERT INTO meta (key, value) VALUES (:key, :value) ON CONFLICT (key) DO UPDATE SET value = :value"),
        {"key": MARKED_KEY, "value": MARKED_VERSION},
    )
    return marked


def _done(db: Connection) -> bool:
    row = db.execute(text("SELECT value FROM meta WHERE key = :key"), {"key": MARKED_KEY}).first()
    return row is not None and row[0] == MARKED_VERSION

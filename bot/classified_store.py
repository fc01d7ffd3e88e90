"""No channel serves a store that holds classified documents (密级).

Uploads through a channel refuse them whatever the settings; only ``luoshi ingest`` with
LUOSHI_ALLOW_CLASSIFIED stores them, for a store meant for other use. The bot, the HTTP API and WeCom
refuse to start on such a store (:func:`refuse_classified_store`, an English error for operators) and
withhold answers if one comes in while they run.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from vectorstore.catalog import Catalog, DocumentRecord

logger = logging.getLogger(__name__)


class ClassifiedStoreError(ValueError):
    """The store holds classified documents: the bot will not serve it."""


def classified_store_problem(documents: Sequence[DocumentRecord], data_dir: Path) -> str:
    """Why the bot will not serve the store, for operators: which documents, and what to do.

    >>> record = DocumentRecord("ab12", "k", "通知", "a.txt", "h", None, None, None, "t", 1, 1, "机密★1年", True)
    >>> classified_store_problem([record], Path("data")).split(";")[0]
    'the store in data holds 1 classified document(s) (ab12 a.txt 机密★1年)'
    """
    listed = ", ".join(f"{record.doc_id} {record.source} {record.marking}" for record in documents[:5])
    more = f" and {len(documents) - 5} more" if len(documents) > 5 else ""
    return (
        f"the store in {data_dir} holds {len(documents)} classified document(s) ({listed}{more}); Luoshi "
        "does not serve a store with classified documents (bot, API or WeCom): remove them (luoshi remove ID) or "
        "serve another LUOSHI_DATA_DIR"
    )


def refuse_classified_store(catalog: Catalog, data_dir: Path) -> None:
    """Raise :class:`ClassifiedStoreError` (and log it) if the store holds classified documents."""
    documents = catalog.classified_documents()
    if documents:
        problem = classified_store_problem(documents, data_dir)
        logger.error("Not serving: %s", problem)
        raise ClassifiedStoreError(problem)

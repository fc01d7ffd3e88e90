"""Bylines: who gave a document, at which meeting, on which date, and who signed it, each with the
line that says so. Stored beside the ledger (table ``bylines`` in ``schema.py``), written in the
transaction that commits the document and removed with it.

Offsets are into the document's original text: ``quote`` is ``original[start:end]``, verbatim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Connection, text

from vectorstore.schema import BYLINES

if TYPE_CHECKING:
    from vectorstore.catalog import Catalog

BylineKind = Literal["speaker", "meeting", "date", "issuer"]


@dataclass(frozen=True)
class Byline:
    """One fact of a document's head or tail: ``value`` is the speaker's name (``post`` the post the
    line gives them, e.g. 青山县县长), the meeting, the date (2024年12月26日; ``post`` the signer when
    it dates a signature) or the issuing unit."""

    kind: BylineKind
    value: str
    post: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class BylineRecord:
    """A stored byline with its document."""

    doc_id: str
    title: str
    byline: Byline


def write_bylines(db: Connection, doc_id: str, bylines: Sequence[Byline]) -> None:
    """Replace the bylines of ``doc_id`` inside an open transaction."""
    db.execute(text("DELETE FROM bylines WHERE doc_id = :id"), {"id": doc_id})
    if bylines:
        db.execute(
            BYLINES.insert(),
            [
                {"doc_id": doc_id, "seq": seq, "kind": b.kind, "value": b.value, "post": b.post, "quote": b.quote,
                 "start": b.start, "end": b.end}
                for seq, b in enumerate(bylines)
            ],
        )  # fmt: skip


def read_bylines(catalog: Catalog, doc_ids: Iterable[str] | None = None) -> list[BylineRecord]:
    """The bylines of the given documents (of every document if None), in document order."""
    arguments: dict[str, object] = {}
    where = ""
    if doc_ids is not None:
        ids = list(dict.fromkeys(doc_ids))
        if not ids:
            return []
        where, arguments = " WHERE b.doc_id IN :ids", {"ids": ids}
    rows = catalog.rows(
        'SELECT b.doc_id, d.title, b.kind, b.value, b.post, b.quote, b.start, b."end" '
        "FROM bylines b JOIN documents d USING (doc_id)" + where + " ORDER BY b.doc_id, b.seq",
        arguments,
        expanding=("ids",) if arguments else (),
    )
    return [BylineRecord(doc_id, title, Byline(*rest)) for doc_id, title, *rest in rows]

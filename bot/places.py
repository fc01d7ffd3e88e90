"""The place filter: an answer about a city comes from a document that names the city."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from bot.candidates import Candidate
from bot.passages import DocumentView


def naming_places(
    candidates: Iterable[Candidate], places: tuple[str, ...], document_of: Callable[[str], DocumentView]
) -> Iterator[Candidate]:
    """The candidates from documents that name every place the question names: a county's
    target does not answer a question about the city."""
    for candidate in candidates:
        if not places or not candidate.citations:
            yield candidate
            continue
        document = document_of(candidate.citations[0].doc_id)
        if all(place in document.text or place in document.title for place in places):
            yield candidate

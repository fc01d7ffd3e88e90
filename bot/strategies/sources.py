"""The two sources strategies read, the retrieved passages and the ledger, as one question sees them.

A ledger record is cited like a passage: its document, section and verbatim quote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, TypeVar

from bot.answers import Citation
from bot.passages import Coverage, DocumentView, Passage
from bot.questions import Question
from vectorstore.catalog import DocumentRecord
from vectorstore.ledger import DirectiveRecord, Ledger, SloganRecord

S = TypeVar("S")


class LedgerView:
    """The ledger as one question reads it: lookups by name, and the records in the text retrieved
    for the question (read once, when a strategy first asks for them)."""

    def __init__(self, ledger: Ledger, nearby: Callable[[], list[DirectiveRecord]]) -> None:
        self.ledger = ledger
        self._nearby = nearby

    @cached_property
    def nearby(self) -> list[DirectiveRecord]:
        """The directives recorded for the chunks retrieved for the question."""
        return self._nearby()


@dataclass(frozen=True)
class Reading:
    """What one question is answered from: the question, its coverage measure, the passages
    retrieved for it, the ledger, and the documents (by id) and their records."""

    question: Question
    coverage: Coverage
    passages: list[Passage]
    ledger: LedgerView
    document_of: Callable[[str], DocumentView]
    records: dict[str, DocumentRecord]


@dataclass(frozen=True)
class Source(Generic[S]):
    """Where a strategy reads: the retrieved passages or the ledger."""

    name: str
    read: Callable[[Reading], S]


PASSAGES: Source[list[Passage]] = Source("passages", lambda reading: reading.passages)
LEDGER: Source[LedgerView] = Source("ledger", lambda reading: reading.ledger)


def cite_record(record: DirectiveRecord | SloganRecord) -> Citation:
    """The citation of a ledger record (a directive or a slogan): its document, section and quote."""
    return Citation(record.doc_id, record.title, record.section_label, record.quote, record.start, record.end)


def with_heading(record: DirectiveRecord) -> str:
    """A task read with the heading it sits under: 「三要抓好招商引资」 names what its sentence
    leaves implicit."""
    return f"{record.section[-1]} {record.task}" if record.section else record.task


def record_coverage(record: DirectiveRecord, coverage: Coverage) -> float:
    """How much of the question a ledger task covers: the task with the parties it names (「财政部参与吗」
    asks about one) and their posts (「谁是召集人」); the heading a task sits under counts between the
    task's own words and its wider context (section, title, date)."""
    context = f"{record.section_label} {record.title} {record.date or ''}"
    named = " ".join(f"{party.name} {party.title or ''}" for party in record.parties)
    return (coverage(f"{record.task} {named}", context) + coverage(f"{with_heading(record)} {named}", context)) / 2

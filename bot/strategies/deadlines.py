"""Deadline questions (「什么时候完成」): the time limit the ledger records for a task, else a statement
that names one."""

from __future__ import annotations

from collections.abc import Iterator

from bot.candidates import Candidate, Feature
from bot.excerpts import clip
from bot.passages import Coverage, Passage
from bot.questions import Question
from bot.strategies.sentences import best_window, time_lead_in, with_time_lead_in
from bot.strategies.sources import LedgerView, cite_record, record_coverage
from ingest.language.times import DEADLINE, EXPLICIT_YEAR
from prompts import answer_texts as texts

# How much of a task a deadline answer names.
_TASK_CHARS = 60


def from_ledger(question: Question, ledger: LedgerView, coverage: Coverage) -> Iterator[Candidate]:
    """The time limit the ledger records for the task the question describes."""
    for record in ledger.nearby:
        if not record.deadline:
            continue
        answer = texts.DEADLINE_ANSWER.format(deadline=record.deadline, task=clip(record.task, _TASK_CHARS))
        yield Candidate(answer, (cite_record(record),), record_coverage(record, coverage), features=(Feature.DEADLINE,))


def from_passages(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """A statement that names a time limit (年底前, 限期, 事不过夜) for what the question asks; a time
    said in the statement's opening clause (「到2030年，」) is kept before the clauses that match."""
    for passage in passages:
        text = passage.document.text
        span = (passage.start, passage.end)
        match = DEADLINE.search(text, *span) or EXPLICIT_YEAR.search(text, *span)
        if match is None:
            continue
        covered = coverage.of(passage)
        lead_in = time_lead_in(passage.text)
        if lead_in and match.end() <= passage.start + len(lead_in):
            answer = with_time_lead_in(passage, *best_window(passage, coverage))
        else:
            start, end = best_window(passage, coverage, must_include=(match.start(), match.end()))
            answer = text[start:end]
        yield Candidate(answer, (passage.cite(),), covered, passage.rank, (Feature.DEADLINE,))

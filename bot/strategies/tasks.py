"""Every task of one unit or person (「李新负责什么？」): from the ledger, else from passages."""

from __future__ import annotations

from collections.abc import Iterator

from bot import lookup
from bot.candidates import Candidate
from bot.excerpts import clip
from bot.passages import Coverage, Passage
from bot.questions import Question
from bot.scoring import FULL_COVERAGE
from bot.strategies.sources import LedgerView, cite_record
from bot.strategies.who import assignments
from ingest.conventions.assignments import Assignment
from ingest.conventions.registry import Party
from ingest.language.parties import party_matches
from prompts import answer_texts as texts

# How many of a party's tasks an answer lists (the rest are counted).
_MAX_TASKS_LISTED = 12
# How much of each task a list read from the ledger shows.
_LEDGER_TASK_CHARS = 80
# How much of each task a list read from passages shows.
_PASSAGE_TASK_CHARS = 120


def from_ledger(question: Question, ledger: LedgerView, coverage: Coverage) -> Iterator[Candidate]:
    """Every task the ledger gives the party, newest documents first."""
    if not question.tasks_of:
        return
    records = lookup.tasks(ledger.ledger, question.tasks_of)
    if not records:
        return
    shown = records[:_MAX_TASKS_LISTED]
    name = next((p.name for p in shown[0].parties if party_matches(question.tasks_of, p.name)), question.tasks_of)
    lines = [texts.TASKS_OF.format(party=name, count=len(records))]
    lines += [
        texts.TASK_LINE.format(number=n, task=clip(r.task, _LEDGER_TASK_CHARS)) for n, r in enumerate(shown, start=1)
    ]
    if len(records) > len(shown):
        lines.append(texts.MORE_TASKS.format(count=len(records) - len(shown)))
    yield Candidate("\n".join(lines), tuple(cite_record(r) for r in shown), FULL_COVERAGE, entity=name)


def from_passages(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """Every task the retrieved passages give the party, in document order."""
    party = question.tasks_of or ""
    found: list[tuple[Passage, Assignment, Party]] = []
    for passage, assignment in assignments(passages):
        for named in assignment.parties:
            if party and party_matches(party, named.name):
                found.append((passage, assignment, named))
                break
    if not found:
        return
    found.sort(key=lambda item: (item[0].document.doc_id, item[1].start))
    lines = [texts.TASKS_OF.format(party=found[0][2].name, count=len(found))]
    citations = []
    for number, (passage, assignment, _) in enumerate(found, start=1):
        task = passage.document.text[assignment.start : assignment.end]
        lines.append(texts.TASK_LINE.format(number=number, task=clip(task, _PASSAGE_TASK_CHARS)))
        citations.append(passage.cite(assignment.start, assignment.end))
    yield Candidate("\n".join(lines), tuple(citations), FULL_COVERAGE, entity=found[0][2].name)

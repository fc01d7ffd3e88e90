"""Answers from the ledger: the directives and slogans extracted at ingest, with their sources.

The ledger is read first for who-questions, tasks of a party and slogan definitions; the engine
falls back to reading retrieved passages when it has nothing that covers the question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from bot import lookup
from bot.answers import Citation
from bot.excerpts import clip
from bot.extractive import Candidate, describe_parties
from bot.passages import Coverage
from bot.questions import Question
from ingest.language.parties import is_person, party_matches
from prompts import answer_texts as texts
from vectorstore.ledger import DirectiveRecord, Ledger, SloganRecord

_EXPLICIT_ROLE_BONUS = 0.05
_MAX_TASKS_LISTED = 12
_TASK_CHARS = 80  # how much of each task a list shows
_DEADLINE_TASK_CHARS = 60  # how much of a task a deadline answer names
_DEADLINE_BONUS = 0.05  # as the passage reader's: a statement that names a time limit
# Records of two documents answer the same question alike: the same task, assigned again.
_SAME_TASK_MARGIN = 0.2
_SAME_TASK_SIMILARITY = 0.25


def cite_directive(record: DirectiveRecord) -> Citation:
    return Citation(record.doc_id, record.title, record.section_label, record.quote, record.start, record.end)


def cite_slogan(record: SloganRecord) -> Citation:
    return Citation(record.doc_id, record.title, record.section_label, record.quote, record.start, record.end)


def describe(record: DirectiveRecord) -> str:
    """「由李新同志牵头，县公安部门负责。」 from a ledger row."""
    return describe_parties(record.lead, record.responsible, record.cooperating, record.deadline)


def focus(record: DirectiveRecord, question: Question) -> str | None:
    """The party the question asks about: its role first (lead ↔ responsible as a fallback)."""
    order = {"lead": ("lead", "responsible"), "cooperate": ("cooperate",)}.get(
        question.role or "responsible", ("responsible", "lead")
    )
    names = [name for role in order for name in record.named(role)]
    if question.wants_unit:
        units = [name for name in names if not is_person(name)]
        names = units or names
    return names[0] if names else None


def role_candidates(question: Question, records: Iterable[DirectiveRecord], coverage: Coverage) -> Iterator[Candidate]:
    """Who leads / is responsible for / cooperates on the task the question describes.

    When other documents assign the same task (records that cover the question about as well and
    share a good part of their wording), the newest document's assignment answers and the older
    ones follow it, so a cadre sees what changed.
    """
    scored = []
    for record in records:
        entity = focus(record, question)
        if entity is None:
            continue
        context = f"{record.section_label} {record.title} {record.date or ''}"
        # The heading a task sits under counts between the task's own words and its wider context.
        score = (coverage(record.task, context) + coverage(_with_heading(record), context)) / 2
        if question.role and any(p.role == question.role and p.explicit for p in record.parties):
            score += _EXPLICIT_ROLE_BONUS
        scored.append((score, record, entity))
    pairs = {record.directive_id: bigrams(_with_heading(record)) for _, record, _ in scored}
    for score, record, entity in scored:
        group = [record]
        if not question.years:  # a question that names its year asks about that year only
            group += [
                other
                for other_score, other, _ in scored
                if other.doc_id != record.doc_id
                and other_score >= score - _SAME_TASK_MARGIN
                and jaccard(pairs[other.directive_id], pairs[record.directive_id]) >= _SAME_TASK_SIMILARITY
            ]
        group.sort(key=lambda r: (r.date or "", r.ingested_at), reverse=True)
        yield _with_history(score, _one_per_document(group), record, entity)


def _with_heading(record: DirectiveRecord) -> str:
    """A task read with the heading it sits under: 「三要抓好招商引资」 names what its sentence
    leaves implicit."""
    return f"{record.section[-1]} {record.task}" if record.section else record.task


def _one_per_document(group: list[DirectiveRecord]) -> list[DirectiveRecord]:
    seen: set[str] = set()
    return [r for r in group if not (r.doc_id in seen or seen.add(r.doc_id))]


def _with_history(score: float, group: list[DirectiveRecord], record: DirectiveRecord, entity: str) -> Candidate:
    """The record's answer; with the same task in several documents, the newest first."""
    if len(group) < 2:
        return Candidate(score, describe(record), (cite_directive(record),), entity=entity)
    newest, *older = group
    lines = [describe(newest)]
    lines += [texts.EARLIER.format(title=o.title, date=o.date or o.ingested_at[:10], answer=describe(o)) for o in older]
    return Candidate(
        score, "\n".join(lines), tuple(cite_directive(r) for r in group), entity=focus_name(newest, entity)
    )


def focus_name(record: DirectiveRecord, fallback: str) -> str:
    return next((party.name for party in record.parties if party.name == fallback), fallback)


def deadline_candidates(records: Iterable[DirectiveRecord], coverage: Coverage) -> Iterator[Candidate]:
    """The time limit the ledger records for the task the question describes."""
    for record in records:
        if not record.deadline:
            continue
        context = f"{record.section_label} {record.title} {record.date or ''}"
        score = (coverage(record.task, context) + coverage(_with_heading(record), context)) / 2
        answer = texts.DEADLINE_ANSWER.format(deadline=record.deadline, task=clip(record.task, _DEADLINE_TASK_CHARS))
        yield Candidate(score + _DEADLINE_BONUS, answer, (cite_directive(record),))


def tasks_of(question: Question, ledger: Ledger) -> Iterator[Candidate]:
    """Every task the ledger gives a unit or person, newest documents first."""
    if not question.tasks_of:
        return
    records = lookup.tasks(ledger, question.tasks_of)
    if not records:
        return
    shown = records[:_MAX_TASKS_LISTED]
    name = next((p.name for p in shown[0].parties if party_matches(question.tasks_of, p.name)), question.tasks_of)
    lines = [texts.TASKS_OF.format(party=name, count=len(records))]
    lines += [texts.TASK_LINE.format(number=n, task=clip(r.task, _TASK_CHARS)) for n, r in enumerate(shown, start=1)]
    if len(records) > len(shown):
        lines.append(texts.MORE_TASKS.format(count=len(records) - len(shown)))
    yield Candidate(1.0, "\n".join(lines), tuple(cite_directive(r) for r in shown), entity=name)


def definitions(question: Question, ledger: Ledger, coverage: Coverage) -> Iterator[Candidate]:
    """A quoted term's definition as the ledger's glossary has it (the newest document's)."""
    for term in question.quoted:
        for entry in lookup.glossary(ledger, term):
            record = entry.definition
            if record is None or not record.definition:
                continue
            score = coverage(record.quote, f"{record.section_label} {record.title}") + 0.3
            answer = texts.SLOGAN_DEFINITION.format(term=entry.term, definition=record.definition)
            yield Candidate(score, answer, (cite_slogan(record),), entity=entry.term)


def bigrams(text: str) -> set[str]:
    """The character pairs of ``text`` without punctuation, for comparing task wordings."""
    compact = re.sub(r"[^\w]", "", text)
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def jaccard(left: set[str], right: set[str]) -> float:
    return len(left & right) / len(left | right) if left and right else 0.0

"""Who leads, is responsible for or cooperates on a task: from ledger records and from passages.

Answers read 「由李新同志牵头，县公安部门负责。」; the party the question asks for is the answer's
entity, so that 「那他还负责什么？」 can follow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from bot.candidates import Candidate, Feature
from bot.passages import Coverage, Passage
from bot.questions import Question
from bot.scoring import SAME_TASK_MARGIN, score
from bot.strategies.sources import LedgerView, cite_record, record_coverage, with_heading
from ingest.conventions.assignments import Assignment, find_assignments
from ingest.conventions.registry import Party
from ingest.language.parties import is_person
from ingest.language.roles import ROLES, Role
from prompts import answer_texts as texts
from vectorstore.ledger import DirectiveRecord, PartyRecord

# The roles that answer a question for a role, in order: a lead answers for the responsible too.
_ROLE_ORDER: dict[Role, tuple[Role, ...]] = {
    "lead": ("lead", "responsible"),
    "responsible": ("responsible", "lead"),
    "cooperate": ("cooperate",),
}
# Records of two documents that share this much of their wording (bigram Jaccard) are the same task.
_SAME_TASK_SIMILARITY = 0.25


# ------------------------------------------------------------------------------------- ledger
def from_ledger(question: Question, ledger: LedgerView, coverage: Coverage) -> Iterator[Candidate]:
    """Who leads / is responsible for / cooperates on the task the question describes, as recorded.

    When other documents assign the same task (records that score about as well and share a good
    part of their wording), the newest document's assignment answers and the older ones follow it,
    so a cadre sees what changed.
    """
    alone: list[tuple[DirectiveRecord, Candidate]] = []
    for record in ledger.nearby:
        if not _holds_post(record.parties, question.posts):
            continue
        entity = _record_focus(record, question)
        if entity is None:
            continue
        candidate = Candidate(
            _describe(record),
            (cite_record(record),),
            record_coverage(record, coverage),
            features=(Feature.EXPLICIT_ROLE,) if _states_role(record.parties, question.role) else (),
            entity=entity,
        )
        alone.append((record, candidate))
    pairs = {record.directive_id: _bigrams(with_heading(record)) for record, _ in alone}
    scores = {record.directive_id: score(candidate) for record, candidate in alone}
    for record, candidate in alone:
        group = [record]
        if not question.years:  # a question that names its year asks about that year only
            group += [
                other
                for other, _ in alone
                if other.doc_id != record.doc_id
                and scores[other.directive_id] >= scores[record.directive_id] - SAME_TASK_MARGIN
                and _jaccard(pairs[other.directive_id], pairs[record.directive_id]) >= _SAME_TASK_SIMILARITY
            ]
        group.sort(key=lambda r: (r.date or "", r.ingested_at), reverse=True)
        yield _with_history(candidate, _one_per_document(group))


def _describe(record: DirectiveRecord) -> str:
    """「由李新同志牵头，县公安部门负责。」 from a ledger row."""
    named = [(party.name, party.role, party.title) for party in record.parties] or [
        (name, role, None) for role in ROLES for name in record.named(role)
    ]
    return _describe_parties(named, record.deadline, record.scope)


def _record_focus(record: DirectiveRecord, question: Question) -> str | None:
    """The party the question asks about: its role first (lead ↔ responsible as a fallback)."""
    names = [name for role in _ROLE_ORDER[question.role or "responsible"] for name in record.named(role)]
    if question.wants_unit:
        units = [name for name in names if not is_person(name)]
        names = units or names
    return names[0] if names else None


def _one_per_document(group: list[DirectiveRecord]) -> list[DirectiveRecord]:
    seen: set[str] = set()
    return [r for r in group if not (r.doc_id in seen or seen.add(r.doc_id))]


def _with_history(candidate: Candidate, group: list[DirectiveRecord]) -> Candidate:
    """The record's candidate; with the same task in several documents, the newest first."""
    if len(group) < 2:
        return candidate
    newest, *older = group
    lines = [_describe(newest)]
    lines += [
        texts.EARLIER.format(title=old.title, date=old.date or old.ingested_at[:10], answer=_describe(old))
        for old in older
    ]
    entity = candidate.entity or ""
    return replace(
        candidate,
        answer="\n".join(lines),
        citations=tuple(cite_record(r) for r in group),
        entity=next((party.name for party in newest.parties if party.name == entity), entity),
    )


def _bigrams(text: str) -> set[str]:
    """The character pairs of ``text`` without punctuation, for comparing task wordings."""
    compact = re.sub(r"[^\w]", "", text)
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def _jaccard(left: set[str], right: set[str]) -> float:
    return len(left & right) / len(left | right) if left and right else 0.0


# ----------------------------------------------------------------------------------- passages
def from_passages(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """Who leads / is responsible for / cooperates on the task the question describes, as read."""
    for passage, assignment in assignments(passages):
        if not _holds_post(assignment.parties, question.posts):
            continue
        focus = _focus_party(assignment, question.role or "responsible", question.wants_unit)
        if focus is None:
            continue
        task_text = passage.document.text[assignment.start : assignment.end]
        yield Candidate(
            _describe_parties(
                [(party.name, party.role, party.title) for party in assignment.parties],
                assignment.deadline,
                assignment.scope,
            ),
            (passage.cite(assignment.start, assignment.end),),
            coverage(task_text, passage.context),
            passage.rank,
            (Feature.EXPLICIT_ROLE,) if _states_role(assignment.parties, question.role) else (),
            focus.name,
        )


def assignments(passages: list[Passage]) -> Iterator[tuple[Passage, Assignment]]:
    """Every assignment (a task with its parties) in the passages, in order."""
    for passage in passages:
        for assignment in find_assignments(passage.document.text, passage.start, passage.end):
            yield passage, assignment


def _focus_party(assignment: Assignment, role: Role, wants_unit: bool) -> Party | None:
    """The party the question asks for: its role first, explicit before implied."""
    order = _ROLE_ORDER[role]
    candidates = [party for wanted in order for party in assignment.named(wanted)]
    if wants_unit:
        units = [party for party in candidates if not is_person(party.name)]
        candidates = units or candidates
    candidates.sort(key=lambda party: (order.index(party.role), not party.explicit))
    return candidates[0] if candidates else None


# ---------------------------------------------------------------------------------- wording
def _describe_parties(
    parties: Sequence[tuple[str, Role, str | None]], deadline: str | None, scope: str | None = None
) -> str:
    """「由X牵头，Y负责，Z配合，分管领导：W，时限要求：…。」: parties by role, then those with a title
    (a post or a table column saying more than the role) by it; each name once per role."""
    plain = {role: [name for name, named_role, title in parties if named_role == role and not title] for role in ROLES}
    parts = [texts.LEAD.format(lead=name) for name in dict.fromkeys(plain["lead"])]
    parts += [texts.RESPONSIBLE.format(responsible=name) for name in dict.fromkeys(plain["responsible"])]
    parts += [texts.COOPERATE.format(cooperate=name) for name in dict.fromkeys(plain["cooperate"])]
    titled = dict.fromkeys((name, title) for name, _, title in parties if title)
    parts += [texts.TITLED.format(title=title, name=name) for name, title in titled]
    if scope:
        parts.append(texts.SCOPE.format(scope=scope))
    if deadline:
        parts.append(texts.DEADLINE.format(deadline=deadline))
    return texts.PARTS_JOINER.join(parts) + texts.SENTENCE_END


def _holds_post(parties: Iterable[Party] | Iterable[PartyRecord], posts: Sequence[str]) -> bool:
    """Whether a party holds one of the posts a question asks about (「召集人是谁」 is answered by who is
    召集人, not by who leads); any parties when it asks about none."""
    return not posts or any(party.title and any(post in party.title for post in posts) for party in parties)


def _states_role(parties: Iterable[Party] | Iterable[PartyRecord], role: Role | None) -> bool:
    """Whether a party is given the role asked for in so many words (「由X牵头」), not by implication."""
    return role is not None and any(party.role == role and party.explicit for party in parties)

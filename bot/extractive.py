"""Extractive answering: find the span that answers, quote it, claim nothing else.

Each strategy looks at the passages retrieved for a question and proposes candidates: an answer
text taken from a source span, the spans to cite, and a score (how much of the question the
supporting text covers). The engine keeps the best candidate above a threshold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from bot.answers import Citation
from bot.excerpts import clip
from bot.passages import Coverage, Passage
from bot.questions import Question
from ingest.directives import Assignment, Party, find_assignments
from ingest.language.boundaries import CLAUSE_WITH_END
from ingest.language.parties import is_person, party_matches
from ingest.language.roles import Role
from ingest.language.terms import clause_count, items_of, quoted_terms, term_matches
from ingest.language.times import DEADLINE
from ingest.slogans import find_slogans
from prompts import answer_texts as texts

_RANK_BONUS = 0.03
_MAX_ANSWER_CHARS = 120
_DIGIT = re.compile(r"\d")

SectionLookup = Callable[[Passage], tuple[int, int] | None]


@dataclass(frozen=True)
class Candidate:
    """A possible answer with the spans that support it."""

    score: float
    answer: str
    citations: tuple[Citation, ...]
    entity: str | None = None


# How far from a list its kind (「…”的原则」, 「以下四项原则：」) may be said.
_KIND_REACH = 12


def rank_bonus(passage: Passage) -> float:
    return _RANK_BONUS / (1 + passage.rank)


# ---------------------------------------------------------------------------------------- roles
def assignment_candidates(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """Who leads / is responsible for / cooperates on the task the question describes."""
    for passage, assignment in _assignments(passages):
        focus = _focus_party(assignment, question.role or "responsible", question.wants_unit)
        if focus is None:
            continue
        task_text = passage.document.text[assignment.start : assignment.end]
        score = coverage(task_text, passage.context) + rank_bonus(passage)
        if question.role and any(p.role == question.role and p.explicit for p in assignment.parties):
            score += 0.05
        yield Candidate(
            score,
            describe_assignment(assignment),
            (passage.cite(assignment.start, assignment.end),),
            entity=focus.name,
        )


def _assignments(passages: list[Passage]) -> Iterator[tuple[Passage, Assignment]]:
    for passage in passages:
        for assignment in find_assignments(passage.document.text, passage.start, passage.end):
            yield passage, assignment


def _focus_party(assignment: Assignment, role: Role, wants_unit: bool) -> Party | None:
    """The party the question asks for: its role first, explicit before implied."""
    order: list[Role] = {
        "lead": ["lead", "responsible"],
        "responsible": ["responsible", "lead"],
        "cooperate": ["cooperate"],
    }[role]
    candidates = [party for wanted in order for party in assignment.named(wanted)]
    if wants_unit:
        units = [party for party in candidates if not is_person(party.name)]
        candidates = units or candidates
    candidates.sort(key=lambda party: (order.index(party.role), not party.explicit))
    return candidates[0] if candidates else None


def describe_assignment(assignment: Assignment) -> str:
    """「由李新同志牵头，县公安部门负责。」 from the parties of an assignment."""
    return describe_parties(
        *([party.name for party in assignment.named(role)] for role in ("lead", "responsible", "cooperate")),
        assignment.deadline,
    )


def describe_parties(
    leads: Sequence[str], responsible: Sequence[str], cooperating: Sequence[str], deadline: str | None
) -> str:
    """「由X牵头，Y负责，Z配合，时限要求：…。」"""
    parts = [texts.LEAD.format(lead=name) for name in leads]
    parts += [texts.RESPONSIBLE.format(responsible=name) for name in responsible]
    parts += [texts.COOPERATE.format(cooperate=name) for name in cooperating]
    if deadline:
        parts.append(texts.DEADLINE.format(deadline=deadline))
    return texts.PARTS_JOINER.join(parts) + texts.SENTENCE_END


def tasks_of_candidates(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """Every task a named unit or person is given: 「李新负责什么？」."""
    party = question.tasks_of or ""
    found: list[tuple[Passage, Assignment, Party]] = []
    for passage, assignment in _assignments(passages):
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
        lines.append(texts.TASK_LINE.format(number=number, task=clip(task, _MAX_ANSWER_CHARS)))
        citations.append(passage.cite(assignment.start, assignment.end))
    yield Candidate(1.0, "\n".join(lines), tuple(citations), entity=found[0][2].name)


# -------------------------------------------------------------------------------------- slogans
def definition_candidates(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """A quoted term of the question, defined where the text defines it (「即…」「就是…」).

    A term matches a quoted slogan that is the same, or one item of a listing slogan: 「四个一」
    does not match 「四个一批」. Without a definition, the sentence using the term is offered
    only when the question does not ask what the term means.
    """
    for term in question.quoted:
        for passage in passages:
            for mention in find_slogans(passage.document.text, passage.start, passage.end):
                if not term_matches(term, mention.term):
                    continue
                score = coverage(passage.text, passage.context) + rank_bonus(passage)
                if mention.definition:
                    yield Candidate(
                        score + 0.3,
                        texts.SLOGAN_DEFINITION.format(term=mention.term, definition=mention.definition),
                        (passage.cite(mention.start, mention.definition_end),),
                        entity=mention.term,
                    )
                elif mention.term != term:  # the question names one item: answer with the whole list
                    yield Candidate(score + 0.2, mention.term, (passage.cite(),), entity=mention.term)
                elif not question.asks_meaning:
                    yield Candidate(
                        score, clip(passage.text, _MAX_ANSWER_CHARS), (passage.cite(),), entity=mention.term
                    )


def enumeration_candidates(
    question: Question, passages: list[Passage], coverage: Coverage, sections: SectionLookup
) -> Iterator[Candidate]:
    """The items of a list the question asks for: 哪几个快, 哪“三个以”, 哪两句话."""
    enumeration = question.enumeration
    if enumeration is None:
        return
    for passage in passages:
        score = coverage(passage.text, passage.context) + rank_bonus(passage)
        text = passage.document.text
        if enumeration.counter in {"句", "字"}:
            for mention in find_slogans(text, passage.start, passage.end):
                size = clause_count(mention.term) if enumeration.counter == "句" else _cjk_length(mention.term)
                if mention.term in question.text or clause_count(mention.term) < 2:
                    continue
                if enumeration.count is None or size == enumeration.count:
                    yield Candidate(score + 0.1, mention.term, (passage.cite(mention.start, mention.end),))
            continue
        if enumeration.noun:  # 四条原则: a list of four with 原则 right before or after it
            for start, end, items in _lists_in(text, passage.start, passage.end):
                near = text[max(passage.start, start - _KIND_REACH) : end + _KIND_REACH]
                if len(items) == enumeration.count and enumeration.noun in near:
                    yield Candidate(score + 0.1, "、".join(items), (passage.cite(start, end),))
            continue
        for start, end, items in _lists_in(text, passage.start, passage.end):
            if _items_fit(items, enumeration.affix, enumeration.count):
                yield Candidate(score + 0.1, "、".join(items), (passage.cite(start, end),))
        section = sections(passage)
        if section is not None:
            spans = _parallel_sentences(text, section, enumeration.affix)
            if len(spans) >= 2 and (enumeration.count is None or len(spans) == enumeration.count):
                items = [text[s:e].rstrip("。！；") for s, e in spans]
                yield Candidate(
                    score + 0.05,
                    texts.ENUMERATION_JOINER.join(items),
                    tuple(passage.cite(s, e) for s, e in spans),
                )


def _lists_in(text: str, start: int, end: int) -> Iterator[tuple[int, int, list[str]]]:
    """Lists written with 、 or inside quotes: (span start, span end, items)."""
    for term_start, term_end, term in quoted_terms(text, start, end, min_chars=2, max_chars=80):
        items = items_of(term)
        if len(items) >= 2:
            yield term_start, term_end, items
    for match in re.finditer(r"[^，；：。！？“”]+(?:、[^，；：。！？“”]+)+", text[start:end]):
        items = match.group().split("、")
        yield start + match.start(), start + match.end(), items


def _items_fit(items: list[str], affix: str, count: int | None) -> bool:
    if len(items) < 2 or (count is not None and len(items) != count) or not affix:
        return False
    return all(item.startswith(affix) for item in items) or all(item.endswith(affix) for item in items)


def _parallel_sentences(text: str, section: tuple[int, int], affix: str) -> list[tuple[int, int]]:
    """Short sentences of a section that end alike (「任务交办要快。」「工作推进要快。」)."""
    if not affix:
        return []
    pattern = re.compile(r"(?:^|(?<=[。！？\n]))([^。！？\n，；]{2,14}" + re.escape(affix) + r")[。！；]")
    return [(m.start(1), m.end(1)) for m in pattern.finditer(text, *section)]


def cloze_candidates(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """「以什么为根本」 → the sentence with 以…为根本, answered by the quoted term in the gap."""
    if question.cloze is None:
        return
    left, right = question.cloze
    for passage in passages:
        text = passage.document.text
        score = coverage(passage.text, passage.context) + rank_bonus(passage)
        for match in re.finditer(re.escape(left), text[passage.start : passage.end]):
            gap_start = passage.start + match.end()
            window = text[gap_start : min(passage.end, gap_start + 40)]
            quoted = re.match(r"[\u4e00-\u9fff]{0,4}?“([^“”]{1,30})”", window)
            right_at = window.find(right) if right else -1
            if quoted:
                start = gap_start + quoted.start(1)
                # The question's right-hand words right after the term (以“…”为根本) confirm it.
                confirmed = 0 <= right_at - quoted.end() <= 20
                yield Candidate(
                    score + (0.15 if confirmed else 0.05),
                    quoted.group(1),
                    (passage.cite(start, start + len(quoted.group(1))),),
                )
            elif right and 0 < right_at <= 20:
                clause_start, clause_end = _clause_around(text, passage, gap_start)
                yield Candidate(score + 0.05, text[clause_start:clause_end], (passage.cite(clause_start, clause_end),))


def quoted_term_candidates(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """A slogan question without a usable shape: the quoted term in the best matching sentence."""
    for passage in passages:
        score = coverage(passage.text, passage.context) + rank_bonus(passage)
        for mention in find_slogans(passage.document.text, passage.start, passage.end):
            if mention.term in question.text:
                continue
            answer = (
                texts.SLOGAN_DEFINITION.format(term=mention.term, definition=mention.definition)
                if mention.definition
                else mention.term
            )
            yield Candidate(score - 0.05, answer, (passage.cite(),))


# ------------------------------------------------------------------------------ plain sentences
def sentence_candidates(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """The statement that covers the question best, trimmed to its most relevant clauses.

    A question for a number (多少, 几个) is answered only by clauses that give one.
    """
    needs = _DIGIT if question.asks_number else None
    for passage in passages:
        if needs and not needs.search(passage.text):
            continue
        score = coverage(passage.text, passage.context) + rank_bonus(passage)
        start, end = _best_window(passage, coverage, must_match=needs)
        yield Candidate(score, passage.document.text[start:end], (passage.cite(),))


def deadline_candidates(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """A statement that names a time limit (年底前, 限期, 事不过夜) for what the question asks."""
    for passage in passages:
        text = passage.document.text
        match = DEADLINE.search(text, passage.start, passage.end)
        if match is None:
            continue
        score = coverage(passage.text, passage.context) + rank_bonus(passage) + 0.05
        start, end = _best_window(passage, coverage, must_include=(match.start(), match.end()))
        yield Candidate(score, text[start:end], (passage.cite(),))


def _best_window(
    passage: Passage,
    coverage: Coverage,
    must_include: tuple[int, int] | None = None,
    must_match: re.Pattern[str] | None = None,
) -> tuple[int, int]:
    """The run of up to three clauses with the most question terms (the whole statement if short),
    containing the span ``must_include`` and a match of ``must_match`` when given."""
    text = passage.document.text
    if passage.end - passage.start <= _MAX_ANSWER_CHARS:
        return passage.start, passage.end
    clauses = [(passage.start + m.start(), passage.start + m.end()) for m in CLAUSE_WITH_END.finditer(passage.text)]
    best, best_score = (passage.start, passage.end), -1.0
    for first in range(len(clauses)):
        for last in range(first, min(first + 3, len(clauses))):
            start, end = clauses[first][0], clauses[last][1]
            if must_include and not (start <= must_include[0] and must_include[1] <= end):
                continue
            if must_match and not must_match.search(text, start, end):
                continue
            score = coverage(text[start:end]) - 0.001 * (end - start)
            if score > best_score:
                best, best_score = (start, end), score
    start, end = best
    return start, end if text[end - 1] not in "，；：" else end - 1


def _clause_around(text: str, passage: Passage, position: int) -> tuple[int, int]:
    start = max((m.end() for m in re.finditer(r"[，；：。！？]", text[passage.start : position])), default=0)
    after = re.search(r"[，；：。！？]", text[position : passage.end])
    return passage.start + start, position + after.start() if after else passage.end


def _cjk_length(text: str) -> int:
    return len(re.findall(r"[\u4e00-\u9fff]", text))


def best(candidates: Iterable[Candidate]) -> Candidate | None:
    """The highest-scoring candidate (the first of equals)."""
    top: Candidate | None = None
    for candidate in candidates:
        if top is None or candidate.score > top.score:
            top = candidate
    return top

"""Plain statements as answers, labelled as the source text (原文): the sentences that cover the
question best, trimmed to their best clauses. The ladder's middle step: where no reading of a
statement answers, the statement itself does."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from bot.candidates import Candidate, Feature
from bot.passages import Coverage, Passage
from bot.questions import Question
from bot.scoring import window_score
from ingest.language.boundaries import CLAUSE_ENDS, CLAUSE_WITH_END, STATEMENT_ENDS
from ingest.language.numerals import QUANTITY
from ingest.language.times import DEADLINE, EXPLICIT_YEAR
from prompts import answer_texts as texts

# A statement this short answers whole; a longer one is trimmed to its best clauses.
_MAX_ANSWER_CHARS = 120
# The longest opening clause kept as the time a trimmed statement is set for (「力争到2030年，」).
_MAX_LEAD_IN_CHARS = 12
# How many clauses a trimmed answer keeps at most.
_MAX_CLAUSES = 3
# 「，；：」 end a clause but not a statement: an answer does not end on one.
_MID_STATEMENT_ENDS = "".join(mark for mark in CLAUSE_ENDS if mark not in STATEMENT_ENDS)


def from_passages(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """The statements that cover the question, each trimmed to its most relevant clauses.

    A question for a number (多少, 几个) is answered only by clauses that give one.
    """
    needs = QUANTITY if question.asks_number else None
    for passage in passages:
        if needs and not needs.search(passage.text):
            continue
        covered = coverage.of(passage)
        start, end = best_window(passage, coverage, must_match=needs)
        answer = texts.SOURCE_TEXT.format(text=with_time_lead_in(passage, start, end))
        yield Candidate(answer, (passage.cite(),), covered, passage.rank)


def for_roles(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """A who-question's source text: the statements that cover it, where no convention read a role.

    A question for the holder of a post (「委员会主任由谁担任」) is answered only by statements naming it.
    """
    if question.posts:
        passages = [passage for passage in passages if any(post in passage.text for post in question.posts)]
    for candidate in from_passages(question, passages, coverage):
        yield replace(candidate, features=(*candidate.features, Feature.UNREAD_ROLE))


def time_lead_in(statement: str) -> str | None:
    """The statement's opening clause when it only says when: a trimmed answer keeps it, since every
    clause after it is a target for that time.

    >>> time_lead_in("力争到2030年，货运量达到50万标箱，班列年开行4800列以上。")
    '力争到2030年，'
    >>> time_lead_in("全面推进乡村振兴，加快建设农业强省。") is None
    True
    """
    first = CLAUSE_WITH_END.match(statement)
    if first is None or len(first.group()) > _MAX_LEAD_IN_CHARS or not first.group().endswith("，"):
        return None
    return first.group() if EXPLICIT_YEAR.search(first.group()) or DEADLINE.search(first.group()) else None


def with_time_lead_in(passage: Passage, start: int, end: int) -> str:
    """The statement's text from ``start`` to ``end``, after its opening time clause if the window
    left that out (「到2030年，……研发投入强度达到3.5%以上」)."""
    text = passage.document.text
    lead_in = time_lead_in(passage.text)
    if not lead_in or start <= passage.start:
        return text[start:end]
    if start <= passage.start + len(lead_in):
        return text[passage.start : end]
    return f"{lead_in}……{text[start:end]}"


def best_window(
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
        for last in range(first, min(first + _MAX_CLAUSES, len(clauses))):
            start, end = clauses[first][0], clauses[last][1]
            if must_include and not (start <= must_include[0] and must_include[1] <= end):
                continue
            if must_match and not must_match.search(text, start, end):
                continue
            score = window_score(coverage(text[start:end]), end - start)
            if score > best_score:
                best, best_score = (start, end), score
    start, end = best
    return start, end if text[end - 1] not in _MID_STATEMENT_ENDS else end - 1

"""Cloze questions: 「以什么为根本」 → the sentence with 以…为根本, answered by what fills the gap;
「什么样的X」 → the clause that describes X before 的."""

from __future__ import annotations

import re
from collections.abc import Iterator

import jieba

from bot.candidates import Candidate, Feature
from bot.passages import Coverage, Passage
from bot.questions import Question
from ingest.language.boundaries import CLAUSE_ENDS
from ingest.language.terms import quoted_terms

# How far after the question's left-hand words the gap's answer is looked for.
_GAP_REACH = 40
# How many characters (all Chinese) may stand between the left-hand words and a quoted term.
_LEAD_IN_CHARS = 4
# How far after the gap the question's right-hand words may follow and still confirm it.
_RIGHT_REACH = 20
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]")
_CLAUSE_END = re.compile(f"[{CLAUSE_ENDS}]")


def from_passages(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """The quoted term right after the question's left-hand words (以“…”为根本), else the clause
    they open when the right-hand words follow closely."""
    if question.cloze is None:
        return
    left, right = question.cloze
    for passage in passages:
        text = passage.document.text
        covered = coverage.of(passage)
        for match in re.finditer(re.escape(left), text[passage.start : passage.end]):
            gap_start = passage.start + match.end()
            gap_end = min(passage.end, gap_start + _GAP_REACH)
            window = text[gap_start:gap_end]
            quoted = _quoted_in_gap(text, gap_start, gap_end)
            right_at = window.find(right) if right else -1
            if quoted:
                start, end = quoted
                # The question's right-hand words right after the term (以“…”为根本) confirm it.
                confirmed = 0 <= right_at - (end + 1 - gap_start) <= _RIGHT_REACH
                feature = Feature.CLOZE_CONFIRMED if confirmed else Feature.CLOZE_UNCONFIRMED
                yield Candidate(text[start:end], (passage.cite(start, end),), covered, passage.rank, (feature,))
            elif right and 0 < right_at <= _RIGHT_REACH:
                clause_start, clause_end = _clause_around(text, passage, gap_start)
                yield Candidate(
                    text[clause_start:clause_end],
                    (passage.cite(clause_start, clause_end),),
                    covered,
                    passage.rank,
                    (Feature.CLOZE_CLAUSE,),
                )


def kinds_from_passages(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """「要建什么样的教育领导体制」: the clause that describes the kind asked of before 的
    (「…部门各负其责的教育领导体制」); the head is looked for whole, then without its first words
    (「的领导体制」)."""
    if question.kind_of is None:
        return
    heads = _heads(question.kind_of)
    for passage in passages:
        text = passage.document.text
        found = next((at for head in heads if (at := text.find(f"的{head}", passage.start, passage.end)) >= 0), -1)
        if found < 0:
            continue
        start, end = _clause_around(text, passage, found)
        yield Candidate(
            text[start:end], (passage.cite(start, end),), coverage.of(passage), passage.rank, (Feature.KIND_DESCRIBED,)
        )


def _heads(kind: str) -> list[str]:
    """``kind`` and its endings at word boundaries, longest first, down to two characters.

    >>> _heads("教育领导体制")
    ['教育领导体制', '领导体制', '体制']
    """
    words = jieba.lcut(kind)
    endings = ("".join(words[index:]) for index in range(len(words)))
    return [ending for ending in endings if len(ending) >= 2]


def _quoted_in_gap(text: str, gap_start: int, gap_end: int) -> tuple[int, int] | None:
    """The span of the quoted term that opens the gap, after at most a few Chinese characters
    (以“…”, 以群众“…”): the text inside the quote marks."""
    lead_in = _NOT_CJK.search(text, gap_start, gap_end)
    if lead_in is None or lead_in.start() - gap_start > _LEAD_IN_CHARS:
        return None
    opening = lead_in.start()
    return next(((start, end) for start, end, _ in quoted_terms(text, opening, gap_end) if start == opening + 1), None)


def _clause_around(text: str, passage: Passage, position: int) -> tuple[int, int]:
    """The clause of ``passage`` that holds ``position``."""
    start = max((m.end() for m in _CLAUSE_END.finditer(text[passage.start : position])), default=0)
    after = _CLAUSE_END.search(text[position : passage.end])
    return passage.start + start, position + after.start() if after else passage.end

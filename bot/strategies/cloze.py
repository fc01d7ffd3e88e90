"""Cloze questions: 「以什么为根本」 → the sentence with 以…为根本, answered by what fills the gap."""

from __future__ import annotations

import re
from collections.abc import Iterator

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

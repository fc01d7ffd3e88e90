"""When a statement speaks of, so that 「2024年…」 gets that year's answer and 「实际完成多少」 a result.

Years: a statement's own 「2024年」「明年」 decide; failing those, the nearest such word earlier in
its paragraph, then its headings and the document title. Relative words count from the year the
document was given. Failing all of them, the document's date decides: its year, and from October
on also the year to come, which year-end speeches plan.

Result or plan: a statement under a review heading (「2024年工作回顾」) or about a year before its
document's reports a result; one that says 要/力争/确保 states a plan; one that says 完成1268.5亿元
or 已建成 reports a result.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from bot.candidates import Candidate, Feature
from bot.passages import DocumentView, enclosing_statement
from bot.questions import Question
from ingest.language.times import DEADLINE, EXPLICIT_YEAR, RELATIVE_YEAR, RELATIVE_YEAR_OFFSETS

_REVIEW_HEADING = re.compile(r"回顾|成绩|总结|完成情况|进展情况|运行情况")
_PLAN_WORDS = re.compile(r"要|力争|确保|争取|计划|预期|预计")
_RESULT_WORDS = re.compile(r"完成了?\d|已(?:经)?(?:完成|建成|完工|实现)|同比")
# From this month on a document (an economic work conference, a year-end review) also plans next year.
_YEAR_END_MONTH = 10


@dataclass(frozen=True)
class TimeScope:
    """The years a statement speaks of (``stated`` False: only the document's date says so), and
    whether it reports a result (True), states a plan (False) or does not tell (None)."""

    years: frozenset[int]
    stated: bool
    reports_result: bool | None


def time_scope(document: DocumentView, start: int, end: int) -> TimeScope:
    """When the normalised span ``[start, end)`` of ``document`` speaks of."""
    reference = _year_of(document.date)
    text = document.text
    start, end = enclosing_statement(text, start, end)
    paragraph_start = text.rfind("\n", 0, start) + 1
    headings = _headings_over(document, start)
    stated = (
        _years_in(text[start:end], reference)
        or _years_in(text[paragraph_start:start], reference, nearest_only=True)
        or next(filter(None, (_years_in(heading, reference) for heading in reversed(headings))), frozenset())
        or _years_in(document.title, reference)
    )
    years = stated or _dated_years(document.date, reference)
    if any(_REVIEW_HEADING.search(heading) for heading in headings) or (
        stated and reference and max(stated) < reference
    ):
        return TimeScope(years, bool(stated), reports_result=True)
    return TimeScope(years, bool(stated), _plan_or_result(text[start:end]))


def _plan_or_result(statement: str) -> bool | None:
    """False for a plan (要, 力争, a time limit), True for a result (完成1268.5亿元, 已建成)."""
    if _PLAN_WORDS.search(statement) or DEADLINE.search(statement):
        return False
    return True if _RESULT_WORDS.search(statement) else None


def fit_to_time(
    candidates: Iterable[Candidate], question: Question, document_of: Callable[[str], DocumentView]
) -> Iterator[Candidate]:
    """``candidates`` marked with when they speak of, for the scorer: the year asked, stated or only
    dated. One that speaks of other years than the question names answers another period's
    question, and a plan does not tell what was achieved (nor a result what is planned): those are
    dropped."""
    wanted = {int(year) for year in question.years}
    for candidate in candidates:
        if not candidate.citations or not (wanted or question.asks_result is not None):
            yield candidate
            continue
        citation = candidate.citations[0]
        document = document_of(citation.doc_id)
        scope = time_scope(
            document, document.offsets.to_normalised(citation.start), document.offsets.to_normalised(citation.end)
        )
        features = candidate.features
        if wanted and scope.years:
            if not scope.years & wanted:
                continue
            features += (Feature.YEAR_STATED if scope.stated else Feature.YEAR_DATED,)
        if None not in (question.asks_result, scope.reports_result) and question.asks_result != scope.reports_result:
            continue
        yield replace(candidate, features=features)


def _years_in(text: str, reference: int | None, nearest_only: bool = False) -> frozenset[int]:
    """Years named in ``text``, explicitly or (given the document's year) relatively; with
    ``nearest_only`` only the last one, which frames what follows it."""
    found: list[tuple[int, set[int]]] = []
    for match in EXPLICIT_YEAR.finditer(text):
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        found.append((match.start(), set(range(first, last + 1)) if 0 <= last - first <= 10 else {first, last}))
    if reference:
        for match in RELATIVE_YEAR.finditer(text):
            found.append((match.start(), {reference + RELATIVE_YEAR_OFFSETS[match.group()]}))
    if not found:
        return frozenset()
    if nearest_only:
        return frozenset(max(found, key=lambda item: item[0])[1])
    return frozenset(year for _, years in found for year in years)


def _dated_years(date: str, reference: int | None) -> frozenset[int]:
    if reference is None:
        return frozenset()
    month = date[5:7]
    plans_next_year = month.isdigit() and int(month) >= _YEAR_END_MONTH
    return frozenset({reference, reference + 1} if plans_next_year else {reference})


def _headings_over(document: DocumentView, position: int) -> tuple[str, ...]:
    """The heading path of the deepest section holding ``position``, outermost first."""
    holding = [s for s in document.sections if s.start <= position < s.end]
    return max((s.path for s in holding), key=len, default=())


def _year_of(date: str) -> int | None:
    return int(date[:4]) if re.match(r"20\d{2}", date or "") else None

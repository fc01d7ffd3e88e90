"""Lists a question asks for: 哪几个快, 哪“三个以”, 哪两句话, 方案定的四条原则."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.answers import Citation
from bot.candidates import Candidate, Feature
from bot.passages import Coverage, Passage
from bot.questions import Question
from ingest.language.boundaries import CLAUSE_ENDS, STATEMENT_ENDS
from ingest.language.terms import clause_count, items_of, quoted_terms
from ingest.slogans import find_slogans
from prompts import answer_texts as texts

# How far from a list its kind (「…”的原则」, 「以下四项原则：」) may be said.
_KIND_REACH = 12
# A list written with 、 within one clause: 「任务交办、工作推进、问题解决」. It opens where a clause does
# (a list found from inside a clause is found from its start too), so a clause is not read once per character.
_LISTED = re.compile(f"(?<![^{CLAUSE_ENDS}“”])[^{CLAUSE_ENDS}“”]+(?:、[^{CLAUSE_ENDS}“”]+)+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def from_passages(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """The items of the list the question asks for, wherever a passage writes one."""
    enumeration = question.enumeration
    if enumeration is None:
        return
    for passage in passages:
        covered = coverage.of(passage)
        text = passage.document.text
        if enumeration.counter in {"句", "字"}:
            for mention in find_slogans(text, passage.start, passage.end):
                size = clause_count(mention.term) if enumeration.counter == "句" else len(_CJK.findall(mention.term))
                if mention.term in question.text or clause_count(mention.term) < 2:
                    continue
                if enumeration.count is None or size == enumeration.count:
                    yield _listed(mention.term, passage.cite(mention.start, mention.end), covered, passage)
            continue
        if enumeration.noun:  # 四条原则: a list of four with 原则 right before or after it
            for start, end, items in _lists_in(text, passage.start, passage.end):
                near = text[max(passage.start, start - _KIND_REACH) : end + _KIND_REACH]
                if len(items) == enumeration.count and enumeration.noun in near:
                    yield _listed("、".join(items), passage.cite(start, end), covered, passage)
            continue
        for start, end, items in _lists_in(text, passage.start, passage.end):
            if _items_fit(items, enumeration.affix, enumeration.count):
                yield _listed("、".join(items), passage.cite(start, end), covered, passage)
        section = _section_span(passage)
        if section is not None:
            spans = _parallel_sentences(text, section, enumeration.affix)
            if len(spans) >= 2 and (enumeration.count is None or len(spans) == enumeration.count):
                yield Candidate(
                    texts.ENUMERATION_JOINER.join(text[s:e].rstrip("。！；") for s, e in spans),
                    tuple(passage.cite(s, e) for s, e in spans),
                    covered,
                    passage.rank,
                    (Feature.PARALLEL_SENTENCES,),
                )


def _listed(answer: str, citation: Citation, covered: float, passage: Passage) -> Candidate:
    return Candidate(answer, (citation,), covered, passage.rank, (Feature.LIST_FOUND,))


def _lists_in(text: str, start: int, end: int) -> Iterator[tuple[int, int, list[str]]]:
    """Lists written with 、 or inside quotes: (span start, span end, items)."""
    for term_start, term_end, term in quoted_terms(text, start, end, min_chars=2, max_chars=80):
        items = items_of(term)
        if len(items) >= 2:
            yield term_start, term_end, items
    for match in _LISTED.finditer(text[start:end]):
        yield start + match.start(), start + match.end(), match.group().split("、")


def _items_fit(items: list[str], affix: str, count: int | None) -> bool:
    if len(items) < 2 or (count is not None and len(items) != count) or not affix:
        return False
    return all(item.startswith(affix) for item in items) or all(item.endswith(affix) for item in items)


def _section_span(passage: Passage) -> tuple[int, int] | None:
    """The span of the section a passage sits in (its deepest heading)."""
    for section in passage.document.sections:
        if section.start <= passage.start < section.end:
            return section.start, section.end
    return None


def _parallel_sentences(text: str, section: tuple[int, int], affix: str) -> list[tuple[int, int]]:
    """Short sentences of a section that end alike (「任务交办要快。」「工作推进要快。」)."""
    if not affix:
        return []
    pattern = re.compile(
        f"(?:^|(?<=[{STATEMENT_ENDS}\\n]))([^{STATEMENT_ENDS}\\n，；]{{2,14}}" + re.escape(affix) + r")[。！；]"
    )
    return [(m.start(1), m.end(1)) for m in pattern.finditer(text, *section)]

"""The gate: the one place that decides between answering and refusing.

A candidate answers when its score reaches the operating point (:data:`MIN_COVERAGE` unless the
setting ``min_coverage`` says otherwise); otherwise the engine refuses and points to the sections it
read. Strategies that end the search "on a hit" ask the same question. ``benchmarks/gate_sweep.py``
prints false refusals beside refused unanswerable questions for a range of operating points.
"""

from __future__ import annotations

from bot.answers import Answer, Citation
from bot.candidates import Candidate
from bot.passages import Passage
from bot.questions import Question
from bot.scoring import score
from prompts import answer_texts as texts
from vectorstore.catalog import format_section

# An answer must cover at least this share (idf-weighted) of the question's terms; chosen from the
# sweep in docs/benchmarks.md.
MIN_COVERAGE = 0.6
# How many sections a refusal points to.
_RELATED_SECTIONS = 3


def answers(candidate: Candidate | None, min_score: float = MIN_COVERAGE) -> bool:
    """Whether ``candidate`` is good enough to answer with."""
    return candidate is not None and score(candidate) >= min_score


def decide(
    question: str,
    analysed: Question,
    candidate: Candidate | None,
    passages: list[Passage],
    min_score: float = MIN_COVERAGE,
) -> Answer:
    """The answer ``candidate`` gives ``question``, or a refusal naming the sections of ``passages``."""
    if candidate is None or not answers(candidate, min_score):
        return _refusal(question, analysed, passages)
    return Answer(
        question=question,
        answer=candidate.answer,
        found=True,
        kind=analysed.kind,
        citations=_unique(candidate.citations),
        entity=candidate.entity,
    )


def _refusal(question: str, analysed: Question, passages: list[Passage]) -> Answer:
    """「未在已收录的文件中找到…」 with up to three sections the retrieved passages sit in."""
    sections: list[str] = []
    for passage in passages:
        label = f"《{passage.document.title}》{format_section(passage.section)}".rstrip()
        if passage.section and label not in sections:
            sections.append(label)
    related = sections[:_RELATED_SECTIONS]
    text = texts.NOT_FOUND.format(topic=question.strip().rstrip("？?"))
    if related:
        text += "\n" + texts.RELATED_SECTIONS.format(sections="；".join(related))
    return Answer(question, text, False, analysed.kind, related_sections=tuple(related))


def _unique(citations: tuple[Citation, ...]) -> tuple[Citation, ...]:
    return tuple(dict.fromkeys(citations))

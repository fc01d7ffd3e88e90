"""Candidates: possible answers, each with the spans that support it and what its strategy found.

A strategy reports what it found (how much of the question the supporting text covers, the
retrieval rank of the passage it read, named features such as a definition or a time limit);
:mod:`bot.scoring` turns that into a score.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, auto

from bot.answers import Citation


class Feature(Enum):
    """Something a strategy found beside coverage, which :mod:`bot.scoring` weighs."""

    EXPLICIT_ROLE = auto()  # the text states the role asked for (「由X牵头」), not implies it
    DEFINITION = auto()  # the text defines the quoted term (「即…」「就是…」)
    WHOLE_LIST = auto()  # the question names one item of a listing term: the answer is the whole list
    LIST_FOUND = auto()  # a list of the shape the question asks for (哪几个快, 四条原则, 两句话)
    PARALLEL_SENTENCES = auto()  # short sentences of a section that end alike (「…要快。」「…要快。」)
    CLOZE_CONFIRMED = auto()  # a quoted term in the gap, followed by the question's right-hand words
    CLOZE_UNCONFIRMED = auto()  # a quoted term in the gap, without the right-hand words after it
    CLOZE_CLAUSE = auto()  # no quoted term, but the right-hand words close the gap: the clause answers
    KIND_DESCRIBED = auto()  # 「什么样的X」: a clause describes X before 的 (「…各负其责的X」)
    OTHER_TERM = auto()  # a quoted term the question does not name, offered for a slogan question
    DEADLINE = auto()  # the statement names a time limit
    YEAR_STATED = auto()  # the statement itself (or its paragraph, headings, title) names the year asked
    YEAR_DATED = auto()  # only the document's date puts the statement in the year asked
    UNREAD_ROLE = auto()  # a who-question answered by a statement as it stands: no convention read a role


@dataclass(frozen=True)
class Candidate:
    """A possible answer: its text, the spans that support it and what its strategy found.

    ``coverage`` is the share of the question the supporting text covers (:class:`bot.passages.Coverage`);
    ``rank`` the retrieval rank of the passage read, when it counts (None for ledger records).
    """

    answer: str
    citations: tuple[Citation, ...]
    coverage: float
    rank: int | None = None
    features: tuple[Feature, ...] = ()
    entity: str | None = None  # who or what the answer names, for follow-up questions

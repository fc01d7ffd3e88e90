"""The answer strategies in the order they are tried, and the one loop that runs them.

Each strategy declares the questions it serves, the source it reads (the ledger or the retrieved
passages), the generator of its candidates and when its turn ends the search. The ledger comes
before passages for the same job; a plain sentence is the last resort of questions not about roles.

>>> [strategy.name for strategy in STRATEGIES][:3]
['bylines', 'ledger tasks', 'passage tasks']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.candidates import Candidate
from bot.gate import answers
from bot.passages import Coverage
from bot.questions import Question
from bot.scoring import best
from bot.strategies import bylines, cloze, deadlines, definitions, lists, recipients, sentences, tasks, who
from bot.strategies.sources import LEDGER, PASSAGES, SUBJECTS, Reading, Source

S = TypeVar("S")


@dataclass(frozen=True)
class Stop:
    """When a strategy's turn ends the search, given the reading and what the strategy found."""

    test: Callable[[Reading, list[Candidate]], bool]

    def __call__(self, reading: Reading, found: list[Candidate]) -> bool:
        return self.test(reading, found)

    def __or__(self, other: Stop) -> Stop:
        return Stop(lambda reading, found: self(reading, found) or other(reading, found))


def when(test: Callable[[Reading], bool]) -> Stop:
    """A stop rule that holds when ``test`` does, whatever the strategy found."""
    return Stop(lambda reading, found: test(reading))


NEVER = Stop(lambda reading, found: False)
ALWAYS = Stop(lambda reading, found: True)
ON_ANY = Stop(lambda reading, found: bool(found))
ON_HIT = Stop(lambda reading, found: answers(best(found), reading.min_score))  # the strategy's best passes the gate


@dataclass(frozen=True)
class Strategy(Generic[S]):
    """One way to answer: which questions it serves, what it reads, how it finds candidates, when it
    ends the search."""

    name: str
    applies: Callable[[Question], bool]
    source: Source[S]
    generate: Callable[[Question, S, Coverage], Iterable[Candidate]]
    stop: Stop


@dataclass(frozen=True)
class Turn:
    """One strategy's turn in a search: what it found and whether that ended the search."""

    strategy: Strategy[Any]
    found: list[Candidate]
    stopped: bool


# ------------------------------------------------------------------------ questions served
def every_question(question: Question) -> bool:
    """Serves every question that reaches it."""
    return True


def asks_byline(question: Question) -> bool:
    """「这个报告是谁作的」「陈局长哪天讲的」「在什么会上讲的」: who gave a document, where and when."""
    return bool(question.byline)


def asks_tasks_of(question: Question) -> bool:
    """「李新负责什么？」: every task of one party."""
    return bool(question.tasks_of)


def asks_who(question: Question) -> bool:
    """「谁牵头…」「哪个部门负责…」: who leads, is responsible or cooperates."""
    return question.kind in {"lead", "responsible"}


def asks_recipient(question: Question) -> bool:
    """「成绩单报给谁」: who a result is sent to."""
    return question.asks_recipient


def quotes_a_term(question: Question) -> bool:
    """「“四个决不”指什么？」: the question quotes a term."""
    return bool(question.quoted)


def asks_a_list(question: Question) -> bool:
    """「哪几个快」「哪两句话」「四条原则」: a list."""
    return question.enumeration is not None


def asks_cloze(question: Question) -> bool:
    """「以什么为根本」: a gap to fill."""
    return question.cloze is not None


def asks_kind_of(question: Question) -> bool:
    """「要建什么样的体制」: what kind of thing."""
    return question.kind_of is not None


def asks_slogan(question: Question) -> bool:
    """「…的提法是什么」: a slogan or formula, quoted or not."""
    return question.kind == "slogan"


def asks_deadline(question: Question) -> bool:
    """「什么时候完成」: a time limit."""
    return question.kind == "deadline"


def items_of_a_kind(question: Question) -> bool:
    """「四条原则」 asks for a list of four the text calls 原则, not for a 提法 named “四条原则”."""
    return question.enumeration is not None and question.enumeration.noun is not None


# ------------------------------------------------------------------------------- stop rules
def _term_quoted_nowhere(reading: Reading) -> bool:
    """The term asked about is quoted in no passage, and no list is asked for (a list may be asked
    for by the name it is quoted under): say so rather than guess."""
    question = reading.question
    return question.enumeration is None and not definitions.quoted_in(reading.passages, question.quoted)


def asks_a_meaning(question: Question) -> bool:
    """A quoted term's meaning asked for (「“四个决不”指什么」): a definition gives it, else the
    statement that uses the term (unless the question asks for items of a kind, which a list answers)."""
    return (
        bool(question.quoted) and question.asks_meaning and question.kind == "slogan" and not items_of_a_kind(question)
    )


def _meaning_found(reading: Reading, found: list[Candidate]) -> bool:
    """A meaning asked for and a definition (or the whole list) found: nothing after it answers better."""
    return asks_a_meaning(reading.question) and bool(found)


WHEN_QUOTED_NOWHERE = when(_term_quoted_nowhere)
WHEN_MEANING_FOUND = Stop(_meaning_found)
WHEN_ITEMS_OF_A_KIND = when(lambda reading: items_of_a_kind(reading.question))  # only that list answers


def _nothing(question: Question, passages: object, coverage: Coverage) -> Iterable[Candidate]:
    """A strategy that only guards: it finds nothing, and its stop rule decides."""
    return ()


STRATEGIES: tuple[Strategy[Any], ...] = (
    #        name                   serves          reads     generator                  ends the search
    Strategy("bylines",             asks_byline,    SUBJECTS, bylines.from_subjects,     ALWAYS),
    Strategy("ledger tasks",        asks_tasks_of,  LEDGER,   tasks.from_ledger,         ON_ANY),
    Strategy("passage tasks",       asks_tasks_of,  PASSAGES, tasks.from_passages,       ON_ANY),
    Strategy("ledger roles",        asks_who,       LEDGER,   who.from_ledger,           ON_HIT),
    Strategy("passage roles",       asks_who,       PASSAGES, who.from_passages,         ON_HIT),
    Strategy("role source text",    asks_who,       PASSAGES, sentences.for_roles,       ALWAYS),
    Strategy("recipients",          asks_recipient, PASSAGES, recipients.from_passages,  ON_HIT),
    Strategy("quoted-term guard",   quotes_a_term,  PASSAGES, _nothing,                  WHEN_QUOTED_NOWHERE),
    Strategy("ledger definitions",  quotes_a_term,  LEDGER,   definitions.from_ledger,   NEVER),
    Strategy("passage definitions", quotes_a_term,  PASSAGES, definitions.from_passages, WHEN_MEANING_FOUND),
    Strategy("term source text",    asks_a_meaning, PASSAGES, definitions.source_text,   ALWAYS),
    Strategy("enumeration",         asks_a_list,    PASSAGES, lists.from_passages,       ON_HIT | WHEN_ITEMS_OF_A_KIND),
    Strategy("cloze",               asks_cloze,     PASSAGES, cloze.from_passages,       NEVER),
    Strategy("kind described",      asks_kind_of,   PASSAGES, cloze.kinds_from_passages, NEVER),
    Strategy("other quoted terms",  asks_slogan,    PASSAGES, definitions.other_terms,   NEVER),
    Strategy("ledger deadlines",    asks_deadline,  LEDGER,   deadlines.from_ledger,     ON_HIT),
    Strategy("passage deadlines",   asks_deadline,  PASSAGES, deadlines.from_passages,   NEVER),
    Strategy("source sentence",     every_question, PASSAGES, sentences.from_passages,   NEVER),
)  # fmt: skip


def search(reading: Reading) -> list[Turn]:
    """Run the strategies that serve the question, in order, until one's stop rule holds."""
    turns = []
    for strategy in STRATEGIES:
        if not strategy.applies(reading.question):
            continue
        found = list(strategy.generate(reading.question, strategy.source.read(reading), reading.coverage))
        stopped = strategy.stop(reading, found)
        turns.append(Turn(strategy, found, stopped))
        if stopped:
            break
    return turns


def candidates(reading: Reading) -> list[Candidate]:
    """Every candidate the search finds, in the order found."""
    return [candidate for turn in search(reading) for candidate in turn.found]

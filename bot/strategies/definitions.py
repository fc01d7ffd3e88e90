"""Quoted terms (提法): their definitions, from the ledger's glossary and from passages, and the
sentence that uses a term when a slogan question has no better shape."""

from __future__ import annotations

from collections.abc import Iterator

from bot import lookup
from bot.candidates import Candidate, Feature
from bot.excerpts import clip
from bot.passages import Coverage, Passage
from bot.questions import Question
from bot.strategies.sources import LedgerView, cite_record
from ingest.language.terms import term_matches
from ingest.slogans import find_slogans
from prompts import answer_texts as texts

# How much of a sentence that uses a term an answer quotes.
_SENTENCE_CHARS = 120


def quoted_in(passages: list[Passage], terms: tuple[str, ...]) -> bool:
    """Whether any passage quotes any of ``terms`` (or a listing term one of them is an item of)."""
    return any(
        term_matches(term, mention.term)
        for passage in passages
        for term in terms
        for mention in find_slogans(passage.document.text, passage.start, passage.end)
    )


def from_ledger(question: Question, ledger: LedgerView, coverage: Coverage) -> Iterator[Candidate]:
    """A quoted term's definition as the ledger's glossary has it (the newest document's)."""
    for term in question.quoted:
        for entry in lookup.glossary(ledger.ledger, term):
            record = entry.definition
            if record is None or not record.definition:
                continue
            yield Candidate(
                texts.SLOGAN_DEFINITION.format(term=entry.term, definition=record.definition),
                (cite_record(record),),
                coverage(record.quote, f"{record.section_label} {record.title}", record.doc_id),
                features=(Feature.DEFINITION,),
                entity=entry.term,
            )


def from_passages(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
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
                covered = coverage(passage.text, passage.context, passage.document.doc_id)
                if mention.definition:
                    yield Candidate(
                        texts.SLOGAN_DEFINITION.format(term=mention.term, definition=mention.definition),
                        (passage.cite(mention.start, mention.definition_end),),
                        covered,
                        passage.rank,
                        (Feature.DEFINITION,),
                        mention.term,
                    )
                elif mention.term != term:  # the question names one item: answer with the whole list
                    yield Candidate(
                        mention.term, (passage.cite(),), covered, passage.rank, (Feature.WHOLE_LIST,), mention.term
                    )
                elif not question.asks_meaning:
                    yield Candidate(
                        clip(passage.text, _SENTENCE_CHARS), (passage.cite(),), covered, passage.rank, (), mention.term
                    )


def other_terms(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """A slogan question without a usable shape: the quoted terms of the best matching sentences."""
    for passage in passages:
        covered = coverage(passage.text, passage.context, passage.document.doc_id)
        for mention in find_slogans(passage.document.text, passage.start, passage.end):
            if mention.term in question.text:
                continue
            answer = (
                texts.SLOGAN_DEFINITION.format(term=mention.term, definition=mention.definition)
                if mention.definition
                else mention.term
            )
            yield Candidate(answer, (passage.cite(),), covered, passage.rank, (Feature.OTHER_TERM,))

"""Quoted terms (提法): their definitions, from the ledger's glossary and from passages, and the
sentence that uses a term when a slogan question has no better shape or its meaning is not written."""

from __future__ import annotations

from collections.abc import Iterator

from bot import lookup
from bot.answers import Citation
from bot.candidates import Candidate, Feature
from bot.excerpts import clip
from bot.passages import Coverage, Passage
from bot.questions import Question
from bot.strategies.sentences import best_window
from bot.strategies.sources import LedgerView, cite_record
from ingest.glosses import find_named, read_terms
from ingest.language.terms import is_coded, item_count, items_of, term_key, term_matches
from ingest.slogans import SloganMention, find_slogans
from prompts import answer_texts as texts

# How much of a sentence that uses a term an answer quotes.
_SENTENCE_CHARS = 120
# A definition further than this after the statement that uses its term is a note: cited apart.
_NOTE_GAP = 200


def quoted_in(passages: list[Passage], terms: tuple[str, ...]) -> bool:
    """Whether any passage quotes or defines any of ``terms`` (or a listing term one of them is an
    item of), or lists the items of a numbered formula among them."""
    return any(next(_mentions(passage, term), None) for passage in passages for term in terms)


def _mentions(passage: Passage, term: str) -> Iterator[SloganMention]:
    """The passage's mentions of ``term``: quoted or defined (:func:`ingest.glosses.read_terms`), or
    written bare with a definition after it (:func:`ingest.glosses.find_named`)."""
    text = passage.document.text
    for mention in read_terms(text, passage.start, passage.end):
        if term_matches(term, mention.term):
            yield mention
    yield from find_named(text, passage.start, passage.end, term)


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
                coverage(f"{record.quote} {term}", f"{record.section_label} {record.title}", record.doc_id),
                features=(Feature.DEFINITION,),
                entity=entry.term,
            )


def from_passages(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """A quoted term of the question, defined where the text defines it (「即…」「就是…」, an alias, a
    glossary entry, a note).

    A term matches a quoted slogan that is the same, or one item of a listing slogan: 「四个一」
    does not match 「四个一批」. Without a definition, the sentence using the term is offered
    only when the question does not ask what the term means (:func:`source_text` does then).
    """
    for term in question.quoted:
        for passage in passages:
            for mention in _mentions(passage, term):
                # the reader found the term here, though the text may write it longer or not at all
                covered = coverage(f"{passage.text} {term}", passage.context)
                if mention.definition:
                    yield Candidate(
                        texts.SLOGAN_DEFINITION.format(term=mention.term, definition=mention.definition),
                        _cite_definition(passage, mention),
                        covered,
                        passage.rank,
                        (Feature.DEFINITION,),
                        mention.term,
                    )
                elif _names_an_item(term, mention.term):  # answer with the whole list
                    yield Candidate(
                        mention.term, (passage.cite(),), covered, passage.rank, (Feature.WHOLE_LIST,), mention.term
                    )
                elif not question.asks_meaning:
                    yield Candidate(
                        clip(passage.text, _SENTENCE_CHARS), (passage.cite(),), covered, passage.rank, (), mention.term
                    )


def source_text(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """A term's meaning asked for and not written: the statement that uses the term, labelled as the
    source text (原文), trimmed around the term. Not for a numbered formula (「八个一」「两新」) nor a
    coded one (「1+X」): its meaning is its items, which a statement that only uses it does not give."""
    for term in question.quoted:
        if item_count(term) or is_coded(term):
            continue
        for passage in passages:
            mention = next(_mentions(passage, term), None)
            if mention is None or not passage.start <= mention.start < passage.end:
                continue
            start, end = best_window(passage, coverage, must_include=(mention.start, min(mention.end, passage.end)))
            yield Candidate(
                texts.SOURCE_TEXT.format(text=passage.document.text[start:end]),
                (passage.cite(),),
                coverage.of(passage),
                passage.rank,
                (),
                mention.term,
            )


def _names_an_item(term: str, listing: str) -> bool:
    """Whether ``term`` is one item of the listing term ``listing`` (「马上办」 of 「马上办、落实住」)."""
    items = [term_key(item) for item in items_of(listing)]
    return len(items) >= 2 and term_key(term) in items


def _cite_definition(passage: Passage, mention: SloganMention) -> tuple[Citation, ...]:
    """The span from the term to its definition; a note far from the term is cited apart, after the
    statement that uses the term."""
    start, end = mention.definition_start or mention.start, mention.definition_end or mention.end
    text = passage.document.text
    if start > mention.end and (text[mention.end : start].count("\n") > 1 or start > passage.end + _NOTE_GAP):
        line_start = text.rfind("\n", 0, start) + 1
        section = next((s.path for s in passage.document.sections if s.start <= line_start < s.end), ())
        return passage.cite(), passage.document.cite(section, line_start, end)
    return (passage.cite(min(start, mention.start), max(end, mention.end)),)


def other_terms(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """A slogan question without a usable shape: the quoted terms of the best matching sentences."""
    for passage in passages:
        covered = coverage.of(passage)
        for mention in find_slogans(passage.document.text, passage.start, passage.end):
            if mention.term in question.text:
                continue
            answer = (
                texts.SLOGAN_DEFINITION.format(term=mention.term, definition=mention.definition)
                if mention.definition
                else mention.term
            )
            yield Candidate(answer, (passage.cite(),), covered, passage.rank, (Feature.OTHER_TERM,))

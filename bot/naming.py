"""Which documents a question names: 「广东那份报告里」「综保区那个意见」「陈局长讲话里」.

A document's name is its title and its bylines (the meeting, the speaker with their post, the
issuer). A question term names a document when its name holds the term, or a word the term
abbreviates (综保区 for 综合保税区); a surname with a post (「陈局长」) names the documents whose speaker
it can be. A term names clearly when it names one or two documents and not every one: 「政府」 names
each 政府工作报告 and tells them apart from nothing.

The documents named clearly are searched, and the words documents use for a term (综合保税区) are
searched and counted as the term. Where the question points at a document with such a term
(「综保区那个意见里」「广东说的」「陈局长讲的」「全体会上」), every passage of that document covers the
term in full (:class:`bot.passages.Coverage`): the question said it to say where to look.

>>> from bot.questions import analyse
>>> names = [DocumentName("a", "关于促进综合保税区高水平开放的意见", ()), DocumentName("b", "全县经济工作会议讲话", ())]
>>> naming = name_documents(analyse("综保区那个意见里谁牵头？"), names)
>>> naming.terms, naming.forms
({'a': frozenset({'综保区'})}, {'综保区': ('综合保税区',)})
>>> name_documents(analyse("综保区有哪些监管创新？"), names).terms  # named, but not pointed at as a document
{}
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from bot.questions import Question
from ingest.language.colloquial import abbreviated_in
from ingest.language.signatures import refers_to
from vectorstore.bylines import Byline

# A term that names more documents than this does not tell which one the question means.
MAX_NAMED = 2


@dataclass(frozen=True)
class DocumentName:
    """What a document is called: its title and its bylines."""

    doc_id: str
    title: str
    bylines: tuple[Byline, ...]

    @cached_property
    def text(self) -> str:
        """Title, meetings, speakers with their posts and issuers, as one text to find terms in."""
        parts = [
            f"{byline.post}{byline.value}" if byline.kind == "speaker" else byline.value
            for byline in self.bylines
            if byline.kind != "date"
        ]
        return " ".join([self.title, *parts])

    @property
    def speakers(self) -> tuple[Byline, ...]:
        return tuple(byline for byline in self.bylines if byline.kind == "speaker")


@dataclass(frozen=True)
class Naming:
    """The documents a question names clearly, with the terms that name each, and the words
    documents use for the question's abbreviations and surnames."""

    named: dict[str, frozenset[str]] = field(default_factory=dict)  # doc_id → the terms naming it clearly
    forms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # 综保区 → (综合保税区,)
    # doc_id → the terms naming it where the question points at a document (「综保区那个意见里」) or a
    # speaker (「陈局长」): within that document the question has said them.
    terms: dict[str, frozenset[str]] = field(default_factory=dict)

    def documents(self, weights: dict[str, float]) -> list[str]:
        """The documents named, the most named first (by the summed weights of their terms)."""
        strength = {doc_id: sum(weights.get(term, 0.0) for term in terms) for doc_id, terms in self.named.items()}
        return sorted(strength, key=lambda doc_id: -strength[doc_id])


def name_documents(question: Question, names: Sequence[DocumentName]) -> Naming:
    """Which of ``names`` the question's terms and persons name clearly."""
    named_by: dict[str, set[str]] = {}
    forms: dict[str, dict[str, None]] = {}
    pointing = {term for term in question.terms if term in question.reference}
    for name in names:
        for term in question.terms:
            if len(term) < 2:
                continue
            form = None if term in name.text else abbreviated_in(term, name.text)
            if term in name.text or form:
                named_by.setdefault(term, set()).add(name.doc_id)
            if form:
                forms.setdefault(term, {})[form] = None
        for surname, post in question.persons:
            for speaker in name.speakers:
                if refers_to(surname, post, speaker.value, speaker.post):
                    # The post names the document only where the document gives it (书记 for 马卫光书记).
                    for term in (surname, post) if speaker.post else (surname,):
                        if term in question.terms:
                            named_by.setdefault(term, set()).add(name.doc_id)
                            pointing.add(term)
                    forms.setdefault(surname, {})[speaker.value] = None
    clear = {term: docs for term, docs in named_by.items() if len(docs) < len(names) and len(docs) <= MAX_NAMED}
    by_document: dict[str, set[str]] = {}
    for term, docs in clear.items():
        for doc_id in docs:
            by_document.setdefault(doc_id, set()).add(term)
    return Naming(
        {doc_id: frozenset(terms) for doc_id, terms in by_document.items()},
        {term: tuple(found) for term, found in forms.items() if term in clear},
        {doc_id: frozenset(terms & pointing) for doc_id, terms in by_document.items() if terms & pointing},
    )

"""Who gave a document, at which meeting, on which date: answered from its bylines, each cited by
the line that says it (「广东省省长 孟凡利」「——2026年1月26日在…会议上」「（2010年2月22日）」).

A notice has no speaker: 「谁发的」 is answered by who signed it. A question about a document itself
is answered from its bylines or not at all: its body does not say who gave it.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.answers import Citation
from bot.candidates import Candidate
from bot.passages import Coverage
from bot.questions import Question
from bot.strategies.sources import Subject
from prompts import answer_texts as texts
from vectorstore.bylines import Byline

# Several speakers or issuers are all named; a document has one meeting and one date that count.
_ALL_OF_THEM = {"speaker", "issuer"}


def from_subjects(question: Question, subjects: list[Subject], coverage: Coverage) -> Iterator[Candidate]:
    """One answer per document asked about: the bylines of each kind the question asks for."""
    for subject in subjects:
        facts: list[str] = []
        cited: list[Byline] = []
        for asked in question.byline:
            kind, found = asked, [byline for byline in subject.bylines if byline.kind == asked]
            if asked == "date" and question.persons:  # when a person spoke, not when a notice was signed
                found = [byline for byline in found if not byline.post]
            if asked == "speaker" and not found:
                kind, found = "issuer", [byline for byline in subject.bylines if byline.kind == "issuer"]
            if not found:
                continue
            found = found if kind in _ALL_OF_THEM else found[:1]
            value = texts.BYLINE_NAMES_JOINER.join(_shown(byline) for byline in found)
            facts.append(texts.BYLINE_FACTS[kind].format(value=value))
            cited.extend(found)
        if not facts:
            continue
        answer = texts.BYLINE.format(title=subject.title, facts=texts.BYLINE_JOINER.join(facts))
        citations = tuple(
            Citation(subject.doc_id, subject.title, "", byline.quote, byline.start, byline.end)
            for byline in dict.fromkeys(cited)
        )
        yield Candidate(answer, citations, subject.coverage, entity=_entity(cited))


def _shown(byline: Byline) -> str:
    """A speaker with the post the line gives (青山县县长王建国), anything else as it is."""
    if byline.kind == "speaker" and byline.post and byline.post != byline.value:
        return f"{byline.post}{byline.value}"
    return byline.value


def _entity(cited: list[Byline]) -> str | None:
    """Who the answer names, for a follow-up question (「他还讲了什么」)."""
    return next((byline.value for byline in cited if byline.kind == "speaker"), None)

"""Who a result is sent to: 「督查成绩单最后报给谁？」 → 「报市委督考办」, read where the text sends
something on (「并报市委督考办作为考核依据」「向县政府报告」)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.candidates import Candidate, Feature
from bot.passages import Coverage, Passage
from bot.questions import Question
from ingest.language.boundaries import CLAUSE_ENDS
from ingest.language.parties import MAX_PARTY_CHARS, is_party
from ingest.language.roles import REPORT_VERBS, alternation
from prompts import answer_texts as texts

_VERB = alternation(REPORT_VERBS)
# 「报市委督考办作为…」: the verb, then the party at the start of what follows it.
_SENT_TO = re.compile(rf"(?P<verb>{_VERB})(?:给|至|到)?(?P<after>[^{CLAUSE_ENDS}、]{{2,{MAX_PARTY_CHARS}}})")
# 「向县政府报告」: the party between 向 and the verb.
_SENT_VIA = re.compile(rf"向(?P<party>[^{CLAUSE_ENDS}]{{2,{MAX_PARTY_CHARS}}}?)(?P<verb>{_VERB})")


def from_passages(question: Question, passages: list[Passage], coverage: Coverage) -> Iterator[Candidate]:
    """Each party a passage sends something to, answered with the text's own verb (「报市委督考办」)."""
    for passage in passages:
        covered = coverage.of(passage)
        for verb, party, start, end in sent_to(passage.document.text, passage.start, passage.end):
            yield Candidate(
                texts.SENT_TO.format(verb=verb, party=party),
                (passage.cite(start, end),),
                covered,
                passage.rank,
                (Feature.EXPLICIT_ROLE,),
                party,
            )


def sent_to(text: str, start: int, end: int) -> Iterator[tuple[str, str, int, int]]:
    """(verb, party, span start, span end) for each party ``text[start:end]`` sends something to.

    >>> [found[:2] for found in sent_to("形成督查成绩单，并报市委督考办作为考核依据。", 0, 22)]
    [('报', '市委督考办')]
    >>> [found[:2] for found in sent_to("每月5日前向县政府报告进展，抄送县财政局。", 0, 21)]
    [('报告', '县政府')]
    >>> list(sent_to("听取政府工作报告。", 0, 9))
    []
    """
    for match in _SENT_TO.finditer(text, start, end):
        party = _party_opening(match["after"])
        if party:
            yield match["verb"], party, match.start(), match.start("after") + len(party)
    for match in _SENT_VIA.finditer(text, start, end):
        if is_party(match["party"]):
            yield match["verb"], match["party"], match.start(), match.end()


def _party_opening(words: str) -> str | None:
    """The longest opening of ``words`` that names a party: 「市委督考办」 of 「市委督考办作为考核依据」."""
    return next((words[:length] for length in range(len(words), 1, -1) if is_party(words[:length])), None)

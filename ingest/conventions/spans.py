"""Where a party's name ends in a sentence: the span that the word after it shows, for conventions.

>>> longest_party("县财政局要加快拨付", 0, re.compile("(要)"))
('县财政局', '要')
"""

from __future__ import annotations

import re

from ingest.conventions.registry import Party
from ingest.language.parties import MAX_PARTY_CHARS, is_party
from ingest.language.roles import Role

_CLAUSE_STOP = re.compile(r"[，；：。！？]")


def longest_party(text: str, start: int, verbs: re.Pattern[str]) -> tuple[str, str] | None:
    """The longest party starting at ``start`` that a verb follows: (party, verb).

    >>> longest_party("县发改局和县财政局共同牵头，", 0, re.compile("(共同牵头|牵头)"))
    ('县发改局和县财政局', '共同牵头')
    """
    limit = _limit(text, start)
    for length in range(limit, 1, -1):
        verb = verbs.match(text, start + length)
        if verb and is_party(text[start : start + length]):
            return text[start : start + length], verb.group(1)
    return None


def shortest_party(text: str, start: int, followers: re.Pattern[str]) -> str | None:
    """The shortest party (or list) starting at ``start`` that one of ``followers`` follows.

    Shortest, because a party can swallow its own action (「县防指办组成暗查暗访组」 ends in 组).

    >>> shortest_party("县防指办组成暗查暗访组", 0, re.compile("组成"))
    '县防指办'
    """
    limit = _limit(text, start)
    for length in range(2, limit + 1):
        name = text[start : start + length]
        if followers.match(text, start + length) and is_party(name):
            return name
    return None


def _limit(text: str, start: int) -> int:
    """The longest span a party starting at ``start`` may take: up to the clause's end, and no more
    than :data:`MAX_PARTY_CHARS` (the search reads no further, so a long clause costs no more).

    >>> _limit("县财政局，县审计局", 0), _limit("县" * 100, 0)
    (4, 30)
    """
    stop = _CLAUSE_STOP.search(text, start, start + MAX_PARTY_CHARS)
    return stop.start() - start if stop else min(MAX_PARTY_CHARS, len(text) - start)


def party(name: str, role: Role, start: int, *, explicit: bool, title: str | None = None) -> Party:
    """The party ``name`` found at ``start``; a list such as 「各乡镇（办事处）、各单位」 stays one party,
    as users read it as one answer.

    >>> party("县财政局", "cooperate", 8, explicit=True)
    Party(name='县财政局', role='cooperate', start=8, end=12, explicit=True, title=None)
    """
    name = name.strip()
    return Party(name, role, start, start + len(name), explicit, title)

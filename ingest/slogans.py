"""Slogans and formulas (提法): quoted terms, numbered formulas, and the definitions the text gives.

「做到“四个决不”，即该办的事坚决办，决不拖；…」 → term 四个决不, definition 该办的事坚决办，决不拖；…
Works on normalised text (directed quotes “”).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTED = re.compile(r"“([^“”\n]{1,40})”")
# Quoted speech, not a slogan: introduced by 说/指出/强调… and a colon or comma.
_SPEECH_BEFORE = re.compile(r"(?:说|说过|指出|强调|讲|要求|提出)[：，]?$")
# A definition opens right after the term, or after a short noun tail and a comma
# (“四个一”推进机制，即… / “三管三必须”的要求，即…). 「“马上办”立即…」 is no definition.
_DEFINITION_AFTER = re.compile(
    r"(?:[\u4e00-\u9fff]{0,8}[，：。]|[，：。]?)(?:即|就是|是指|指的是|也就是说?|主要是|具体是)[，：]?|："
)
# Terms quoted one after another (“三个责任人”和“三个重点环节”，即…) share the definition after the last.
_TERM_JOINER = re.compile(r"^(?:和|与|及|、|以及)$")
NUMBERED_FORMULA = re.compile(r"[一二三四五六七八九十两]+(?:个|种|项|条|大)[\u4e00-\u9fff]{1,4}")
MAX_SLOGAN_CHARS = 30
_MAX_DEFINITION_CHARS = 300


@dataclass(frozen=True)
class SloganMention:
    """A quoted term in the text and, when the text gives one right after it, its definition.

    Offsets are normalised; ``start``/``end`` include the quote marks.
    """

    term: str
    start: int
    end: int
    definition: str | None = None
    definition_start: int | None = None
    definition_end: int | None = None


def find_slogans(text: str, start: int = 0, end: int | None = None) -> list[SloganMention]:
    """Quoted slogans in ``text[start:end]`` with their definitions."""
    end = len(text) if end is None else end
    matches = [
        match
        for match in _QUOTED.finditer(text, start, end)
        if len(match.group(1).strip()) <= MAX_SLOGAN_CHARS
        and not _SPEECH_BEFORE.search(text[max(0, match.start() - 4) : match.start()])
    ]
    mentions = []
    for index, match in enumerate(matches):
        following = index + 1
        last = match
        while following < len(matches) and _TERM_JOINER.match(text[last.end() : matches[following].start()]):
            last = matches[following]
            following += 1
        definition = _definition_after(text, last.end(), end)
        mentions.append(
            SloganMention(match.group(1).strip(), match.start(), match.end(), *(definition or ()))
        )
    return mentions


def _definition_after(text: str, position: int, end: int) -> tuple[str, int, int] | None:
    """The definition introduced right after a term (即…/就是…/：…), up to its sentence end.

    It may open the next sentence (「要坚持“三个导向”。即坚持…」), so it can run past ``end``.
    """
    intro = _DEFINITION_AFTER.match(text, position, max(end, position + 12))
    if not intro:
        return None
    start = intro.end()
    stop = re.search(r"[。！？\n]", text[start : start + _MAX_DEFINITION_CHARS])
    finish = start + (stop.start() if stop else min(_MAX_DEFINITION_CHARS, len(text) - start))
    return (text[start:finish], start, finish) if finish > start else None


def items_of(term: str) -> list[str]:
    """The items of a listing slogan: 「稳中求进、以进促稳、先立后破」 → three items."""
    return [part for part in re.split(r"[，、；]", term) if part]


def clause_count(term: str) -> int:
    """How many clauses a quoted term has: 「看好自己的人，管好自己的门」 has two."""
    return len([part for part in re.split(r"[，、；]", term) if part])

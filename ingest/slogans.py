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
_DEFINITION_AFTER = re.compile(r"^[，：]?(?:即|就是|是指|指的是|也就是|也就是说|主要是|具体是|：)[，：]?")
NUMBERED_FORMULA = re.compile(r"[一二三四五六七八九十两]+(?:个|种|项|条|大)[\u4e00-\u9fff]{1,4}")
MAX_SLOGAN_CHARS = 30


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
    mentions = []
    for match in _QUOTED.finditer(text, start, end):
        term = match.group(1).strip()
        if len(term) > MAX_SLOGAN_CHARS or _SPEECH_BEFORE.search(text[max(0, match.start() - 4) : match.start()]):
            continue
        definition = _definition_after(text, match.end(), end)
        if definition:
            mentions.append(SloganMention(term, match.start(), match.end(), *definition))
        else:
            mentions.append(SloganMention(term, match.start(), match.end()))
    return mentions


def _definition_after(text: str, position: int, end: int) -> tuple[str, int, int] | None:
    """The definition introduced right after a term (即…/就是…/：…), up to the sentence end."""
    intro = _DEFINITION_AFTER.match(text[position:end])
    if not intro or intro.group() in {"，", ""}:
        return None
    start = position + intro.end()
    stop = re.search(r"[。！？\n]", text[start:end])
    finish = start + stop.start() if stop else end
    return (text[start:finish], start, finish) if finish > start else None


def clause_count(term: str) -> int:
    """How many clauses a quoted term has: 「看好自己的人，管好自己的门」 has two."""
    return len([part for part in re.split(r"[，、；]", term) if part])

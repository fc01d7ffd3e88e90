"""Slogans and formulas (提法): quoted terms, numbered formulas, and the definitions the text gives.

「做到“四个决不”，即该办的事坚决办，决不拖；…」 → term 四个决不, definition 该办的事坚决办，决不拖；…
Works on normalised text (directed quotes “”).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.language.cover import Cover
from ingest.language.numerals import ORDINALS
from ingest.language.roles import alternation, words_for
from ingest.language.terms import ALIAS, MAX_TERM_CHARS, formula_count, item_count, items_of, quoted_spans
from ingest.language.tokens import first_item
from ingest.notes import note_for

# Quoted speech, not a slogan: introduced by 说/指出/强调… and a colon or comma.
_SPEECH_BEFORE = re.compile(r"(?:说|说过|指出|强调|讲|要求|提出)[：，]?$")
# A definition opens right after the term, or after a short noun tail and a comma
# (“四个一”推进机制，即… / “三管三必须”的要求，即…). 「“马上办”立即…」 is no definition.
_DEFINITION_AFTER = re.compile(
    r"(?:[\u4e00-\u9fff]{0,8}[，：。]|[，：。]?)(?:即|就是|是指|指的是|也就是说?|主要是|具体是)[，：]?|："
)
# Terms quoted one after another (“三个责任人”和“三个重点环节”，即…) share the definition after the last.
_TERM_JOINER = re.compile(r"^(?:和|与|及|、|以及)$")
_STRICT_DEFINITION_AFTER = re.compile(r"[，：]?(?:即|就是|是指|指的是)[，：]?|：")
# What may stand between a numbered formula and its enumeration: 「“三个确保”。一是…」,
# 「“四个到位”的要求：一要…」.
_ENUMERATION_OPENING = re.compile(
    r"(?:[\u4e00-\u9fff]{0,8}?)[，：。]?(?:具体来说|具体而言|即|就是)?[，：]?(?P<items>一(?P<style>是|要|方面|抓|看))"
)
_MAX_ENUMERATION_CHARS = 600
_FORMULA_HEAD = re.compile(r"(?<![一二三四五六七八九十两\d])[一二三四五六七八九十两]{1,2}(?:个|种|项|条|大)")
# Counted things that are no formula: 「三个方面」, 「两个月」, 「五项工作」.
_GENERIC_COUNTED = (
    r"^(?:方面|问题|部分|阶段|时期|层面|步骤|环节|月|年|天|日|小时|工作日|周|星期|人|次"
    r"|项目|单位|部门|工作|事项|措施|任务|地方|县|乡镇|村)"
)
_MAX_DEFINITION_CHARS = 300
# 「“三权”分置（所有权、承包权、经营权）」「八大方面工作（六项重点工作+民生实事+作风建设）」: the
# items in brackets right after a term (not a bracket of units that are to do it, nor an alias).
_BRACKETED_ITEMS = re.compile(r"[\u4e00-\u9fff]{0,4}（(?P<items>[^（）\n]{2,80}?[、+；，][^（）\n]{1,80}?)）")
_ROLE_AT_END = re.compile(f"(?:{alternation(words_for('lead', 'responsible', 'cooperate'))})$")
# 「“抓在关键处”是方法」: an item of a listing term, then the word that explains it.
_EXPLAINS = r"，?(?:就是|即|是指|指的是|意味着|是|指|为)"
# How far after a listing term its items are explained one by one.
_ITEMS_REACH = 400


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


@dataclass(frozen=True)
class _Quoted:
    """A pair of quote marks: ``start`` at the opening mark, ``end`` after the closing one."""

    start: int
    end: int
    term: str


def find_slogans(text: str, start: int = 0, end: int | None = None) -> list[SloganMention]:
    """Quoted slogans in ``text[start:end]`` with their definitions (quotes inside quotes too)."""
    end = len(text) if end is None else end
    matches = [
        _Quoted(open_at, close_end, text[open_at + 1 : close_end - 1].strip())
        for open_at, close_end in quoted_spans(text, start, end)
        if 0 < len(text[open_at + 1 : close_end - 1].strip()) <= MAX_TERM_CHARS
        and not _SPEECH_BEFORE.search(text[max(0, open_at - 4) : open_at])
    ]
    mentions = []
    for index, match in enumerate(matches):
        following = index + 1
        last = match
        while following < len(matches) and _TERM_JOINER.match(text[last.end : matches[following].start]):
            last = matches[following]
            following += 1
        definition = (
            definition_after(text, last.end, end, formula_count(last.term), term=last.term, brackets=last is match)
            or _items_explained(text, last.end, last.term)
            or _listed_before(text, match.start, match.term)
        )
        mentions.append(SloganMention(match.term, match.start, match.end, *(definition or ())))
    return mentions


def find_formulas(text: str, start: int = 0, end: int | None = None) -> list[SloganMention]:
    """Numbered formulas written without quotes that the text defines right after them:
    「坚持三个导向：一是…；二是…；三是…」 → 三个导向. Quoted ones are :func:`find_slogans`' work."""
    end = len(text) if end is None else end
    quoted = Cover(quoted_spans(text, start, end))
    mentions = []
    for match in _FORMULA_HEAD.finditer(text, start, end):
        if quoted.holds(match.start()):
            continue
        for length in range(4, 0, -1):
            term_end = match.end() + length
            tail = text[match.end() : term_end]
            if term_end > end or not re.fullmatch(r"[\u4e00-\u9fff]+", tail):
                continue
            term = match.group() + tail
            if re.search(_GENERIC_COUNTED, tail):
                break
            definition = definition_after(text, term_end, end, formula_count(term), strict=True)
            if definition:
                mentions.append(SloganMention(term, match.start(), term_end, *definition))
                break
    return mentions


def definition_after(
    text: str,
    position: int,
    end: int,
    count: int | None = None,
    *,
    strict: bool = False,
    term: str | None = None,
    brackets: bool = True,
) -> tuple[str, int, int] | None:
    """The definition introduced right after a term (即…/就是…/：…), up to its sentence end; for a
    numbered formula also an enumeration that follows (「“三个确保”。一是…；二是…；三是…。」).

    It may open the next sentence (「要坚持“三个导向”。即坚持…」), so it can run past ``end``.
    ``strict`` (unquoted formulas): no noun tail between term and definition, and a bare colon
    must open a list. Items in brackets right after the term define it too (unless ``brackets`` is
    False: terms joined before them, 「“甲”、“乙”（…）」, do not share them), and so does the note a
    mark after it points at (:func:`ingest.notes.note_for`, given the ``term``).
    """
    if count:
        enumeration = _enumeration_after(text, position, count)
        if enumeration:
            return enumeration
    bracketed = _BRACKETED_ITEMS.match(text, position) if brackets else None
    if (
        bracketed
        and not ALIAS.fullmatch(text, bracketed.start("items") - 1, bracketed.end())
        and not _ROLE_AT_END.search(bracketed.group("items"))
    ):
        return bracketed.group("items"), bracketed.start("items"), bracketed.end("items")
    note = note_for(text, position, term)
    if note:
        return note
    pattern = _STRICT_DEFINITION_AFTER if strict else _DEFINITION_AFTER
    intro = pattern.match(text, position, max(end, position + 12))
    if not intro:
        return None
    start = intro.end()
    if intro.group().endswith("：") and text.startswith("\n", start):
        start += 1  # a glossary note: 「3.“四好农村路”：」, its definition on the next line
    stop = re.search(r"[。！？\n]", text[start : start + _MAX_DEFINITION_CHARS])
    finish = start + (stop.start() if stop else min(_MAX_DEFINITION_CHARS, len(text) - start))
    if finish <= start:
        return None
    if strict and intro.group().endswith("：") and not re.search(r"[、；]", text[start:finish]):
        return None
    return text[start:finish], start, finish


def _enumeration_after(text: str, position: int, count: int) -> tuple[str, int, int] | None:
    """「一是…；二是…；三是…。」 with exactly ``count`` items, right after a numbered formula."""
    opening = _ENUMERATION_OPENING.match(text, position, position + 16)
    if not opening:
        return None
    start = opening.start("items")
    limit = min(len(text), start + _MAX_ENUMERATION_CHARS)
    style = opening.group("style")
    cursor = start
    for number in range(2, count + 1):
        marker = re.compile(ORDINALS[number - 1] + re.escape(style))
        found = marker.search(text, cursor + 1, limit)
        if not found or "\n" in text[cursor : found.start()]:
            return None
        cursor = found.start()
    if count < len(ORDINALS) and re.compile(ORDINALS[count] + re.escape(style)).search(
        text, cursor + 1, min(limit, cursor + 200)
    ):
        return None  # more items than the formula counts: not its definition
    stop = re.search(r"[。！？\n]", text[cursor:limit])
    finish = cursor + stop.start() if stop else limit
    return text[start:finish], start, finish


def _items_explained(text: str, position: int, term: str) -> tuple[str, int, int] | None:
    """A listing term whose items the text then explains one by one, in order:
    「“抓在关键处，干在最前头”的新要求，其中“抓在关键处”是方法，“干在最前头”是目标。」"""
    items = items_of(term)
    if len(items) < 2:
        return None
    paragraph_end = text.find("\n", position)
    limit = min(position + _ITEMS_REACH, len(text) if paragraph_end < 0 else paragraph_end)
    cursor, first = position, None
    for item in items:
        said = re.compile(f"(?:“{re.escape(item)}”|(?<=[，。；：]){re.escape(item)}){_EXPLAINS}")
        found = said.search(text, cursor, limit)
        if found is None:
            return None
        first = found.start() if first is None else first
        cursor = found.end()
    # explained in one sentence, one clause each: the last clause ends it; else its sentence does
    one_sentence = first is not None and not re.search(r"[。！？]", text[first:cursor])
    stop = re.search(r"[，；。！？\n]" if one_sentence else r"[。！？\n]", text[cursor:limit])
    finish = cursor + stop.start() if stop else limit
    return (text[first:finish], first, finish) if first is not None else None


def _listed_before(text: str, open_at: int, term: str) -> tuple[str, int, int] | None:
    """The items a formula names, listed right before it:
    「紧扣全省的创新高地、全国的开放门户、区域的服务中心“一高两门”新定位」."""
    count = item_count(term)
    if not count or count < 2:
        return None
    reach = max(0, open_at - _MAX_DEFINITION_CHARS - 1)  # a clause reaching further is too long anyway
    clause_start = max(text.rfind(mark, reach, open_at) for mark in "，；：。！？\n“”") + 1
    listed = text[clause_start:open_at]
    items = listed.removesuffix("的").split("、")
    if len(items) != count or len(listed) > _MAX_DEFINITION_CHARS or any(len(item) < 2 for item in items):
        return None
    start = clause_start + len(items[0]) - len(first_item(items))
    finish = clause_start + len(listed.removesuffix("的"))
    return text[start:finish], start, finish

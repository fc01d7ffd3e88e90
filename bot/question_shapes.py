"""The shape of the answer a question asks for: a list of so many items, or the word that fills a cloze.

>>> shaped_as_list("方案定的四条原则是什么？")
Enumeration(affix='', count=4, counter=None, noun='原则')
>>> cloze_of("要建立什么机制？")
('建立', '机制')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jieba

from ingest.language.numerals import MAX_COUNT_CHARS, cn_number

_ENUMERATION = re.compile(
    r"哪“?(?:几|(?P<count>[一二三四五六七八九十两\d]+))(?P<counter>个|种|项|条|句|大)?[“]?(?P<affix>[\u4e00-\u9fff]{1,4}?)[”]?[？?。]?$"
)
# 「要坚持的两句话是什么」「八个字」: a quoted phrase of so many clauses or characters.
_SHAPED = re.compile(
    r"(?<![一二三四五六七八九十两\d])(?P<count>[一二三四五六七八九十两\d]+)(?P<counter>句话?|个?字)(?:是什么|是啥|指什么|有哪些|都有啥|都是啥)?[？?。]?$"
)
# 「方案定的四条原则」: so many items of a generic kind, not a 提法 named “四条原则”. The pattern
# covers the count only (the kind is looked ahead at), so the scaffold below removes the count and
# keeps 原则 as a term.
_KINDS = "原则|要求|措施|任务|目标|方面|举措|重点|环节|机制|标准|理念|导向"
COUNT_OF_A_KIND = (
    rf"(?<![“\"哪])(?P<count>[一二三四五六七八九十两]{{1,{MAX_COUNT_CHARS}}})(?:个|条|项|大|点)"
    rf"(?=(?P<noun>{_KINDS})(?![”\"]))"
)
_COUNTED_KIND = re.compile(COUNT_OF_A_KIND)
_CLOZE = re.compile(r"(?P<left>[\u4e00-\u9fff“”]{1,8})(?:什么|啥)(?P<right>[\u4e00-\u9fff]{0,3})")


@dataclass(frozen=True)
class Enumeration:
    """A question for a list: 哪几个快 (affix 快), 哪“三个以” (count 3, affix 以), 四条原则 (count 4,
    noun 原则: a list of four that the text calls 原则)."""

    affix: str
    count: int | None
    counter: str | None
    noun: str | None = None


def shaped_as_list(text: str) -> Enumeration | None:
    """The list a question asks for, if it asks for one: 「哪几个快」「哪“三个以”」「四条原则」「八个字」.

    >>> shaped_as_list("哪“三个以”？")
    Enumeration(affix='以', count=3, counter='个', noun=None)
    """
    counted = _COUNTED_KIND.search(text)
    if counted:
        return Enumeration("", cn_number(counted.group("count")), None, counted.group("noun"))
    shaped = _SHAPED.search(text)
    if shaped:
        return Enumeration("", cn_number(shaped.group("count")), "字" if "字" in shaped.group("counter") else "句")
    match = _ENUMERATION.search(text)
    if not match:
        return None
    count_text = match.group("count")
    count = None
    if count_text:
        count = cn_number(count_text)
    affix = match.group("affix")
    counter = match.group("counter")
    if counter == "句" or affix in {"话", "句话", "句"}:
        return Enumeration("", count, "句")
    if affix == "字":
        return Enumeration("", count, "字")
    return Enumeration(affix, count, counter)


def cloze_of(text: str) -> tuple[str, str] | None:
    """The word before and the words after 什么 in a question that asks to fill a blank.

    >>> cloze_of("坚持什么导向？")
    ('坚持', '导向')
    """
    match = _CLOZE.search(text)
    if not match:
        return None
    words = [word for word in jieba.lcut(match.group("left")) if word not in {"要", "是", "的", "都"}]
    return (words[-1], match.group("right")) if words else None

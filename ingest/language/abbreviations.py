"""Abbreviations: the short forms cadres write for names documents spell out.

综保区 for 综合保税区, 民企 for 民营企业, 职教 for 职业教育, 发改 for 发展改革, 人社 for
人力资源社会保障, 住建 for 住房城乡建设, 国办 for 国务院办公厅, 家医 for 家庭医生: Chinese
abbreviations keep the first character of each word of the name. So a term of 2–4 characters
abbreviates a span of a text that starts with its first character, holds its characters in order,
each of them but the last opening a word where the one before closes a word, and is at most
``SPAN_RATIO`` times as long. A two-character term stands for two words: the expansion runs on to
the end of the shortest word its last character opens (民营企 → 民营企业), and is never one word
(上游 is not short for 上下游, nor 精度 for 精准度). In a longer term the last character ends the
span (综合保税区, 发展改革委).

Which expansions a term has is read from the documents themselves (``expansions``): the spans
the text uses far more often than the term, so a term documents use as it is keeps its meaning
(and may stand only for a shorter span); a word the dictionary knows as common has none. What is
no subsequence (一把手 for 主要负责人) stays in ``colloquial.EQUIVALENTS``.
"""

from __future__ import annotations

import math
import re
from collections import Counter

import jieba

from ingest.language.numerals import COUNT

_TERM = re.compile(r"[\u4e00-\u9fff]{2,4}")
# A count is no abbreviation (第七 is not short for 第十七).
_COUNTED = re.compile(rf"{COUNT}|[第百千万]")
_CJK = r"[\u4e00-\u9fff]"
# A span holds at most this many times the characters of the term (民企→民营企 1.5, 人社→人力资源社 2.5);
# a term the documents also use as it is is one of their words: its span must be shorter.
SPAN_RATIO = 2.5
USED_SPAN_RATIO = 2.0
# The expansions must be used this many times as often as the term itself.
DOMINANCE = 2
# An expansion is kept when the documents use it at least this often.
MIN_USES = 2
_WORD_LENGTHS = (2, 3, 4)
# jieba's dictionary also lists rare fragments (先纳 3, 院办 2); a word here is one it has seen more.
MIN_WORD_FREQUENCY = 20
# A word jieba's dictionary knows as common is used as itself (强调 is no short form of 强化调度).
COMMON_WORD_FREQUENCY = 500


def _is_word(text: str) -> bool:
    return (jieba.dt.FREQ.get(text) or 0) >= MIN_WORD_FREQUENCY


def _opens_word(text: str, start: int) -> int:
    """The length of the shortest dictionary word (2–4 characters) that starts at ``start``; 0 if none."""
    fits = (length for length in _WORD_LENGTHS if start + length <= len(text))
    return next((length for length in fits if _is_word(text[start : start + length])), 0)


def _closes_word(text: str, end: int) -> bool:
    """Whether a dictionary word of 2–4 characters ends at ``end`` (and starts in ``text``)."""
    return any(end >= length and _is_word(text[end - length : end]) for length in _WORD_LENGTHS)


def _pattern(term: str, ratio: float) -> re.Pattern[str]:
    """Candidate spans, overlapping: the first character, then the others in order with the shortest
    gaps, and up to 3 characters after (where the last character's word may end). The literal first
    character lets the regex engine skip ahead."""
    gap = math.floor(ratio * len(term)) - len(term)
    rest = "".join(f"{_CJK}{{0,{gap}}}?{char}" for char in term[1:])
    return re.compile(f"{term[0]}(?=({rest})({_CJK}{{0,3}}))")


def expand(term: str, span: str, after: str = "", ratio: float = SPAN_RATIO) -> str | None:
    """The expansion ``span`` (followed by ``after`` in the text) spells out for ``term``, or None.

    >>> expand("民企", "民营企", "业参与"), expand("综保区", "综合保税区"), expand("人社", "人力资源社", "会保障")
    ('民营企业', '综合保税区', '人力资源社会')
    >>> expand("先入", "先纳入"), expand("民企", "民众的企", "业"), expand("上游", "上下游")
    (None, None, None)
    """
    if span == term or len(span) > ratio * len(term) or not _TERM.fullmatch(term) or _COUNTED.search(term):
        return None
    jieba.initialize()
    positions = [0]
    for char in term[1:]:
        found = span.find(char, positions[-1] + 1)
        if found < 0:
            return None
        positions.append(found)
    *inner, last = positions
    if not all(_opens_word(span, position) for position in inner):
        return None
    if not all(_closes_word(span, position) for position in positions[1:]):
        return None
    if len(term) > 2:
        return span
    tail = _opens_word(span[last:] + after, 0)
    return span + after[: tail - 1] if tail else None


def expansions(term: str, text: str, limit: int = 3) -> tuple[str, ...]:
    """What ``text`` spells out for the abbreviation ``term``: its expansions used at least
    ``MIN_USES`` times and at least a quarter as often as the most used one, most used first,
    when together they are used ``DOMINANCE`` times as often as the term itself.

    >>> corpus = "发展职业教育，办好职业教育，职业院校教学。职教集团。鼓励民营企业，民营企业家。"
    >>> expansions("职教", corpus), expansions("民企", corpus), expansions("教育", corpus)
    (('职业教育',), ('民营企业',), ())
    >>> expansions("强调", "强化调度，强化调度。")  # a common word is no abbreviation
    ()
    """
    if not _TERM.fullmatch(term):
        return ()
    jieba.initialize()
    if (jieba.dt.FREQ.get(term) or 0) >= COMMON_WORD_FREQUENCY:
        return ()
    used = text.count(term)
    ratio = USED_SPAN_RATIO if used else SPAN_RATIO
    counts: Counter[str] = Counter()
    for (rest, after), uses in Counter(_pattern(term, ratio).findall(text)).items():
        expansion = expand(term, term[0] + rest, after, ratio)
        if expansion:
            counts[expansion] += uses
    top = max(counts.values(), default=0)
    kept = [(span, uses) for span, uses in counts.most_common(limit) if uses >= max(MIN_USES, top / 4)]
    if not kept or sum(uses for _, uses in kept) < DOMINANCE * used:
        return ()
    return tuple(span for span, _ in kept)

"""Chinese numerals as they number headings, lists and formulas: 一 … 九十九, and 两."""

from __future__ import annotations

import re

# 「一是…；二是…」: the numerals that count items, in order (index 0 is 一).
ORDINALS = "一二三四五六七八九十"
DIGITS = {c: i + 1 for i, c in enumerate("一二三四五六七八九")} | {"两": 2}
# A count in a formula or a question: 「四个决不」「哪三个」.
COUNT = "[一二三四五六七八九十两]"
# The most numerals a count is written with (「九十九」); patterns take runs this long at most, so that
# a long run of numerals is not read again from each of its characters.
MAX_COUNT_CHARS = 6
# A quantity as documents write it: 「5200人」「两次」「三成」.
QUANTITY = re.compile(
    rf"\d|(?<!第){COUNT}[一二三四五六七八九十两百千万亿]{{0,{2 * MAX_COUNT_CHARS}}}"
    r"(?:[个次项家所座名人万亿倍条批成届轮])"
)


def cn_number(numeral: str) -> int | None:
    """The value of a Chinese (or Arabic) numeral.

    >>> [cn_number(n) for n in ("一", "十", "十六", "二十", "三十二", "两", "7", "百")]
    [1, 10, 16, 20, 32, 2, 7, None]
    """
    if numeral.isdigit():
        return int(numeral)
    if numeral in DIGITS:
        return DIGITS[numeral]
    tens, ten, ones = numeral.partition("十")
    if not ten or (tens and tens not in DIGITS) or (ones and ones not in DIGITS):
        return None
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)

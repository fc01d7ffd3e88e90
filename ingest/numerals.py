"""Chinese numerals as they number headings and formulas: 一 … 九十九, and 两."""

from __future__ import annotations

DIGITS = {c: i + 1 for i, c in enumerate("一二三四五六七八九")} | {"两": 2}


def cn_number(numeral: str) -> int | None:
    """一 → 1, 十 → 10, 十六 → 16, 二十 → 20, 三十二 → 32; anything else → None."""
    if numeral.isdigit():
        return int(numeral)
    if numeral in DIGITS:
        return DIGITS[numeral]
    tens, ten, ones = numeral.partition("十")
    if not ten or (tens and tens not in DIGITS) or (ones and ones not in DIGITS):
        return None
    return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)

"""Quoted terms and numbered formulas (提法): where they are, how many items they count, and
whether a name a cadre types is the same term.

>>> quoted_spans("做到“四个决不”，即…")
[(2, 8)]
"""

from __future__ import annotations

import re

from ingest.language.numerals import COUNT, cn_number

# The longest quoted text read as one term: 「“四个决不”」 is a term, a quoted paragraph is not.
MAX_TERM_CHARS = 30
# 「四个决不」「三个确保」: a count, a counter and a short head, written with or without quotes.
NUMBERED_FORMULA = re.compile(rf"{COUNT}+(?:个|种|项|条|大)[\u4e00-\u9fff]{{1,4}}")
# The counters a numbered formula's count may take: 四个决不, 三管三必须, 两不愁.
_FORMULA_COUNT = re.compile(rf"({COUNT}{{1,2}})(?:个|种|项|条|大|要|是|管|不|抓|化|心|有|无)")
# What separates the items of a listing term: 「稳中求进、以进促稳、先立后破」.
_ITEM_SPLIT = re.compile(r"[，、；]")
_KEY_DROPS = re.compile(r"[“”\"‘’'「」『』\s]")


def quoted_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Every pair of quote marks in ``text[start:end]``, nested pairs included, in order of opening.

    Quotes inside quotes (「“‘三个一批’工作法”」, normalised to “ “ ” ”) pair innermost first; an
    opening mark left unclosed at a line end is dropped.

    >>> quoted_spans("“‘三个一批’工作法”".replace("‘", "“").replace("’", "”"))
    [(0, 11), (1, 7)]
    """
    end = len(text) if end is None else end
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for mark in re.finditer(r"[“”\n]", text[start:end]):
        position = start + mark.start()
        if mark.group() == "\n":
            stack.clear()
        elif mark.group() == "“":
            stack.append(position)
        elif stack:
            pairs.append((stack.pop(), position + 1))
    return sorted(pairs)


def quoted_terms(
    text: str, start: int = 0, end: int | None = None, *, min_chars: int = 1, max_chars: int = MAX_TERM_CHARS
) -> list[tuple[int, int, str]]:
    """The innermost quoted texts of ``text[start:end]``: (start, end, text) inside the quote marks.

    >>> quoted_terms("坚持“两个毫不动摇”和“三个一批”")
    [(3, 9, '两个毫不动摇'), (12, 16, '三个一批')]
    """
    found = []
    for open_at, close_end in quoted_spans(text, start, end):
        inner = text[open_at + 1 : close_end - 1]
        if min_chars <= len(inner) <= max_chars and "“" not in inner and "”" not in inner:
            found.append((open_at + 1, close_end - 1, inner))
    return found


def formula_count(term: str) -> int | None:
    """How many items a numbered formula names; None for other terms.

    >>> formula_count("四个决不"), formula_count("三管三必须"), formula_count("马上办")
    (4, 3, None)
    """
    match = _FORMULA_COUNT.match(term)
    return cn_number(match.group(1)) if match else None


def items_of(term: str) -> list[str]:
    """The items of a listing term.

    >>> items_of("稳中求进、以进促稳、先立后破")
    ['稳中求进', '以进促稳', '先立后破']
    """
    return [part for part in _ITEM_SPLIT.split(term) if part]


def clause_count(term: str) -> int:
    """How many clauses a quoted term has.

    >>> clause_count("看好自己的人，管好自己的门")
    2
    """
    return len(items_of(term))


def term_key(term: str) -> str:
    """A term as compared: no quote marks or spaces, ASCII commas as full-width ones.

    >>> term_key(" “马上办, 落实住” ")
    '马上办，落实住'
    """
    return _KEY_DROPS.sub("", term).replace(",", "，").replace(";", "；")


def term_matches(query: str, term: str) -> bool:
    """Whether ``query`` names the term: the same one, or one item of a listing term.

    >>> term_matches("马上办", "马上办、落实住"), term_matches("“四个决不”", "四个决不")
    (True, True)
    >>> term_matches("四个一", "四个一批")
    False
    """
    wanted = term_key(query)
    if not wanted:
        return False
    return wanted == term_key(term) or wanted in [term_key(item) for item in re.split(r"[，、；,;]", term)]

"""Quoted terms and numbered formulas (提法): where they are, how many items they count, and
whether a name a cadre types is the same term.

>>> quoted_spans("做到“四个决不”，即…")
[(2, 8)]
"""

from __future__ import annotations

import re

from ingest.language.boundaries import STATEMENT_ENDS
from ingest.language.numerals import COUNT, MAX_COUNT_CHARS, cn_number

# The longest quoted text read as one term: 「“四个决不”」 is a term, a quoted paragraph is not.
MAX_TERM_CHARS = 30
# 「四个决不」「三个确保」: a count, a counter and a short head, written with or without quotes.
NUMBERED_FORMULA = re.compile(rf"{COUNT}{{1,{MAX_COUNT_CHARS}}}(?:个|种|项|条|大)[\u4e00-\u9fff]{{1,4}}")
# 「1+N证书」「3+2服务站」: a term coded in digits and letters joined by +, before the words it names.
# It opens where a run of digits and letters does, not inside one nor after its +, and its runs are taken
# whole (possessive): a long code is read once, not again from each of its characters.
CODED_TERM = r"(?<![0-9A-Za-z])(?<![0-9A-Za-z]\+)[0-9A-Za-z]++(?:\+[0-9A-Za-z]++)++"
_CODED_OPENING = re.compile(CODED_TERM)
# The counters a numbered formula's count may take: 四个决不, 三管三必须, 两不愁.
_FORMULA_COUNT = re.compile(rf"({COUNT}{{1,2}})(?:个|种|项|条|大|要|是|管|不|抓|化|心|有|无)")
# What separates the items of a listing term: 「稳中求进、以进促稳、先立后破」.
_ITEM_SPLIT = re.compile(r"[，、；]")
_KEY_DROPS = re.compile(r"[“”\"‘’'「」『』\s]")
# 「A和B（统称“两单”）」「（以下称1+N证书制度试点）」「（简称“双减”）」: a bracket that names the text before it.
ALIAS = re.compile(r"（(?:以下(?:简称|统称|称)|下称|简称|统称)为?：?“?(?P<alias>[^（）“”，。；：\n]{1,30}?)”?）")
# 「本方案所称X，是指…」「X是指…」: a term defined by the statement it opens (after its lead-in).
STATED_DEFINITION = re.compile(
    r"(?:本[\u4e00-\u9fff]{1,6}所称|所称|所谓|这里所?说的|这里讲的|这里的|其中)?"
    r"(?P<term>[^，。；：！？、\n“”（）]{2,20}?)，?(?:是指|指的是)[，：]?"
)
# 「1+N证书制度试点」 names 「1+N证书」: words that name a kind of measure, not a different term.
_KIND_TAIL = re.compile(r"(?:制度|试点|工作|体系|机制|行动|工程|计划|战略|政策|模式|改革|建设|项目|活动|理念)+")
# The numbers a formula's items add up to: 「一高两门」 names three things.
_COUNTED = re.compile(rf"({COUNT}{{1,2}})(?=[\u4e00-\u9fff])")


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
    """The innermost quoted texts of ``text[start:end]``: (start, end, text) inside the quote marks;
    a quote that holds a statement's end (「“…。”」) quotes words said, not a term.

    >>> quoted_terms("坚持“两个毫不动摇”和“三个一批”，他说“马上办。”")
    [(3, 9, '两个毫不动摇'), (12, 16, '三个一批')]
    """
    found = []
    for open_at, close_end in quoted_spans(text, start, end):
        inner = text[open_at + 1 : close_end - 1]
        if (
            min_chars <= len(inner) <= max_chars
            and "“" not in inner
            and "”" not in inner
            and not any(mark in inner for mark in STATEMENT_ENDS)
        ):
            found.append((open_at + 1, close_end - 1, inner))
    return found


def formula_count(term: str) -> int | None:
    """How many items a numbered formula names; None for other terms.

    >>> formula_count("四个决不"), formula_count("三管三必须"), formula_count("马上办")
    (4, 3, None)
    """
    match = _FORMULA_COUNT.match(term)
    return cn_number(match.group(1)) if match else None


def item_count(term: str) -> int | None:
    """How many items a formula names: its count (:func:`formula_count`), else the sum of its numerals
    (when one of them counts more than one).

    >>> item_count("四个决不"), item_count("一高两门"), item_count("马上办"), item_count("一县一业")
    (4, 3, None, None)
    """
    counted = formula_count(term)
    if counted:
        return counted
    numbers = [cn_number(number) or 0 for number in _COUNTED.findall(term)]
    if all(number <= 1 for number in numbers):
        return None  # 「一县一业」: one for each, not two things
    return sum(numbers)


def is_coded(term: str) -> bool:
    """Whether ``term`` opens with a code of digits and letters joined by + (「1+X」「1+M+N服务体系」),
    whose meaning is what each part stands for, as a numbered formula's is its items.

    >>> is_coded("1+X"), is_coded("1+M+N服务体系"), is_coded("四个决不"), is_coded("5G")
    (True, True, False, False)
    """
    return _CODED_OPENING.match(term) is not None


def formula_head(term: str) -> str | None:
    """What a numbered formula's items are: the words after its count and counter.

    >>> formula_head("三大短板"), formula_head("四个意识"), formula_head("马上办")
    ('短板', '意识', None)
    """
    match = _FORMULA_COUNT.match(term)
    return term[match.end() :] or None if match else None


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

    A term the text names with a kind after it (「1+N证书」 of 「1+N证书制度试点」), and a listing
    term a cadre shortens item by item (「抓在关键处、干在最前头」 of 「抓在关键处见实效，干在最前头有担当」),
    are the same term:

    >>> term_matches("1+N证书", "1+N证书制度试点")
    True
    >>> term_matches("抓在关键处、干在最前头", "抓在关键处见实效，干在最前头有担当")
    True
    """
    wanted, named = term_key(query), term_key(term)
    if not wanted:
        return False
    if wanted == named or wanted in [term_key(item) for item in re.split(r"[，、；,;]", term)]:
        return True
    if named.startswith(wanted) and _KIND_TAIL.fullmatch(named[len(wanted) :]):
        return True
    asked, listed = items_of(wanted), items_of(named)
    return (
        len(asked) >= 2
        and len(asked) == len(listed)
        and all(len(short) >= 2 and long.startswith(short) for short, long in zip(asked, listed, strict=True))
    )

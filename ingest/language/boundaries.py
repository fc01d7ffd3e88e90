"""Where clauses, sentences and brackets end, in normalised text (full-width punctuation).

>>> [m.group() for m in CLAUSE.finditer("由县发改局牵头，县财政局配合。")]
['由县发改局牵头', '县财政局配合']
>>> [m.group() for m in STATEMENT.finditer("加快改造。（省住建厅、省财政厅负责）推进绿化。（省林业局负责）")][:2]
['加快改造。（省住建厅、省财政厅负责）', '推进绿化。（省林业局负责）']
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.language.numerals import ORDINALS
from ingest.language.roles import REQUEST_WORDS, alternation

# 「…，…；…。」: what ends a clause.
CLAUSE_ENDS = "，；：。！？"
# 「…。」: what ends a statement (a sentence); ； does not.
STATEMENT_ENDS = "。！？"
# 「…；」: what ends a sentence when chunks are cut finely.
SENTENCE_ENDS = STATEMENT_ENDS + "；"
# 「“…”」「（…）」: closing marks that belong to the sentence before them.
CLOSING_BRACKETS = "”’）】》"
# 「（市发展改革委牵头）」: brackets that hold a remark on the text before them.
OPEN_BRACKET, CLOSE_BRACKET = "（", "）"

# 「…改造。（省住房城乡建设厅、省财政厅按职责分工负责）」: a bracketed remark right after a sentence,
# at a paragraph's end or before the next measure. It belongs to the sentences before it (the measure
# it closes); 「。（二）」 numbers an item and is none.
TRAILER = re.compile(
    f"(?<=[{STATEMENT_ENDS}{CLOSING_BRACKETS}]){OPEN_BRACKET}(?![{ORDINALS}百\\d]+{CLOSE_BRACKET})"
    f"[^{OPEN_BRACKET}{CLOSE_BRACKET}\\n]{{2,}}{CLOSE_BRACKET}"
)

# 「教育处\t教科室」: a TAB between two cells of a row (plain text keeps tables so); a line with two or
# more of them is a table row.
CELL_SEPARATOR = "\t"
_MIN_ROW_SEPARATORS = 2

# A clause without its end mark: 「由县发改局牵头」.
CLAUSE = re.compile(f"[^{CLAUSE_ENDS}]+")
# A clause with its end mark: 「由县发改局牵头，」.
CLAUSE_WITH_END = re.compile(f"[^{CLAUSE_ENDS}]+[{CLAUSE_ENDS}]?")
# A sentence for chunking: up to 。！？； or a line end, with closing marks.
SENTENCE = re.compile(f"[^{SENTENCE_ENDS}\\n]*(?:[{SENTENCE_ENDS}]+[{CLOSING_BRACKETS}]*|\\n|$)")
# A statement for extraction: up to 。！？ or a line end, with closing marks and a trailer.
STATEMENT = re.compile(
    f"[^{STATEMENT_ENDS}\\n]*(?:[{STATEMENT_ENDS}]+[{CLOSING_BRACKETS}]*(?:{TRAILER.pattern})?|\\n|$)"
)
# Where a statement stops: 。！？ or a line end.
STATEMENT_END = re.compile(f"[{STATEMENT_ENDS}\\n]")
# 「此外，县财政局要…」「要求各乡镇在…前…」: words that open a clause before its subject.
LEAD_INS = re.compile(
    f"^(?:此外|同时|另外|会后|其中|对此|为此|特别是|尤其是|首先|其次|再次|最后|[{ORDINALS}]是|并|{alternation(REQUEST_WORDS)})[，：]?"
)


def ends_with_trailer(text: str, start: int, end: int) -> re.Match[str] | None:
    """The trailer that ends ``text[start:end]``, if one does.

    >>> ends_with_trailer("推进改造。（省财政厅负责）", 0, 13).group()
    '（省财政厅负责）'
    """
    match = next((m for m in TRAILER.finditer(text, start, end) if m.end() == end), None)
    return match


def measure_start(text: str, trailer_start: int) -> int:
    """Where the measure a trailer closes begins: after the trailer before it in its paragraph, else
    at the paragraph's start.

    >>> text = "（十）鼓励创新。推进改革。（市场监管总局负责）鼓励退役运动员投身产业。（体育总局负责）"
    >>> text[measure_start(text, text.rindex("（")) :]
    '鼓励退役运动员投身产业。（体育总局负责）'
    """
    paragraph = text.rfind("\n", 0, trailer_start) + 1
    # Back from the trailer to the one before it (brackets never nest inside a trailer, so the one
    # ending at a 「）」 opens at the last 「（」 before it): the walk reads each paragraph once over
    # all its trailers, where scanning from the paragraph's start each time would read it once per trailer.
    close = trailer_start
    while (close := text.rfind(CLOSE_BRACKET, paragraph, close)) >= 0:
        opening = text.rfind(OPEN_BRACKET, paragraph, close)
        if opening < 0:
            break
        earlier = TRAILER.match(text, opening, close + 1)
        if earlier and earlier.end() == close + 1:
            return earlier.end()
    return paragraph


def row_line(text: str, position: int) -> tuple[int, int] | None:
    r"""The line holding ``position`` when it is a table row (cells separated by TABs), else None.

    >>> row_line("说明\n3\t修订章程\t党政办\n", 5)
    (3, 13)
    """
    lines = _lines(text)
    index = bisect.bisect_right(lines.starts, position) - 1
    return (lines.starts[index], lines.ends[index]) if lines.rows[index] else None


@dataclass(frozen=True)
class _Lines:
    """Where each line of a text starts and ends, and whether it is a table row."""

    starts: list[int]
    ends: list[int]
    rows: list[bool]


@lru_cache(maxsize=4)
def _lines(text: str) -> _Lines:
    """The lines of ``text``, read once per text: :func:`row_line` is asked for every statement, and
    reading a statement's whole line each time is quadratic in a long line."""
    starts, ends, rows = [], [], []
    start = 0
    for line in text.split("\n"):
        starts.append(start)
        ends.append(start + len(line))
        rows.append(line.count(CELL_SEPARATOR) >= _MIN_ROW_SEPARATORS)
        start += len(line) + 1
    return _Lines(starts, ends, rows)

"""Issue 11, defect 7: inputs on which a reader's work grew with the square of their length.

Each input below took minutes before this fix (measured on the code before it: the seconds are in the
test's comment) and takes well under a second now. The timeout only stops a stall, with a wide
margin; no speed is asserted (``benchmarks/pathological.py`` prints the times and their growth).
Beside each, the faster reading is checked against the plain one it replaced, kept here as an oracle:
the fix changes how much is read, not what is found.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import Engine
from bot.question_input import MAX_QUESTION_CHARS
from bot.questions import analyse
from bot.strategies.lists import _LISTED
from ingest.conventions.named_after import _DENIAL_CHARS, _DENIED, led_by, together_with
from ingest.conventions.registry import Statement
from ingest.conventions.spans import longest_party
from ingest.conventions.subjects import addressed
from ingest.conventions.table_rows import _header_above, row_value
from ingest.glosses import find_glosses
from ingest.language.boundaries import CELL_SEPARATOR, TRAILER, measure_start, row_line
from ingest.language.cover import Cover
from ingest.language.numerals import MAX_COUNT_CHARS, QUANTITY
from ingest.language.parties import MAX_PARTY_CHARS, is_party
from ingest.language.roles import DENIALS
from ingest.language.terms import CODED_TERM, NUMBERED_FORMULA
from ingest.language.tokens import pos_words
from ingest.normalize import _CELL_TABS, normalize
from ingest.slogans import find_formulas

# A stall, not a speed: every input here runs in under a second, and took minutes before.
stall = pytest.mark.timeout(60)


def _statement(text: str) -> Statement:
    return Statement(text, 0, len(text))


# ------------------------------------------------------------------------------ the stalls
@stall
def test_a_statement_of_many_由_is_read_once() -> None:
    """Each 由 searched the whole statement before it for a denial (不再由…): 95 s for 50 000 (before)."""
    assert list(led_by(_statement("由，" * 80_000))) == []
    assert [p.name for p in led_by(_statement("由，" * 80_000 + "由县财政局牵头"))] == ["县财政局"]


@stall
def test_a_statement_of_many_会同_is_read_once() -> None:
    """Each 会同 copied the rest of the statement to find its clause's end: over 90 s (before)."""
    assert list(together_with(_statement("会同，" * 600_000))) == []


@stall
def test_a_statement_addressing_many_parties_is_read_once() -> None:
    """Each 各部门 read every clause after it: over 90 s for 20 000 (before)."""
    found = list(addressed(_statement("各部门，" * 20_000 + "一定要躬身入局")))
    assert [(p.name, p.start) for p in found] == [("各部门", 0)]


@stall
def test_a_paragraph_of_many_trailers_is_read_once() -> None:
    """Each trailer's measure was found by reading its paragraph from the start: over 90 s (before)."""
    text = "推进改造。（省财政厅负责）" * 20_000
    trailers = list(TRAILER.finditer(text))
    assert [measure_start(text, m.start()) for m in trailers] == [0, *(m.end() for m in trailers[:-1])]


@stall
def test_a_long_line_is_read_once_for_its_rows() -> None:
    """Each statement of a line counted the line's TABs: over 90 s for a 1 MB line (before)."""
    text = "县财政局要抓好落实。" * 100_000
    assert all(row_line(text, position) is None for position in range(0, len(text), 10))


@stall
def test_a_long_table_finds_its_header_once() -> None:
    """Each row walked up to the header over every row above: over 90 s for 5 000 rows (before)."""
    text = "序号\t重点任务\t牵头单位\t推广范围\n" + "3\t修订学校章程\t县教育局\t全县\n" * 5_000
    rows = [match.start() for match in re.finditer(r"(?<=\n)3\t", text)]
    assert {row_value(text, start, text.index("\n", start), "scope") for start in rows} == {"全县"}


@stall
def test_many_formulas_among_many_quotes() -> None:
    """Each formula head asked every quote whether it was inside: over 90 s (before)."""
    assert find_formulas("“甲乙”三个导向" * 40_000) == []


@stall
def test_an_alias_after_a_page_without_punctuation() -> None:
    """An alias's meaning was tagged by jieba's HMM over its whole clause: over 90 s (before)."""
    glosses = find_glosses("由" * 100_000 + "（以下简称“方案”）")
    assert [gloss.term for gloss in glosses] == ["方案"]


@stall
@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (NUMBERED_FORMULA, "一" * 300_000),
        (QUANTITY, "一" * 300_000),
        (re.compile(CODED_TERM), "1" * 300_000),
        (_LISTED, "甲" * 300_000),
    ],
    ids=["numbered formula", "quantity", "coded term", "a list in a clause"],
)
def test_a_run_of_numerals_is_read_once(pattern: re.Pattern[str], text: str) -> None:
    """Each numeral of a run opened a search to the run's end: over 90 s each (before)."""
    assert pattern.search(text) is None


@stall
@pytest.mark.parametrize(
    ("text", "normalized"),
    [("甲" + " " * 200_000 + "乙", "甲乙"), ("a" + "\t" * 200_000 + "\n", "a\n"), ("a" + " " * 200_000 + "b", "a b")],
    ids=["spaces between Chinese", "TABs before a line end", "spaces between letters"],
)
def test_a_long_run_of_spaces_or_tabs_is_normalised_once(text: str, normalized: str) -> None:
    """Each space or TAB of a run opened a match to the run's end: over 90 s for 40 000 (before)."""
    assert normalize(text).text == normalized


@stall
def test_a_question_of_15000_由_is_analysed_at_once() -> None:
    """「由」×15 000 + 「牵头」 took 12–13 s, and 100 000 over 90 s (before): a question is read to
    MAX_QUESTION_CHARS, and jieba's HMM is not run on a run of characters outside its dictionary."""
    question = analyse("由" * 100_000 + "牵头")
    assert len(question.text) == MAX_QUESTION_CHARS
    assert analyse("由" * 480 + "，谁牵头？").role == "lead"  # within the limit: read whole
    assert analyse("由" * 500 + "，谁牵头？").role is None  # past it: not read


@stall
def test_a_question_of_15000_由_is_answered(example_engine: Engine) -> None:
    answer = example_engine.answer("由" * 100_000 + "牵头")
    assert not answer.found and answer.answer


@stall
def test_pos_words_skip_the_hmm_only_on_a_long_unknown_run() -> None:
    words = pos_words("由" * 20_000)
    assert "".join(word.word for word in words) == "由" * 20_000
    assert [(w.word, w.flag) for w in pos_words("临江市教育局")] == [("临江市", "ns"), ("教育局", "n")]


# ---------------------------------------------------------- the same readings as before
_PIECES = st.sampled_from(
    ["。", "！", "（", "）", "\n", "\t", "负责", "省财政厅", "一", "二", "推进", "，", "由", "县"]
)
_TEXTS = st.lists(_PIECES, max_size=60).map("".join)


def _measure_start_before(text: str, trailer_start: int) -> int:
    paragraph = text.rfind("\n", 0, trailer_start) + 1
    earlier = [m.end() for m in TRAILER.finditer(text, paragraph, trailer_start)]
    return earlier[-1] if earlier else paragraph


def _row_line_before(text: str, position: int) -> tuple[int, int] | None:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    end = len(text) if end < 0 else end
    return (start, end) if text.count(CELL_SEPARATOR, start, end) >= 2 else None


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_measure_start_and_row_line_read_as_before(text: str) -> None:
    for position in range(len(text) + 1):
        assert row_line(text, position) == _row_line_before(text, position)
    for trailer in TRAILER.finditer(text):
        assert measure_start(text, trailer.start()) == _measure_start_before(text, trailer.start())
    for position in [i for i, char in enumerate(text) if char == "（"]:
        assert measure_start(text, position) == _measure_start_before(text, position)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 12)), max_size=12), st.integers(0, 50), st.integers(1, 8))
def test_cover_answers_as_asking_each_span(spans: list[tuple[int, int]], start: int, length: int) -> None:
    spans = [(begin, begin + size) for begin, size in spans]
    cover = Cover(spans)
    assert cover.holds(start) == any(begin <= start < end for begin, end in spans)
    assert cover.overlaps(start, start + length) == any(
        begin < start + length and start < end for begin, end in spans if begin < end
    )


def _longest_party_before(text: str, start: int, verbs: re.Pattern[str]) -> tuple[str, str] | None:
    stop = re.compile(r"[，；：。！？]").search(text[start:])
    limit = min(MAX_PARTY_CHARS, stop.start() if stop else len(text) - start)
    for length in range(limit, 1, -1):
        verb = verbs.match(text, start + length)
        if verb and is_party(text[start : start + length]):
            return text[start : start + length], verb.group(1)
    return None


_PARTY_TEXTS = st.lists(
    st.sampled_from(
        ["县财政局", "县审计局", "、", "和", "，", "。", "牵头", "负责", "由", "不再", "各部门", "要", "的"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_PARTY_TEXTS)
def test_party_spans_and_denials_read_as_before(text: str) -> None:
    verbs = re.compile("(牵头|负责|要)")
    for start in range(len(text)):
        assert longest_party(text, start, verbs) == _longest_party_before(text, start, verbs)
    for match in re.finditer("由", text):
        windowed = _DENIED.search(text, max(0, match.start() - _DENIAL_CHARS), match.start())
        assert bool(windowed) == bool(_DENIED.search(text, 0, match.start()))
    assert max(len(word) for word in DENIALS) < _DENIAL_CHARS


_TABLE_LINES = st.lists(
    st.sampled_from(
        [
            "序号\t任务\t牵头单位",
            "1\t甲\t县财政局",
            "2\t乙",
            "一、知识产权保护方面",
            "这一行是表格之后很长的一段正文文字，不再是表格里的内容了",
            "",
        ]
    ),
    max_size=12,
).map("\n".join)


def _header_above_before(text: str, row_start: int) -> list[str] | None:
    from ingest.language.columns import column_field
    from ingest.language.roles import ROLES

    line_end = row_start - 1
    while line_end > 0:
        line_start = text.rfind("\n", 0, line_end) + 1
        line = text[line_start:line_end]
        if CELL_SEPARATOR in line:
            names = [name.strip() for name in line.split(CELL_SEPARATOR)]
            if all(len(name) <= 12 for name in names) and ({column_field(name) for name in names} & set(ROLES)):
                return names
        elif len(line.strip()) > 30:
            return None
        line_end = line_start - 1
    return None


@settings(max_examples=200, deadline=None)
@given(_TABLE_LINES)
def test_table_headers_read_as_before(text: str) -> None:
    for row_start in [0, *(m.end() for m in re.finditer("\n", text))]:
        assert _header_above(text, row_start) == _header_above_before(text, row_start)


_NUMERAL_TEXTS = st.lists(
    st.sampled_from([*"一二三四五六七八九十两百千个种项条大人次甲乙", "1", "+", "a", " "]), max_size=40
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_NUMERAL_TEXTS)
def test_count_patterns_find_what_they_found(text: str) -> None:
    """The bounded and anchored patterns find what the unbounded ones did, on counts a text writes."""
    before = {
        NUMBERED_FORMULA: re.compile(r"[一二三四五六七八九十两]+(?:个|种|项|条|大)[\u4e00-\u9fff]{1,4}"),
        QUANTITY: re.compile(
            r"\d|(?<!第)[一二三四五六七八九十两][一二三四五六七八九十两百千万亿]*(?:[个次项家所座名人万亿倍条批成届轮])"
        ),
        re.compile(CODED_TERM): re.compile(r"[0-9A-Za-z]+(?:\+[0-9A-Za-z]+)+"),
    }
    numerals = max((len(run) for run in re.findall(r"[一二三四五六七八九十两百千万亿]+", text)), default=0)
    for now, then in before.items():
        if numerals <= MAX_COUNT_CHARS:
            assert now.findall(text) == then.findall(text)


_LAYOUT = st.lists(st.sampled_from([*" \t\na甲，"]), max_size=40).map("".join)
_CJK = r"\u3400-\u9fff\uf900-\ufaff，。；：？！、“”（）《》【】…—"


@settings(max_examples=300, deadline=None)
@given(_LAYOUT)
def test_layout_spaces_are_found_as_before(text: str) -> None:
    """normalize's space and TAB patterns, anchored at a run's start, match what they matched."""
    pairs = [
        (_CELL_TABS, re.compile(r"(?<=\S)[\t ]*\t[\t ]*(?=\S)")),
        (
            re.compile(r"(?<=[" + _CJK + r"])[ ]+|(?<! )[ ]+(?=[" + _CJK + r"])"),
            re.compile(r"(?<=[" + _CJK + r"])[ ]+|[ ]+(?=[" + _CJK + r"])"),
        ),
        (re.compile(r"^ +|(?<! ) +$", re.MULTILINE), re.compile(r"^ +| +$", re.MULTILINE)),
    ]
    for now, then in pairs:
        assert [m.span() for m in now.finditer(text)] == [m.span() for m in then.finditer(text)]


_CLAUSES = st.lists(st.sampled_from([*"、，。“”甲乙"]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(_CLAUSES)
def test_lists_in_a_clause_are_found_as_before(text: str) -> None:
    before = re.compile("[^，；：。！？“”]+(?:、[^，；：。！？“”]+)+")
    assert [m.span() for m in _LISTED.finditer(text)] == [m.span() for m in before.finditer(text)]

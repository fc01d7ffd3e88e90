"""Normalisation, sections and chunks on the example speech and on hand-made text."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ingest.chunking import chunk_sections, sentence_spans
from ingest.normalize import canonical_chars, normalize
from ingest.sections import find_sections
from tests.conftest import EXAMPLE_SPEECH
from vectorstore.catalog import format_section

SPEECH = EXAMPLE_SPEECH.read_text(encoding="utf-8")


def test_canonical_chars_keeps_length_and_directs_quotes() -> None:
    text = 'ABC,要做到"四个决不";１２３４(一)“马上办”1,200人 10:30'
    canonical = canonical_chars(text)
    assert len(canonical) == len(text)
    assert canonical == "ABC，要做到“四个决不”；1234（一）“马上办”1,200人 10:30"


def test_normalize_maps_every_character_back_to_the_original() -> None:
    original = (
        "一、总体要求\n这是 一段\u3000PDF 里的文字，被硬换行了而且每一行都差不多长度的一行\n"
        "文字继续写下去直到这一句话结束为止了呢。\n短行。"
    )
    normalized = normalize(original)
    assert "这是一段PDF里的文字" in normalized.text
    assert "一行文字继续" in normalized.text  # the hard wrap is joined
    assert "\n短行。" in normalized.text  # a line ending a sentence stays a paragraph
    for index, char in enumerate(normalized.text):
        assert canonical_chars(original)[normalized.offsets.to_original(index)] == char


@given(st.text(alphabet='一二三要，。,;"() \n\u3000AB1', max_size=80))
def test_offset_map_round_trips(text: str) -> None:
    normalized = normalize(text)
    canonical = canonical_chars(text)
    for index, char in enumerate(normalized.text):
        original_index = normalized.offsets.to_original(index)
        assert canonical[original_index] == char
        assert normalized.offsets.to_normalised(original_index) == index


def test_sections_of_the_example_speech() -> None:
    sections = find_sections(normalize(SPEECH).text)
    paths = [format_section(section.path) for section in sections]
    assert "（三）毫不放松抓好底线工作，确保安全稳定 › 三要全力以赴做好社会治安和信访稳定工作" in paths
    assert "四、狠抓落实，以高质量发展的实绩论英雄比高下 › （二）要提高效率抓落实" in paths
    assert "四、狠抓落实，以高质量发展的实绩论英雄比高下 › （六）要廉洁从政抓落实" in paths
    # a rank-2 heading after a rank-1 heading nests; a new rank-1 heading closes (三)'s items
    four = [p for p in paths if p.startswith("四、")]
    assert all("三要" not in p for p in four)


def test_sections_nest_by_numbering_style() -> None:
    text = "一、总体要求\n（一）目标\n1.年底前完成。\n（1）细则。\n二、保障措施\n一要加强领导。二要强化督查。"
    paths = [section.path for section in find_sections(normalize(text).text)]
    assert ("一、总体要求", "（一）目标", "1.年底前完成", "（1）细则") in paths
    assert ("二、保障措施", "一要加强领导") in paths
    assert ("二、保障措施", "二要强化督查") in paths


def test_heading_hints_from_the_file_format_are_used() -> None:
    text = "总体要求\n正文一句。\n工作措施\n正文二句。"
    hints = ((0, 4, 1), (11, 15, 1))
    paths = [section.path for section in find_sections(text, hints)]
    assert paths == [("总体要求",), ("工作措施",)]


def test_chunks_are_whole_sentences_with_exact_original_offsets() -> None:
    normalized = normalize(SPEECH)
    chunks = chunk_sections(normalized, SPEECH, find_sections(normalized.text))
    assert len(chunks) > 10
    for chunk in chunks:
        assert SPEECH[chunk.start : chunk.end] == chunk.text
        ends_line = chunk.end == len(SPEECH) or SPEECH[chunk.end] == "\n"
        assert chunk.text[-1] in '。；;！？!?"”' or ends_line
        assert len(normalized.text[chunk.norm_start : chunk.norm_end]) <= 300
    # every sentence of the speech is in some chunk
    covered = [False] * len(normalized.text)
    for chunk in chunks:
        for index in range(chunk.norm_start, chunk.norm_end):
            covered[index] = True
    for start, end in sentence_spans(normalized.text):
        if normalized.text[start:end].startswith(("四、", "（三）")):
            continue  # headings alone live in the section path
        assert all(covered[start:end]), normalized.text[start:end]


def test_chunks_never_cross_sections() -> None:
    normalized = normalize(SPEECH)
    sections = find_sections(normalized.text)
    for chunk in chunk_sections(normalized, SPEECH, sections):
        section = next(s for s in sections if s.path == chunk.section and s.start <= chunk.norm_start)
        assert chunk.norm_end <= section.end


def test_sentence_spans_keep_closing_quotes() -> None:
    text = "他说：“要快。”然后走了！好吗？"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["他说：“要快。”", "然后走了！", "好吗？"]
    assert re.sub(r"\s", "", text) == "".join(text[s:e] for s, e in sentence_spans(text))

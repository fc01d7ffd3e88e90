"""Fuzzing extraction: random documents of government sentences keep every offset inside the text.

The sentences are built from the pieces directives are made of (parties, 牵头/负责/配合, time
limits, quoted terms, numbered headings, table rows) and from what normalisation rewrites or
drops (ASCII punctuation, spaces beside hanzi, full-width letters, TABs, hard-wrapped lines), so
the map from normalised back to original offsets is exercised where it bends. Every record,
party, byline and chunk must point into the text, and every quote must be the text it points to.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.extraction import extract
from ingest.models import ExtractedText
from ingest.pipeline import MetadataOverrides, build_document, document_meta
from ingest.readers.builder import TextBuilder

PARTIES = [
    "县发改局",
    "县财政局、县审计局",
    "李新同志",
    "各乡镇（街道）",
    "分管副县长",
    "市住建局",
    "XX公司",
    "县政法委",
]
VERBS = ["牵头", "负责", "配合", "具体负责", "会同", "要", "牵头负责", "抓好", "督促"]
TASKS = ["突发事件维稳处置预案修订", "老旧小区改造", "“三通一码”建设", "“1+X”证书试点", "项目入库工作", "安全检查"]
TIMES = ["6月底前完成", "于2024年12月31日前", "每季度报告一次", "年底前", "2025.3.1前"]
PUNCTUATION = ["，", "。", "；", "：", "、", ",", ";", ":", "!", "?", "(", ")", '"', "「", "」", "…", "——"]
LAYOUT = [" ", "  ", "\u3000", "\t", "\n", "Ａ１", "１２３", "\ufeff", "\r\n"]
OPENINGS = ["", "", "一、", "（二）", "3.", "（4）", "一要", "二是", "第一章 ", "序号\t任务\t牵头单位\n1\t", "# "]

_PIECE = st.one_of(
    st.sampled_from(PARTIES),
    st.sampled_from(VERBS),
    st.sampled_from(TASKS),
    st.sampled_from(TIMES),
    st.sampled_from(PUNCTUATION),
    st.sampled_from(LAYOUT),
    st.sampled_from(["由", "对", "的", "同时", "并", "即", "指", "名词解释", "落实", "机密★1年", "2025年1月10日"]),
    st.text(max_size=3),
)
SENTENCE = st.tuples(st.sampled_from(OPENINGS), st.lists(_PIECE, max_size=14)).map(lambda p: p[0] + "".join(p[1]))


def built_extraction(text: str) -> tuple[str, str, object, object]:
    """(original, normalised, document, extraction) of ``text`` laid out as a reader lays it out."""
    builder = TextBuilder()
    builder.add(text)
    extracted: ExtractedText = builder.build()
    document = build_document("doc", "随机.txt", extracted, document_meta(extracted, "随机.txt", MetadataOverrides()))
    return extracted.text, document.normalized, document, extract(document)


def inside(start: int, end: int, text: str) -> bool:
    return 0 <= start <= end <= len(text)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(SENTENCE, min_size=1, max_size=10))
@example(["一、由县政法委牵头，负责突发事件维稳处置预案修订。"])
@example(["（一）由县住建局牵头 , 负责 老旧小区改造 。", "序号\t任务\t牵头单位\n1\t改造\t县住建局"])
@example(['由 县发改局 牵头,"三通一码"建设\t6月底前完成;'])
def test_random_sentences_keep_offsets_inside_the_text(sentences: list[str]) -> None:
    original, normalized, document, extraction = built_extraction("\n".join(sentences))
    chunk_ids = {chunk.chunk_id for chunk in document.chunks}
    for chunk in document.chunks:
        assert inside(chunk.start, chunk.end, original) and inside(chunk.norm_start, chunk.norm_end, normalized)
        assert chunk.text == original[chunk.start : chunk.end]
    for directive in extraction.directives:
        assert inside(directive.start, directive.end, original)
        assert inside(directive.norm_start, directive.norm_end, normalized)
        assert directive.quote == original[directive.start : directive.end]
        assert directive.chunk_id in chunk_ids
        for party in directive.parties:
            assert inside(party.start, party.end, original) and inside(party.norm_start, party.norm_end, normalized)
    for slogan in extraction.slogans:
        assert inside(slogan.start, slogan.end, original) and inside(slogan.norm_start, slogan.norm_end, normalized)
        assert slogan.start <= slogan.term_start <= slogan.term_end <= slogan.end
        assert slogan.quote == original[slogan.start : slogan.end]
        assert slogan.chunk_id in chunk_ids
    for byline in extraction.bylines:
        assert inside(byline.start, byline.end, original)
        assert byline.quote == original[byline.start : byline.end]

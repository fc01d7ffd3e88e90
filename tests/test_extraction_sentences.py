"""Ingest-time extraction of single sentences and short documents: parties in their roles, deadlines,
tasks carried on by the next sentences, slogans and formulas, and robustness on any text."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.chunking import sentence_spans
from ingest.conventions.assignments import assigned as parties
from ingest.conventions.assignments import find_assignments, find_deadlines
from ingest.normalize import normalize
from ingest.readers import read_bytes
from ingest.slogans import find_formulas, find_slogans
from tests.conftest import extract_read, extraction_of


# ---------------------------------------------------------------------------- tricky sentences
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (  # several units in one sentence, each in its role
            "由县发改局牵头，县财政局、县自然资源局配合，各乡镇具体负责，6月底前完成项目入库工作。",
            {("lead", "县发改局"), ("cooperate", "县财政局、县自然资源局"), ("responsible", "各乡镇")},
        ),
        ("县发改局、县财政局要在年底前完成专项债券项目申报。", {("responsible", "县发改局、县财政局")}),
        ("县财政局和县审计局要加强资金监管。", {("responsible", "县财政局和县审计局")}),
        (  # a lead named by post
            "由分管副县长牵头，县应急管理局负责，每季度开展一次安全检查。",
            {("lead", "分管副县长"), ("responsible", "县应急管理局")},
        ),
        ("由王建国同志牵头，县应急管理局要完成隐患排查。", {("lead", "王建国同志"), ("responsible", "县应急管理局")}),
        (
            "县应急管理局要牵头抓好隐患排查，县消防救援大队配合。",
            {("lead", "县应急管理局"), ("cooperate", "县消防救援大队")},
        ),
        ("县政府办公室负责牵头协调，县卫健局负责具体实施。", {("lead", "县政府办公室"), ("responsible", "县卫健局")}),
        ("由县发改局和县财政局共同牵头，抓好项目申报。", {("lead", "县发改局和县财政局")}),
        (  # the party that works together with (会同) others leads them
            "县市场监管局要会同县公安局、县人民法院加强知识产权保护。",
            {("lead", "县市场监管局"), ("cooperate", "县公安局、县人民法院")},
        ),
        (  # 会同 names the partner, not the partner's action
            "县安委办要会同县防指办组成暗查暗访组，每月通报一次。",
            {("lead", "县安委办"), ("cooperate", "县防指办")},
        ),
        ("要求各乡镇（街道）在12月20日前上报统计数据。", {("responsible", "各乡镇（街道）")}),
        (
            "由市发改委牵头，各县（市、区）政府具体负责，对重点项目实行周调度。",
            {("lead", "市发改委"), ("responsible", "各县（市、区）政府")},
        ),
        ("各单位“一把手”要以上率下，“看好自己的人，管好自己的门”。", {("responsible", "各单位“一把手”")}),
        ("领导小组办公室设在县农业农村局，负责日常工作。", {("responsible", "县农业农村局")}),
        # negations, objects, principles, time words: nothing
        ("各乡镇不得擅自出台政策。", set()),
        ("县财政局不要层层加码。", set()),
        ("不再由县财政局牵头，改由县发改局牵头，统筹推进项目建设。", {("lead", "县发改局")}),
        ("对县财政局要加强监督检查。", set()),
        ("按照“谁主管谁负责”的原则，压实各级监管责任。", set()),
        ("今年全县要完成造林5万亩。", set()),
        ("各部门工作推进情况，要纳入年度考核。", set()),
        ("县大数据中心要建设政务信息系统。", {("responsible", "县大数据中心")}),
    ],
)
def test_tricky_sentences(sentence: str, expected: set[tuple[str, str]]) -> None:
    assert parties(sentence) == expected


def test_deadlines_are_limits_not_scenes_or_slogans() -> None:
    def deadlines(sentence: str) -> list[str]:
        text = normalize(sentence).text
        found = []
        for start, end in sentence_spans(text, fine=False):
            for assignment in find_assignments(text, start, end):
                found += [value for value, _, _ in find_deadlines(text, assignment)]
        return found

    assert deadlines("年底前，县财政局要完成资金清算。") == ["年底前"]
    assert deadlines("现在已临近年底，各单位要做好收尾工作。") == []
    assert deadlines("全县政府系统要以“马上办”为根本。") == []
    assert deadlines("各级各部门要第一时间传达，做到事不过夜。") == ["第一时间", "事不过夜"]
    assert deadlines("县城投公司要将用水报装时间压缩至0.5个工作日以内。") == ["0.5个工作日以内"]
    assert deadlines("县城投公司要将用水报装时间压缩至3个工作日以内。") == ["3个工作日以内"]


def test_a_task_keeps_the_sentences_that_carry_it_on() -> None:
    extraction = extraction_of(
        "一、项目工作\n由县发改局牵头，抓好项目谋划储备。每季度更新一次项目库。同时，要做好要素保障。"
        "要牢固树立安全发展理念。\n二、其他\n各乡镇要做好秸秆禁烧。"
    )
    first, second = extraction.directives
    assert first.quote == "由县发改局牵头，抓好项目谋划储备。每季度更新一次项目库。同时，要做好要素保障。"
    assert first.deadline == "每季度"
    assert [p.name for p in second.parties] == ["各乡镇"]


def test_quotes_inside_quotes() -> None:
    text = normalize("要大力推广“‘三个一批’工作法”，做到“马上办”。他说：“这件事要‘马上办’。”").text
    terms = [mention.term for mention in find_slogans(text)]
    assert terms[:3] == ["“三个一批”工作法", "三个一批", "马上办"]
    assert parties("县发改局要推广“‘三个一批’工作法”。") == {("responsible", "县发改局")}


def test_numbered_formulas_and_their_enumerated_definitions() -> None:
    text = normalize(
        "要做到“三个确保”。一是确保按时完成；二是确保质量达标；三是确保安全生产。"
        "坚持三个导向：一是问题导向；二是目标导向；三是结果导向。"
        "抓好三个方面工作：一是抓项目；二是抓招商；三是抓服务。"
    ).text
    quoted = {m.term: m.definition for m in find_slogans(text)}
    assert quoted == {"三个确保": "一是确保按时完成；二是确保质量达标；三是确保安全生产"}
    formulas = {m.term: m.definition for m in find_formulas(text)}
    assert formulas == {"三个导向": "一是问题导向；二是目标导向；三是结果导向"}  # 三个方面 is no formula
    miscounted = normalize("“三个确保”。一是确保甲；二是确保乙；三是确保丙；四是确保丁。").text
    assert find_slogans(miscounted)[0].definition is None


def test_a_formula_quoted_once_is_found_where_it_is_written_bare() -> None:
    extraction = extraction_of("要做到“四个决不”，即决不拖、决不等、决不放、决不推。各单位要把四个决不落到实处。")
    kinds = [(s.term, s.kind) for s in extraction.slogans]
    assert kinds == [("四个决不", "quoted"), ("四个决不", "mention")]


# ------------------------------------------------------------------------------- robustness
@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["由", "县财政局", "牵头", "，", "、", "要", "不要", "“", "”", "各乡镇（街道）", "负责", "配合", "会同",
             "。", "；", "\n", "年底前", "即", "一是", "二是", "三个", "一批", "：", "李新同志", "对", "的"]
        ),
        max_size=40,
    )
)  # fmt: skip
@example(["“", "。", "由", "”"])  # a quote holding a statement's end is no term (its span would leave the statement)
def test_extraction_never_fails_and_offsets_stay_inside_the_text(pieces: list[str]) -> None:
    extracted = read_bytes(("".join(pieces) + "空").encode("utf-8"), "fuzz.txt", max_bytes=10**7)
    extraction = extract_read(extracted, "fuzz.txt")
    original = extracted.text
    for directive in extraction.directives:
        assert 0 <= directive.start <= directive.end <= len(original)
        assert original[directive.start : directive.end] == directive.quote
        assert directive.parties
    for slogan in extraction.slogans:
        assert 0 <= slogan.start <= slogan.term_start < slogan.term_end <= slogan.end <= len(original)

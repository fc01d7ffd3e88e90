"""Ingest-time extraction: every assignment and slogan of the example speech (against the list in
tests/data/example_assignments.json, written by reading the speech), tricky sentences, and
责任分工 tables in .docx and .html read through the real readers."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.reporting.extraction_eval import extract_file, load_expected, score
from ingest.chunking import sentence_spans
from ingest.conventions.assignments import find_assignments, find_deadlines
from ingest.extraction import Extraction, extract
from ingest.normalize import canonical_chars, normalize
from ingest.pipeline import MetadataOverrides, build_document, document_meta
from ingest.readers import read_bytes
from ingest.slogans import find_formulas, find_slogans
from tests.conftest import EXAMPLE_SPEECH, REPO, SEED_QA

EXPECTED_PATH = REPO / "tests" / "data" / "example_assignments.json"
EXPECTED = load_expected(EXPECTED_PATH)


@pytest.fixture(scope="module")
def speech() -> tuple[str, Extraction]:
    return extract_file(EXAMPLE_SPEECH)


def parties(text: str) -> set[tuple[str, str]]:
    """(role, party) pairs of every assignment in a text."""
    normalised = normalize(text).text
    return {
        (party.role, party.name)
        for start, end in sentence_spans(normalised, fine=False)
        for assignment in find_assignments(normalised, start, end)
        for party in assignment.parties
    }


def extraction_of(text: str, name: str = "test.txt") -> Extraction:
    """The ledger records of a document, built as ingest builds it."""
    extracted = read_bytes(text.encode("utf-8"), name, max_bytes=10**7)
    return _extract(extracted, name)


def _extract(extracted, name: str) -> Extraction:
    meta = document_meta(extracted, name, MetadataOverrides())
    return extract(build_document("doc", name, extracted, meta))


# ------------------------------------------------------------------------- the example speech
def test_every_assignment_of_the_example_speech_with_the_right_parties(speech) -> None:
    text, extraction = speech
    result = score(text, extraction, EXPECTED)
    assert result.problems == []
    for role in ("lead", "responsible"):
        tally = result.roles[role]
        assert tally.false_positive == 0 and tally.false_negative == 0, role
    assert result.assignments.precision == 1.0 and result.assignments.recall == 1.0
    assert result.deadlines.precision == 1.0 and result.deadlines.recall == 1.0
    assert result.traps_hit == []
    assert len(extraction.directives) == len(EXPECTED["assignments"])


def test_the_expected_list_covers_every_lead_question_of_the_seed_set() -> None:
    speech = normalize(EXAMPLE_SPEECH.read_text(encoding="utf-8")).text
    items = [json.loads(line) for line in SEED_QA.read_text(encoding="utf-8").splitlines() if line.strip()]
    leads = [item for item in items if item["type"] == "lead"]
    assert len(leads) >= 10
    for item in leads:
        evidence = canonical_chars(item["evidence"])
        position = speech.find(evidence)
        assert position >= 0, item["id"]
        covering = [
            expected
            for expected in EXPECTED["assignments"]
            if abs(speech.find(expected["evidence"]) - position) < 60
            or evidence in expected["evidence"]
            or expected["evidence"] in evidence
        ]
        names = [name for expected in covering for role in ("lead", "responsible") for name in expected.get(role, ())]
        assert any(all(canonical_chars(n) in name for n in item["must_contain"]) for name in names), item["id"]


def test_named_assignments_of_the_speech(speech) -> None:
    text, extraction = speech

    def roles_at(evidence: str) -> dict[str, tuple[str, ...]]:
        position = text.find(evidence)
        for directive in extraction.directives:
            if directive.norm_start <= position < directive.norm_end:
                return {
                    role: tuple(p.name for p in directive.parties if p.role == role)
                    for role in ("lead", "responsible", "cooperate")
                }
        raise AssertionError(f"no directive at {evidence}")

    assert roles_at("由李新同志牵头") == {"lead": ("李新同志",), "responsible": ("县公安部门",), "cooperate": ()}
    assert roles_at("由县信访联席办牵头") == {
        "lead": ("县信访联席办",),
        "responsible": ("各乡镇（办事处）、各单位",),
        "cooperate": (),
    }
    assert roles_at("由各位副县长牵头")["lead"] == ("各位副县长",)
    assert roles_at("各位副县长要带头履行")["responsible"] == ("各位副县长",)
    assert roles_at("县督查局要真正拿起")["responsible"] == ("县督查局",)
    assert roles_at("各乡镇（街道）要抓住农民工返乡")["responsible"] == ("各乡镇（街道）",)


def test_tasks_read_as_tasks_and_quotes_are_verbatim(speech) -> None:
    _, extraction = speech
    original = EXAMPLE_SPEECH.read_text(encoding="utf-8")
    by_lead = {d.parties[0].name: d for d in extraction.directives}
    police = by_lead["李新同志"]
    assert police.task.startswith("加强社会治安防控体系建设，依法打击各类违法犯罪活动")
    assert police.quote.startswith("由李新同志牵头,县公安部门要加强社会治安防控体系建设")
    assert police.section[-1] == "三要全力以赴做好社会治安和信访稳定工作"
    for directive in extraction.directives:
        assert original[directive.start : directive.end] == directive.quote
        for party in directive.parties:
            assert canonical_chars(original[party.start : party.end]) == party.name
    transmit = next(d for d in extraction.directives if d.deadline == "第一时间；事不过夜")
    assert transmit.task.startswith("凡是上级印发的文件、召开的会议精神和领导安排的事项，第一时间运转")


def test_every_quoted_slogan_of_the_speech_and_the_definitions_it_gives(speech) -> None:
    _, extraction = speech
    terms = {slogan.term for slogan in extraction.slogans}
    assert terms == {item["term"] for item in EXPECTED["slogans"]}
    assert not terms & set(EXPECTED["not_slogans"])
    defined = {slogan.term: slogan.definition for slogan in extraction.slogans if slogan.definition}
    assert set(defined) == {"四个决不"}
    assert defined["四个决不"] == (
        "该办的事坚决办，决不拖；能办的事马上办，决不等；难办的事想法办，决不放；合力办的事配合主动办，决不推"
    )
    one_hand = [slogan for slogan in extraction.slogans if slogan.term == "一把手"]
    assert len(one_hand) == 3
    original = EXAMPLE_SPEECH.read_text(encoding="utf-8")
    for slogan in extraction.slogans:
        assert canonical_chars(original[slogan.term_start : slogan.term_end]) == f"“{slogan.term}”"
        assert slogan.start <= slogan.term_start < slogan.term_end <= slogan.end


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
        (
            "县市场监管局要会同县公安局、县人民法院加强知识产权保护。",
            {("responsible", "县市场监管局"), ("cooperate", "县公安局、县人民法院")},
        ),
        (  # 会同 names the partner, not the partner's action
            "县安委办要会同县防指办组成暗查暗访组，每月通报一次。",
            {("responsible", "县安委办"), ("cooperate", "县防指办")},
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


# ---------------------------------------------------------------------- 责任分工 tables
TABLE_HEADER = ["序号", "重点任务", "牵头单位", "责任单位", "配合单位", "完成时限"]
TABLE_ROWS = [
    ["1", "完善社会治安防控体系", "县公安局", "各乡镇（街道）", "县财政局、县司法局", "2025年6月底前"],
    ["2", "推进专项债券项目申报", "县发改局", "县财政局", "", "每季度"],
    ["3", "开展安全生产大检查", "县应急管理局", "各乡镇（街道）、县直有关部门", "县消防救援大队", "年底前"],
]
EXPECTED_ROWS = [
    ("完善社会治安防控体系", ("县公安局",), ("各乡镇（街道）",), ("县财政局、县司法局",), "2025年6月底前"),
    ("推进专项债券项目申报", ("县发改局",), ("县财政局",), (), "每季度"),
    ("开展安全生产大检查", ("县应急管理局",), ("各乡镇（街道）、县直有关部门",), ("县消防救援大队",), "年底前"),
]


def fengong_docx() -> bytes:
    document = docx.Document()
    document.add_heading("关于印发2025年重点工作责任分工的通知", level=1)
    document.add_paragraph("各乡镇（街道），县直各单位：现将重点工作责任分工印发给你们，请认真抓好落实。")
    document.add_heading("一、责任分工", level=2)
    table = document.add_table(rows=1, cols=len(TABLE_HEADER))
    for cell, value in zip(table.rows[0].cells, TABLE_HEADER, strict=True):
        cell.text = value
    for row in TABLE_ROWS:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    document.add_heading("二、工作要求", level=2)
    document.add_paragraph("各牵头单位要于每季度末将进展情况报县督查局。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


FENGONG_HTML = """<html><head><meta charset="utf-8"><title>2025年民生实事责任分工</title></head><body>
<h1>2025年民生实事责任分工</h1>
<table>
<tr><th>序号</th><th>工作任务</th><th>牵头单位</th><th>责任单位</th><th>配合单位</th><th>完成时限</th></tr>
<tr><td>1</td><td>新建城区停车位500个</td><td rowspan="2">县住建局</td><td>城关镇</td><td>县交警大队</td>
<td>2025年10月底前</td></tr>
<tr><td>2</td><td>改造老旧小区12个</td><td>各相关社区</td><td>县财政局</td><td>年底前</td></tr>
<tr><td>3</td><td>实施农村饮水安全巩固提升工程</td><td>县水利局</td><td>各乡镇</td><td>县卫健局</td><td>限期完成</td></tr>
</table>
<p>由县民政局牵头，县财政局配合，年内完成养老服务设施建设。</p>
</body></html>"""


def rows_of(extraction: Extraction) -> list[tuple]:
    def names(directive, role: str) -> tuple[str, ...]:
        return tuple(p.name for p in directive.parties if p.role == role)

    return [
        (d.task, names(d, "lead"), names(d, "responsible"), names(d, "cooperate"), d.deadline)
        for d in extraction.directives
        if d.origin == "table"
    ]


def test_responsibility_table_in_docx() -> None:
    extracted = read_bytes(fengong_docx(), "分工.docx", max_bytes=10**7)
    extraction = _extract(extracted, "分工.docx")
    assert rows_of(extraction) == EXPECTED_ROWS
    table = [d for d in extraction.directives if d.origin == "table"]
    assert all(d.section == ("一、责任分工",) for d in table)
    assert all(d.quote.startswith(f"序号：{n}；") for n, d in enumerate(table, start=1))
    requirement = [d for d in extraction.directives if d.origin == "sentence"]
    assert [(p.role, p.name) for d in requirement for p in d.parties] == [("responsible", "各牵头单位")]


def test_responsibility_table_in_html_with_a_merged_lead_cell() -> None:
    extracted = read_bytes(FENGONG_HTML.encode("utf-8"), "实事.html", max_bytes=10**7)
    extraction = _extract(extracted, "实事.html")
    assert rows_of(extraction) == [
        ("新建城区停车位500个", ("县住建局",), ("城关镇",), ("县交警大队",), "2025年10月底前"),
        ("改造老旧小区12个", ("县住建局",), ("各相关社区",), ("县财政局",), "年底前"),
        ("实施农村饮水安全巩固提升工程", ("县水利局",), ("各乡镇",), ("县卫健局",), "限期完成"),
    ]
    sentence = [d for d in extraction.directives if d.origin == "sentence"]
    assert [(p.role, p.name) for p in sentence[0].parties] == [("lead", "县民政局"), ("cooperate", "县财政局")]
    assert sentence[0].deadline == "年内"


def test_a_table_row_without_a_time_column_has_no_deadline() -> None:
    extraction = extraction_of("指标：企业开办时间；目标值：0.5个工作日以内；责任单位：县市场监管局。\n")
    (directive,) = extraction.directives
    assert directive.deadline is None and directive.task == "企业开办时间；0.5个工作日以内"


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
def test_extraction_never_fails_and_offsets_stay_inside_the_text(pieces: list[str]) -> None:
    extracted = read_bytes(("".join(pieces) + "空").encode("utf-8"), "fuzz.txt", max_bytes=10**7)
    extraction = _extract(extracted, "fuzz.txt")
    original = extracted.text
    for directive in extraction.directives:
        assert 0 <= directive.start <= directive.end <= len(original)
        assert original[directive.start : directive.end] == directive.quote
        assert directive.parties
    for slogan in extraction.slogans:
        assert 0 <= slogan.start <= slogan.term_start < slogan.term_end <= slogan.end <= len(original)


def test_expected_list_paths() -> None:
    assert (REPO / EXPECTED["document"]).resolve() == Path(EXAMPLE_SPEECH).resolve()


def fengong_pdf() -> bytes:
    """A PDF with a 责任分工 table: pypdf gives one line per cell, and drops empty cells."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    table = Table([TABLE_HEADER, *TABLE_ROWS])
    style = [("FONTNAME", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.5, "black")]
    table.setStyle(TableStyle(style))
    title = Paragraph("重点工作责任分工", ParagraphStyle("title", fontName="STSong-Light", fontSize=12))
    SimpleDocTemplate(buffer, pagesize=landscape(A4)).build([title, table])
    return buffer.getvalue()


def test_responsibility_table_in_pdf_rows_read_with_certainty_only() -> None:
    extracted = read_bytes(fengong_pdf(), "分工.pdf", max_bytes=10**7)
    extraction = _extract(extracted, "分工.pdf")
    # Row 2 has an empty 配合单位 cell that the text layer drops: its cells cannot be placed, so
    # it is left out rather than guessed.
    assert rows_of(extraction) == [EXPECTED_ROWS[0], EXPECTED_ROWS[2]]
    for directive in extraction.directives:
        assert extracted.text[directive.start : directive.end] == directive.quote


def test_a_table_written_as_lines_of_cells() -> None:
    extraction = extraction_of(
        "重点工作责任分工表\n序号 重点任务 牵头单位 责任单位 完成时限\n"
        "1 完善社会治安防控体系 县公安局 各乡镇（街道） 2025年6月底前\n2 推进项目申报 县发改局 县财政局 每季度\n"
        "3 加强宣传 县委宣传部 各单位 立即落实到位并持续开展\n以上任务请认真落实。\n"
    )
    assert rows_of(extraction) == [
        ("完善社会治安防控体系", ("县公安局",), ("各乡镇（街道）",), (), "2025年6月底前"),
        ("推进项目申报", ("县发改局",), ("县财政局",), (), "每季度"),
        ("加强宣传", ("县委宣传部",), ("各单位",), (), "立即落实到位并持续开展"),
    ]
    misaligned = extraction_of("序号 重点任务 牵头单位 责任单位\n1 完善社会治安防控体系 抓紧 各乡镇\n")
    assert rows_of(misaligned) == []  # 「抓紧」 is no unit: the columns do not line up

"""Definitions written in other shapes than 「“term”，即…」: aliases in brackets, stated definitions,
glossary entries with words after the term, notes a body mark points at, items listed before a
formula or explained one by one, and the items of a formula the text never names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.engine import Engine
from bot.settings import Settings
from ingest.glosses import find_named, read_terms
from ingest.normalize import normalize
from tests.conftest import ingest_texts
from vectorstore.embeddings import EmbeddingModel


def defined(text: str) -> dict[str, str]:
    """Every term of ``text`` with the definition the readers give it."""
    normalised = normalize(text).text
    return {mention.term: mention.definition for mention in read_terms(normalised) if mention.definition}


# (text, term, definition)
SHAPES = [
    # An alias in brackets names the words before it; a quoted span right before them is what it names.
    (
        "自今年起，在技工院校推行“毕业证书+若干专项能力证书”制度试点（以下称1+N证书制度试点）。",
        "1+N证书制度试点",
        "“毕业证书+若干专项能力证书”制度试点",
    ),
    ("各县要建立权力清单和责任清单（统称“两单”），按月更新。", "两单", "权力清单和责任清单"),
    ("加快建设城乡一体的供水管网（简称“一张网”）。", "一张网", "城乡一体的供水管网"),
    ("引导乡镇成立农业社会化服务中心（以下简称服务中心）。", "服务中心", "农业社会化服务中心"),
    # Stated definitions, quoted or not.
    ("“一窗通办”：群众办事只进一个窗口。", "一窗通办", "群众办事只进一个窗口"),
    ("本办法所称帮扶对象，是指纳入防返贫监测范围的农户。", "帮扶对象", "纳入防返贫监测范围的农户"),
    ("小微经营户是指从业人员不足十人的个体经营者。", "小微经营户", "从业人员不足十人的个体经营者"),
    # A glossary entry: words after the quoted term, before the colon.
    (
        "名词解释\n3.“三级两类”养老服务网络：“三级”为县、乡、村，“两类”指居家养老和机构养老。",
        "三级两类",
        "“三级”为县、乡、村，“两类”指居家养老和机构养老",
    ),
    # An entry of a notes section without quotes, its definition over two lines.
    (
        "名词注释\n4.数字乡村平台：\n汇聚涉农数据的统一平台。\n覆盖县乡村三级。",
        "数字乡村平台",
        "汇聚涉农数据的统一平台。\n覆盖县乡村三级",
    ),
    # Items listed right before the formula that counts them.
    (
        "紧扣全省的创新高地、全国的开放门户、区域的服务中心“一高两门”新定位，加快发展。",
        "一高两门",
        "全省的创新高地、全国的开放门户、区域的服务中心",
    ),
    # A listing term whose items the next words explain one by one.
    (
        "市委赋予我们“抓在关键处，干在最前头”的新要求，其中“抓在关键处”是方法，“干在最前头”是目标。",
        "抓在关键处，干在最前头",
        "“抓在关键处”是方法，“干在最前头”是目标",
    ),
    # Items in brackets right after the term.
    (
        "全面推行“五权”运行（录用权、设岗权、聘用权、评聘权、考核权）。",
        "五权",
        "录用权、设岗权、聘用权、评聘权、考核权",
    ),
]


@pytest.mark.parametrize(("text", "term", "definition"), SHAPES, ids=[case[1] for case in SHAPES])
def test_a_shape_defines_its_term(text: str, term: str, definition: str) -> None:
    assert defined(text).get(term) == definition


# Body marks and the notes they point at: 【n】, [n], ①, 注n.
NOTED = (
    "一、重点工作\n"
    "深入实施“强村富民”【1】工程，推进“共富工坊”[2]建设，开展“两进两回”①行动，落实“三个优先”注1。\n"
    "二、保障措施\n"
    "1.加强组织领导：各县要成立工作专班。\n"
    "注释\n"
    "【1】指发展壮大村级集体经济、促进农民持续增收。\n"
    "[2]“共富工坊”：\n"
    "指企业把生产线建到村里，\n"
    "带动农民就近就业。\n"
    "①科技进乡村、资金进乡村，青年回农村、乡贤回农村。\n"
    "注1：干部配备优先、要素保障优先、公共服务优先。\n"
)


def test_a_body_mark_leads_to_its_note() -> None:
    notes = defined(NOTED)
    assert notes["强村富民"] == "指发展壮大村级集体经济、促进农民持续增收"
    assert notes["共富工坊"] == "指企业把生产线建到村里，\n带动农民就近就业"
    assert notes["两进两回"] == "科技进乡村、资金进乡村，青年回农村、乡贤回农村"
    assert notes["三个优先"] == "干部配备优先、要素保障优先、公共服务优先"
    assert "加强组织领导" not in notes  # a numbered heading of the body is no glossary entry


def test_what_is_not_a_definition() -> None:
    text = "对进口鲜活产品，实行“先放行、后核查”（市场监管局、海关负责）。推进“三改一拆”【5】。"
    assert defined(text) == {}  # a bracket of units that are to act; a mark without a note
    assert defined("推动工业县、生态县“一县一业”全覆盖。") == {}  # 一县一业 names one for each, not two things
    # terms joined before a bracket do not share its items
    assert defined("深化“放管服”、“三权”分置（所有权、承包权、经营权）改革。") == {"三权": "所有权、承包权、经营权"}
    # a note that names another term is not the note of the term the mark follows
    assert defined("推进“三改一拆”【5】。\n注释\n【5】“五水共治”：治污水、防洪水。") == {"五水共治": "治污水、防洪水"}


def test_a_term_named_bare_and_a_formula_never_named() -> None:
    text = normalize("围绕全年确定的八大方面工作（六项重点工作+民生实事+作风建设），逐项推进。").text
    assert [m.definition for m in find_named(text, 0, len(text), "八大方面工作")] == ["六项重点工作+民生实事+作风建设"]
    text = normalize("下一步，要着力补齐人才短板、资金短板和技术短板，推动产业升级。").text
    listed = find_named(text, 0, len(text), "三大短板")
    assert [m.definition for m in listed] == ["人才短板、资金短板和技术短板"]
    assert find_named(text, 0, len(text), "四大短板") == []


REPORT = (
    "2026年某市政府工作报告\n"
    "一、2026年工作安排\n"
    "自今年起，在技工院校推行“毕业证书+若干专项能力证书”制度试点（以下称1+N证书制度试点），扩大试点范围。\n"
    "着力补齐人才短板、资金短板和技术短板，加快产业转型。\n"
    "深入实施“强村富民”【1】工程，带动村集体增收。\n"
    "全力打造“三级两类”养老服务网络。\n"
    "持续深化“放管服”改革，优化营商环境。\n"
    "推动“五个一”工作机制落地见效。\n"
    "在全省率先推出“1+3”帮扶机制，覆盖所有乡镇。\n"
    "名词解释\n"
    "【1】指发展壮大村级集体经济、促进农民持续增收。\n"
    "2.“三级两类”养老服务网络：“三级”为县、乡、村，“两类”指居家养老和机构养老。\n"
)


@pytest.fixture(scope="module")
def report(embedding_model: EmbeddingModel, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    folder = tmp_path_factory.mktemp("report")
    engine = ingest_texts(Engine.open(Settings(data_dir=folder / "data"), embedding_model), folder, REPORT)
    yield engine
    engine.close()


@pytest.mark.parametrize(
    ("question", "needle", "quoted"),
    [
        ("报告里的1+N证书，1和N分别指什么？", "毕业证书+若干专项能力证书", "以下称1+N证书制度试点"),
        ("“强村富民”工程指什么？", "发展壮大村级集体经济", "【1】指发展壮大村级集体经济"),
        ("“三级两类”养老服务网络分别指啥？", "居家养老和机构养老", "“三级”为县、乡、村"),
        ("三大短板指的是什么？", "人才短板、资金短板和技术短板", "人才短板、资金短板和技术短板"),
        # No definition is written: the statement that uses the term answers, labelled as the source.
        ("“放管服”改革指什么？", "原文：持续深化“放管服”改革", "持续深化“放管服”改革"),
    ],
)
def test_a_question_reaches_the_definition_and_cites_it(
    report: Engine, question: str, needle: str, quoted: str
) -> None:
    answer = report.answer(question)
    assert answer.found, answer.answer
    assert needle in answer.answer
    assert any(quoted in citation.quote for citation in answer.citations)


def test_a_term_the_documents_do_not_name_or_define_is_refused(report: Engine) -> None:
    assert not report.answer("“双减”政策指什么？").found
    # a numbered formula's meaning is its items: the statement that only uses it does not answer
    assert not report.answer("“五个一”工作机制具体指什么？").found
    # nor is a coded one's (「1+3」): what the 1 and the 3 stand for is not written
    assert not report.answer("“1+3”帮扶机制里的3具体指什么？").found

"""Abbreviations: a cadre's short form finds the name the documents spell out, in coverage and in
retrieval; look-alikes that are not abbreviations do not."""

from __future__ import annotations

import pytest

from bot.questions import analyse
from ingest.language.abbreviations import expand, expansions

# (term, span, the text after it, expansion or None)
CASES = [
    ("综保区", "综合保税区", "内", "综合保税区"),  # 区 closes 保税区
    ("民企", "民营企", "业参与", "民营企业"),  # runs on to the end of 企业
    ("人社", "人力资源社", "会保障局", "人力资源社会"),
    ("住建", "住房城乡建", "设局", "住房城乡建设"),
    ("发改委", "发展改革委", "", "发展改革委"),
    ("家医", "家庭医", "生签约", "家庭医生"),
    ("职教", "职业教", "育", "职业教育"),
    ("先入", "先纳入", "", None),  # 先 opens no word of 优先纳入
    ("民企", "民众的企", "业", None),  # 的 closes no word
    ("产品", "产业精品", "", None),  # 精 closes no word
    ("发改", "发展和改", "革", None),  # 和 between the words: longer than the bound allows
    ("高企", "高新技术企", "业", "高新技术企业"),
    ("教育", "教育", "", None),  # the term itself
    ("上游", "上下游", "", None),  # a two-character term is never one word
    ("精度", "精准度", "", None),
    ("第七", "第十七", "届", None),  # a count is no abbreviation
]


@pytest.mark.parametrize(("term", "span", "after", "expected"), CASES, ids=[case[0] + case[1] for case in CASES])
def test_expand(term: str, span: str, after: str, expected: str | None) -> None:
    assert expand(term, span, after) == expected


CORPUS = (
    "支持综合保税区内企业开展保税研发。综合保税区内企业可以开展检测维修业务。"
    "鼓励民营企业参与消费帮扶，引导民营企业开展结对帮扶。民企座谈会每年召开一次。"
    "县人力资源社会保障局牵头，县财政局配合。县人力资源社会保障局要做好就业服务。"
    "优先纳入重点项目库。先入后审。"
)


def test_expansions_are_read_from_the_documents() -> None:
    assert expansions("综保区", CORPUS) == ("综合保税区",)
    assert expansions("民企", CORPUS) == ("民营企业",)  # 2 uses spelled out against 1 as it is
    assert expansions("人社", CORPUS) == ("人力资源社会",)
    assert expansions("先入", CORPUS) == ()
    assert expansions("家医", CORPUS) == ()  # no name in the documents
    assert expansions("民企", CORPUS + "民企民企") == ()  # the documents use the term as it is


DOCUMENT = """关于推进综合保税区高质量发展的实施方案
一、支持综合保税区内企业开展保税研发，对研发料件实行保税监管。（县商务局负责）
二、鼓励民营企业参与综合保税区建设，民营企业入区项目优先保障用地。（县发展改革局牵头，县自然资源局配合）
三、推进职业教育与园区产业融合，支持职业院校在园区设立实训基地。（县教育局负责）
四、综合保税区内企业的环评审批实行告知承诺制。（市生态环境局县分局负责）
"""


def test_a_question_in_abbreviations_is_answered_from_the_spelled_out_names(engine_with) -> None:
    engine = engine_with(DOCUMENT)
    question = analyse("民企参与综保区建设谁牵头？")
    forms = engine.forms(question)
    assert "综合保税区" in forms["综保区"] and "民营企业" in forms["民企"]
    assert "综合保税区" in engine.search_text(question) and "民营企业" in engine.search_text(question)
    reading = engine.read(question)
    assert reading.coverage("鼓励民营企业参与综合保税区建设") == 1.0
    answer = engine.answer("民企参与综保区建设谁牵头？")
    assert answer.found and "县发展改革局" in answer.answer


def test_expansions_follow_the_documents_in_the_store(engine_with) -> None:
    engine = engine_with(DOCUMENT)
    assert engine.store.expansions("综保区") == ("综合保税区",)
    engine.remove(engine.documents()[0].doc_id)
    assert engine.store.expansions("综保区") == ()


def test_a_word_inside_another_term_is_no_abbreviation(engine_with) -> None:
    """jieba's search mode gives 管委 beside 管委会: the cadre wrote 管委会, and only it is expanded."""
    engine = engine_with("一、园区管理委员会负责招商引资。\n二、园区管理委员会要做好企业服务。")
    assert engine.store.expansions("管委") == ("管理委员",)
    forms = engine.forms(analyse("高新区管委会谁牵头？"))
    assert forms["管委"] == ("管委",) and forms["管委会"] == ("管委会", "管理委员会")

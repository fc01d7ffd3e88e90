"""When a statement speaks of, and questions that name a year or ask for a result or a plan."""

from __future__ import annotations

from bot.passages import DocumentView
from bot.timescope import TimeScope, time_scope
from ingest.normalize import normalize

SPEECH_2024 = """在县政府第一次全体会议上的讲话
（2024年2月20日）
一、正视成绩
过去的一年，全县生产总值完成186.4亿元，增长6.1%。
二、突出重点
（一）抓民生。县人社局要抓好重点群体就业，全年新增城镇就业5200人。
"""

REPORT_2025 = """青山县政府工作报告
（2025年1月10日）
一、2024年工作回顾
民生保障更加有力，新增城镇就业5360人。
二、2025年主要目标
今年的主要预期目标是：新增城镇就业5500人，城镇调查失业率控制在5.5%以内。
"""

YEAR_END_SPEECH = """在全县经济工作会议上的讲话
（2024年12月26日）
一、抓项目
全县要新建标准厂房12万平方米。
"""


def _view(text: str, date: str, title: str = "讲话") -> DocumentView:
    normalized = normalize(text)
    return DocumentView("doc", title, text, normalized.text, normalized.offsets, date)


def _scope_of(document: DocumentView, phrase: str) -> TimeScope:
    start = document.text.index(phrase)
    return time_scope(document, start, start + len(phrase))


def test_a_statement_own_year_decides_and_relative_years_count_from_the_document_date() -> None:
    document = _view(REPORT_2025, "2025-01-10")
    assert _scope_of(document, "今年的主要预期目标").years == {2025}
    assert _scope_of(document, "今年的主要预期目标").reports_result is False  # 预期: a plan


def test_a_review_heading_makes_a_statement_a_result_of_that_year() -> None:
    scope = _scope_of(_view(REPORT_2025, "2025-01-10"), "新增城镇就业5360人")
    assert scope == TimeScope(frozenset({2024}), stated=True, reports_result=True)


def test_the_paragraph_before_a_statement_frames_it() -> None:
    scope = _scope_of(_view(SPEECH_2024, "2024-02-20"), "全县生产总值完成186.4亿元")
    assert scope.years == {2023} and scope.stated
    assert scope.reports_result is True  # a year before the speech: a result


def test_without_words_of_time_the_document_date_is_a_weak_hint() -> None:
    spring = _scope_of(_view(SPEECH_2024, "2024-02-20"), "全年新增城镇就业5200人")
    assert spring == TimeScope(frozenset({2024}), stated=False, reports_result=False)
    year_end = _scope_of(_view(YEAR_END_SPEECH, "2024-12-26"), "新建标准厂房")
    assert year_end.years == {2024, 2025} and not year_end.stated


def test_a_year_in_the_title_frames_an_undated_plan() -> None:
    plan = _view("一、目标\n各乡镇要完成改厕1000户。\n", "", title="青山县2025年农村改厕实施方案")
    assert _scope_of(plan, "完成改厕1000户").years == {2025}


def test_comparisons_with_last_year_name_no_year() -> None:
    report = _view("二、目标\n地区生产总值比上年增长6%。\n", "2025-01-10")
    assert not _scope_of(report, "地区生产总值").stated


def test_a_named_year_picks_that_year_and_plan_or_result(engine_with) -> None:
    engine = engine_with(SPEECH_2024, REPORT_2025)
    assert "5200" in engine.answer("2024年新增城镇就业的目标是多少人？").answer
    assert "5360" in engine.answer("2024年新增城镇就业实际完成了多少人？").answer
    assert "5500" in engine.answer("2025年新增城镇就业目标是多少？").answer


def test_a_year_no_document_speaks_of_is_not_found(engine_with) -> None:
    engine = engine_with(SPEECH_2024, REPORT_2025)
    answer = engine.answer("2026年新增城镇就业目标是多少？")
    assert not answer.found, answer.answer


CITY_SPEECH = """在临江市政府全体会议上的讲话
（2025年7月15日）
一、上半年经济运行情况
上半年，全市固定资产投资完成412亿元，同比增长4.2%。
"""

COUNTY_REPORT = """石门县政府工作报告
（2025年1月8日）
一、2025年主要目标
今年的主要预期目标是：固定资产投资增长8%。
"""


def test_a_result_does_not_answer_a_plan_and_a_county_does_not_answer_for_the_city(engine_with) -> None:
    engine = engine_with(CITY_SPEECH, COUNTY_REPORT)
    assert "8%" in engine.answer("石门县固定资产投资增长目标是多少？").answer
    assert "4.2%" in engine.answer("临江市上半年固定资产投资实际增长多少？").answer
    answer = engine.answer("临江市固定资产投资增长的预期目标是多少？")
    assert not answer.found, answer.answer

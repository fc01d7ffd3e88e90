"""The answerer on every seed question, through the real store and the packaged model."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.reporting.qa_eval import load_items
from ingest.normalize import canonical_chars
from tests.conftest import EXAMPLE_SPEECH, SEED_QA

ITEMS = load_items(SEED_QA)
SPEECH = EXAMPLE_SPEECH.read_text(encoding="utf-8")


@pytest.mark.parametrize("item", [i for i in ITEMS if i.answerable], ids=lambda item: item.id)
def test_answerable_seed_question(example_engine: Engine, item) -> None:
    answer = example_engine.answer(item.question)
    assert answer.found, answer.answer
    for needle in item.must_contain:
        assert canonical_chars(needle) in canonical_chars(answer.answer), answer.answer
    assert answer.citations
    evidence = canonical_chars(item.evidence)
    assert any(
        evidence in canonical_chars(c.quote) or canonical_chars(c.quote) in evidence for c in answer.citations
    ), [c.quote for c in answer.citations]
    for citation in answer.citations:
        assert SPEECH[citation.start : citation.end].strip() == citation.quote  # verbatim, with offsets
        assert citation.title == "县长在县政府全体(扩大)会议上的讲话(第2/2页)"
        assert citation.section  # every quote sits in a section of this speech


@pytest.mark.parametrize("item", [i for i in ITEMS if not i.answerable], ids=lambda item: item.id)
def test_unanswerable_seed_question_is_refused(example_engine: Engine, item) -> None:
    answer = example_engine.answer(item.question)
    assert not answer.found
    assert not answer.citations
    assert answer.answer.startswith("未在已收录的文件中找到")


def test_lead_answer_names_the_lead_and_the_responsible(example_engine: Engine) -> None:
    answer = example_engine.answer("谁牵头加强社会治安防控体系建设？")
    assert answer.kind == "lead"
    assert answer.answer.startswith("由李新同志牵头")
    assert "县公安部门" in answer.answer
    assert answer.entity == "李新同志"


def test_follow_up_question_uses_the_previous_answer(example_engine: Engine) -> None:
    first = example_engine.answer("谁牵头加强社会治安防控体系建设？")
    follow_up = example_engine.answer("那他还负责什么？", previous=first)
    assert follow_up.found and follow_up.answer.startswith("李新同志承担的任务")
    assert any("社会治安防控体系" in citation.quote for citation in follow_up.citations)


def test_json_shape_has_exactly_the_public_keys(example_engine: Engine) -> None:
    data = example_engine.answer("“四个决不”指什么？").to_json_dict()
    assert set(data) == {"question", "answer", "found", "kind", "citations"}
    assert data["kind"] == "slogan" and data["found"] is True
    assert set(data["citations"][0]) == {"doc_id", "title", "section", "quote", "start", "end"}


def test_source_text_shows_the_surrounding_paragraph(example_engine: Engine) -> None:
    citation = example_engine.answer("谁牵头加强社会治安防控体系建设？").citations[0]
    surrounding = example_engine.source_text(citation)
    assert citation.quote in surrounding
    assert len(surrounding) > len(citation.quote)


def test_empty_store_says_nothing_is_ingested(make_engine) -> None:
    answer = make_engine().answer("谁牵头社会治安工作？")
    assert not answer.found and "还没有收录任何文件" in answer.answer


def test_same_task_in_two_speeches_answers_newest_first(make_engine, tmp_path) -> None:
    engine: Engine = make_engine()
    earlier = tmp_path / "earlier.txt"
    earlier.write_text(
        "在县政府第一次全体会议上的讲话\n（2024年2月20日）\n一、抓项目\n"
        "三要抓好招商引资。由刘海峰同志牵头，县投资促进中心具体负责，全年新签约亿元以上项目不少于30个。",
        encoding="utf-8",
    )
    later = tmp_path / "later.txt"
    later.write_text(
        "在全县经济工作会议上的讲话\n（2024年12月26日）\n一、明年重点\n"
        "二要抓招商。招商引资工作由张立军同志牵头，县投资促进中心具体负责，全年新签约亿元以上项目32个以上。",
        encoding="utf-8",
    )
    engine.ingest_file(later)
    engine.ingest_file(earlier)  # ingest order must not matter: the document dates decide
    answer = engine.answer("招商引资现在谁牵头？")
    assert answer.answer.startswith("由张立军同志牵头")
    assert "此前《在县政府第一次全体会议上的讲话》（2024-02-20）：由刘海峰同志牵头" in answer.answer
    assert [c.title for c in answer.citations] == ["在全县经济工作会议上的讲话", "在县政府第一次全体会议上的讲话"]


def test_tasks_of_a_unit_come_from_the_ledger_with_sources(example_engine: Engine) -> None:
    answer = example_engine.answer("县督查局有哪些任务？")
    assert answer.found and answer.answer.startswith("县督查局承担的任务（共1项）")
    assert "督查" in answer.citations[0].quote
    assert example_engine.stats()["directives"] > 10


def test_deadline_questions_read_the_ledger_first(example_engine: Engine) -> None:
    answer = example_engine.answer("上级文件和会议精神要多快传达交办？")
    assert answer.kind == "deadline"
    assert answer.answer.startswith("时限要求：") and "事不过夜" in answer.answer
    assert "第一时间运转" in answer.citations[0].quote


def test_why_and_what_happens_questions_in_colloquial_words(engine_with) -> None:
    engine: Engine = engine_with(
        "在全县城市建设推进会上的讲话\n（2025年3月2日）\n一、抓城市更新\n"
        "今年计划新建的10座口袋公园，已建成7座，还有3座因征地手续滞后未能开工。\n"
        "二、严格考核\n对连续两次考核排名靠后的乡镇，由县政府主要领导约谈。\n"
    )
    assert "征地手续" in engine.answer("剩下的口袋公园为什么没开工？").answer
    assert "约谈" in engine.answer("考核连续两次垫底的乡镇会怎么样？").answer


def test_a_phrase_asked_for_by_its_shape(engine_with) -> None:
    engine: Engine = engine_with(
        "青山县2025年农村公路养护工作方案\n一、工作要求\n"
        "3.规范路政执法。县交通运输局要统一执法标准，对群众反映的问题，做到“接诉即办、办必有果”。\n"
        "4.加强日常养护。推行“路长制”，坚持“建管并重、养护优先”，对重点路段开展巡查。\n"
    )
    assert engine.answer("路政执法要做到哪八个字？").answer.startswith("接诉即办、办必有果")
    assert "建管并重、养护优先" in engine.answer("日常养护要坚持的两句话是什么？").answer


def test_so_many_items_of_a_kind_are_a_list_not_a_slogan(engine_with) -> None:
    engine: Engine = engine_with(
        "青山县2025年数字乡村建设实施方案\n一、总体要求\n"
        "坚持“统筹规划、分步实施、共建共享、安全可控”的原则，到2025年底建成数字乡村示范村10个。\n"
    )
    answer = engine.answer("数字乡村方案定的四条原则是什么？")
    assert answer.answer.startswith("统筹规划、分步实施、共建共享、安全可控"), answer.answer
    assert not engine.answer("数字乡村方案的“五项机制”指什么？").found


def test_a_target_keeps_the_year_its_statement_opens_with(engine_with) -> None:
    engine: Engine = engine_with(
        "青山市国民经济和社会发展第十五个五年规划纲要\n二、主要目标\n"
        "力争到2030年，全市地区生产总值迈上6000亿元台阶，全社会研发经费投入强度达到3.1%，"
        "常住人口城镇化率达到72%左右，城乡居民收入差距持续缩小，单位地区生产总值能耗下降完成省下达任务，"
        "新增城镇就业人数累计达到30万人，高新技术企业数量突破3000家，数字经济核心产业增加值占比达到15%，"
        "森林覆盖率稳定在60%以上，基本公共服务均等化水平明显提高。\n"
    )
    for question, figure in (
        ("研发经费投入强度3.1%，是哪年要达到的？", "3.1%"),
        ("城镇化率72%是什么时候的目标？", "72%"),
    ):
        answer = engine.answer(question)
        assert "2030年" in answer.answer and figure in answer.answer, answer.answer
        assert "力争到2030年" in answer.citations[0].quote

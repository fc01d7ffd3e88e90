"""Who holds a post, who guides, who oversees, and where a measure applies: read at ingest, kept in the
ledger (a party's title, a task's scope) and answered with the row or sentence cited."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from bot.engine import Engine
from vectorstore.catalog import Catalog
from vectorstore.ledger import Ledger

# A notice with a list of measures to roll out (推广清单): who guides each measure and where it applies.
ROLL_OUT = (
    "关于推广第三批基层治理创新举措的通知\n"
    "各省（自治区、直辖市）人民政府，国务院各部委：\n"
    "各省（自治区、直辖市）人民政府要把推广工作列为年度重点，结合实际研究制定推广实施方案。\n"
    "附件\n"
    "第三批基层治理创新举措推广清单\n"
    "序号\t改革举措\t主 要 内 容\t指导部门\t推广范围\n"
    "1\t村级事务积分制管理\t对村民参与村级事务实行积分管理，积分与评先评优挂钩。\t市委组织部、市民政局\t全市\n"
    "2\t网格化矛盾纠纷调处机制\t以网格为单元，建立矛盾纠纷排查、调处、反馈闭环。\t市委政法委\t5个试点县\n"
)
# A school's yearly plan: the office in charge, the person answering for it, the leader overseeing it.
SCHOOL_PLAN = (
    "2022年度学校工作要点\n"
    "二、重点项目\n"
    "序号\t项目名称\t任务描述\t完成时间\t负责处室\t配合处室\t负责人\t分管领导\n"
    "1\t食堂提质改造\t完成学生食堂改造，提升就餐环境\t8月底前\t总务处\t安监处\t王立新\t赵建华\n"
    "2\t青年教师成长工程\t实施师徒结对，开展教学展示\t全年\t教科室\t教务处\t陈晓燕\t刘建国\n"
)
# A speech dividing responsibility by posts.
SPEECH = (
    "在全县重点工作推进会上的讲话\n"
    "一、压实工作责任\n"
    "县政府领导是分管领域的总责任人，对重点工作要亲自部署；各乡镇各部门主要负责人是第一责任人，要履职尽责；"
    "分管领导是直接责任人，具体科室是执行者。\n"
    "重点工作领导小组组长由县长担任，常务副县长担任副组长。\n"
    "二、抓好项目储备\n"
    "在县委的坚强领导下，全县项目建设取得新成绩。\n"
    "县发改局要发挥牵头作用，会同县财政局做好项目储备和申报工作。\n"
    "三、强化决策咨询\n"
    "县专家咨询委员会由县政府组建，成员包括行业专家和企业代表，负责提出重大政策建议。\n"
)


def test_a_measure_on_a_list_is_answered_with_who_guides_it_and_where_it_applies(
    engine_with: Callable[..., Engine],
) -> None:
    engine = engine_with(ROLL_OUT)
    answer = engine.answer("网格化矛盾纠纷调处机制这项举措，指导部门是哪个？推广到哪？")
    assert answer.found and "市委政法委" in answer.answer and "5个试点县" in answer.answer
    assert "市委组织部" not in answer.answer
    assert "网格化矛盾纠纷调处机制" in answer.citations[0].quote
    (record,) = [r for r in Ledger(engine.store.catalog).directives() if "市委政法委" in r.lead]
    assert record.scope == "5个试点县"
    assert [(p.name, p.title) for p in record.parties] == [("市委政法委", "指导部门")]


def test_a_province_wide_addressee_is_read_as_a_party(engine_with: Callable[..., Engine]) -> None:
    answer = engine_with(ROLL_OUT).answer("推广实施方案由谁来制定？")
    assert answer.found and answer.entity == "各省（自治区、直辖市）人民政府"  # read as a party, not quoted


def test_the_leader_overseeing_a_row_is_named_with_the_office_in_charge(engine_with: Callable[..., Engine]) -> None:
    answer = engine_with(SCHOOL_PLAN).answer("食堂提质改造谁负责？分管领导是谁？")
    assert answer.found
    assert all(name in answer.answer for name in ("总务处", "王立新", "赵建华"))
    assert "分管领导：赵建华" in answer.answer
    assert "赵建华" in answer.citations[0].quote


def test_posts_of_one_statement_answer_together(engine_with: Callable[..., Engine]) -> None:
    engine = engine_with(SPEECH)
    answer = engine.answer("谁是第一责任人、直接责任人？")
    assert answer.found and "主要负责人" in answer.answer and "分管领导" in answer.answer
    head = engine.answer("重点工作领导小组组长由谁担任？")
    assert head.found and head.entity == "县长" and "组长：县长" in head.answer
    deputy = engine.answer("重点工作领导小组副组长是谁？")
    assert deputy.found and "副组长：常务副县长" in deputy.answer


def test_a_unit_praised_is_not_a_lead_and_a_post_not_named_is_refused(engine_with: Callable[..., Engine]) -> None:
    engine = engine_with(SPEECH)
    answer = engine.answer("项目储备谁牵头？")
    assert answer.found and "县发改局" in answer.answer and "县委" not in answer.answer
    assert not engine.answer("重点工作领导小组办公室主任由谁担任？").found  # a post the text gives no one
    assert not engine.answer("县专家咨询委员会的主任由谁担任？").found  # the body is named, its head is not


def test_a_store_made_before_titles_and_scopes_gains_their_columns(tmp_path: Path) -> None:
    path = tmp_path / "catalog.sqlite3"
    Catalog(path).close()
    with sqlite3.connect(path) as db:  # what an older version made
        db.execute("ALTER TABLE directives DROP COLUMN scope")
        db.execute("ALTER TABLE directive_parties DROP COLUMN title")
        db.execute("DELETE FROM meta WHERE key = 'schema_version'")  # it kept no version
    catalog = Catalog(path)
    columns = {table: {row[1] for row in catalog.rows(f"PRAGMA table_info({table})")} for table in
               ("directives", "directive_parties")}  # fmt: skip
    catalog.close()
    assert "scope" in columns["directives"] and "title" in columns["directive_parties"]

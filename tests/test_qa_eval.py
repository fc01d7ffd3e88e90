"""The evaluation's own checks: an answer must not name a party its quotes do not name."""

from __future__ import annotations

from bot.answers import Answer, Citation
from bot.reporting.qa_eval import Outcome, QAItem

ITEM = QAItem("q1", "lead", "谁牵头项目储备库？", ("发改局",), "由县发改局牵头")
QUOTE = Citation("d1", "讲话", "一、项目", "由县发改局牵头，县财政局、县自然\n资源局配合，加快建立项目储备库。", 0, 40)


def outcome(text: str, *citations: Citation) -> Outcome:
    return Outcome(ITEM, Answer(ITEM.question, text, True, "lead", citations), 0.01)


def test_names_the_quotes_give_are_grounded_even_across_a_line_break() -> None:
    assert outcome("由县发改局牵头，县财政局、县自然资源局配合。", QUOTE).unquoted_names == ()


def test_a_name_no_quote_gives_is_reported() -> None:
    assert outcome("由县发改局牵头，县公安局配合。", QUOTE).unquoted_names == ("县公安局",)
    assert outcome("由县发改局牵头。另外，实际由王五同志牵头。", QUOTE).unquoted_names == ("王五同志",)


def test_a_refusal_names_nobody() -> None:
    refusal = Outcome(ITEM, Answer(ITEM.question, "未在已收录的文件中找到", False, "lead"), 0.01)
    assert refusal.unquoted_names == ()


def test_a_column_label_names_nobody_but_the_names_after_it_count() -> None:
    row = Citation("d2", "工作要点", "附件", "6—2\t智治校园三年规划\t7月底前\t信息处\t\t朱水军\t孙洪亮", 0, 30)
    assert outcome("信息处负责，负责人：朱水军，分管领导：孙洪亮。", row).unquoted_names == ()
    assert outcome("信息处负责，分管领导：李四同志。", row).unquoted_names == ("李四同志",)

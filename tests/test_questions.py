"""Question analysis, table-driven: what a cadre's question asks. No embedding model needed."""

from __future__ import annotations

import pytest

from bot.questions import Enumeration, analyse

# (question, kind, role asked for, wants a unit rather than a person)
KINDS = [
    ("谁牵头社会治安工作？", "lead", "lead", False),
    ("哪个领导挂帅招商引资？", "lead", "lead", False),  # colloquial register
    ("秸秆禁烧谁挑头？", "lead", "lead", False),
    ("这项改革由哪位领导领衔？", "lead", "lead", False),
    ("哪个部门牵头建设项目储备库？", "lead", "lead", True),
    ("老旧小区改造由谁负责？", "responsible", "responsible", False),
    ("防汛物资归哪个单位管？", "responsible", "responsible", True),
    ("给发改局打配合的是哪几家", "responsible", "cooperate", False),
    ("谁会同财政局制定方案？", "responsible", "cooperate", False),
    ("“四个决不”指什么？", "slogan", None, False),
    ("项目储备库什么时候建成？", "deadline", None, False),
    ("各牵头单位的方案什么时候交？", "deadline", None, False),  # a role word without 谁/哪 asks no who
    ("实际完成了多少投资？", "other", None, False),
    ("积分制管理这项举措，指导部门是哪个？", "lead", "lead", False),  # who guides is recorded as lead
    ("这项改革归哪个部门指导？", "lead", "lead", True),
    ("分管领导是谁？", "lead", "lead", False),
    ("县农技指导中心由谁负责？", "responsible", "responsible", False),  # 指导 inside a name
]


@pytest.mark.parametrize(("question", "kind", "role", "wants_unit"), KINDS)
def test_kind_and_role(question: str, kind: str, role: str | None, wants_unit: bool) -> None:
    analysed = analyse(question)
    assert (analysed.kind, analysed.role, analysed.wants_unit) == (kind, role, wants_unit)


# (question, the party whose tasks are asked for)
TASKS_OF = [
    ("李新负责什么？", "李新"),
    ("县公安局有哪些任务？", "县公安局"),
    ("县发改局牵头哪些工作？", "县发改局"),
    ("社会治安谁负责？", None),
]


@pytest.mark.parametrize(("question", "party"), TASKS_OF)
def test_tasks_of_a_party(question: str, party: str | None) -> None:
    analysed = analyse(question)
    assert analysed.tasks_of == party
    if party:
        assert analysed.kind == "responsible" and analysed.role is None


# (question, the posts whose holders it asks for)
POSTS = [
    ("领导小组组长由谁担任？", ("组长",)),
    ("副组长是谁？", ("副组长",)),
    ("谁是第一责任人、直接责任人？", ("第一责任人", "直接责任人")),
    ("防汛工作谁负责？", ()),
    ("哪个科室负责主任办公会议的筹备？", ()),  # who does, not who holds the post
]


@pytest.mark.parametrize(("question", "posts"), POSTS)
def test_posts_asked_for(question: str, posts: tuple[str, ...]) -> None:
    assert analyse(question).posts == posts


def test_a_follow_up_names_the_previous_answers_party() -> None:
    analysed = analyse("那他还负责什么？", previous_entity="李新同志")
    assert analysed.text == "李新同志还负责什么？" and analysed.tasks_of == "李新同志"


# (question, years, asks for a result (True), a plan (False) or neither (None), places)
WHEN_AND_WHERE = [
    ("24年地区生产总值目标是多少？", ("2024",), False, ()),
    ("2025年实际完成了多少投资？", ("2025",), True, ()),
    ("云州市今年的GDP目标是多少？", (), False, ("云州",)),
    ("招商引资谁负责？", (), None, ()),
]


@pytest.mark.parametrize(("question", "years", "asks_result", "places"), WHEN_AND_WHERE)
def test_years_plan_or_result_and_places(question: str, years: tuple, asks_result: bool | None, places: tuple) -> None:
    analysed = analyse(question)
    assert (analysed.years, analysed.asks_result, analysed.places) == (years, asks_result, places)
    assert not any(year in analysed.terms for year in analysed.years)  # a year is weighed apart from terms


# (question, the list asked for)
LISTS = [
    ("哪几个快？", Enumeration("快", None, "个")),
    ("哪“三个以”？", Enumeration("以", 3, "个")),
    ("要坚持的两句话是什么", Enumeration("", 2, "句")),
    ("那八个字是什么？", Enumeration("", 8, "字")),
    ("方案定的四条原则是什么", Enumeration("", 4, None, "原则")),
    ("谁牵头社会治安工作？", None),
]


@pytest.mark.parametrize(("question", "enumeration"), LISTS)
def test_lists(question: str, enumeration: Enumeration | None) -> None:
    assert analyse(question).enumeration == enumeration


# (question, quoted terms, asks what something means)
TERMS = [
    ("“四个决不”指什么？", ("四个决不",), True),
    ('"马上办"是啥意思', ("马上办",), True),
    pytest.param(
        "三个确保包括哪些？",
        ("三个确保",),
        True,
        marks=pytest.mark.xfail(strict=True, reason="an unquoted formula in a question takes the words after it"),
    ),
    ("社会治安谁牵头？", (), False),
]


@pytest.mark.parametrize(("question", "quoted", "asks_meaning"), TERMS)
def test_quoted_terms(question: str, quoted: tuple, asks_meaning: bool) -> None:
    analysed = analyse(question)
    assert (analysed.quoted, analysed.asks_meaning) == (quoted, asks_meaning)


def test_a_cloze_keeps_the_words_around_the_gap() -> None:
    assert analyse("干部作风要以什么为根本？").cloze == ("以", "为根本")


@pytest.mark.parametrize(
    ("question", "kept", "dropped"),
    [
        ("招商引资这块到底是谁负责的？", {"招商引资"}, {"谁", "负责", "到底", "这块"}),
        ("补齐短板那条谁牵头，财政部参与吗？", {"短板", "财政部"}, {"那条", "牵头", "参与"}),  # role words ask how
        ("赛事转播权这条，版权局负不负责？", {"转播权", "版权局"}, {"负", "不", "这条"}),  # A-not-A asks yes or no
        ("农机装备创新体系这项，牵头单位是哪个部？", {"农机", "创新"}, {"部", "这项"}),
    ],
)
def test_scaffolding_is_not_a_term(question: str, kept: set[str], dropped: set[str]) -> None:
    terms = set(analyse(question).terms)
    assert kept <= terms and not dropped & terms

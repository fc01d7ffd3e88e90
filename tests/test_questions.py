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
    ("督查台账最后报给谁？", "other", None, False),  # who a result is sent to, not who does the work
    ("月报向哪个部门汇报？", "other", None, True),
    ("这个报告谁作的？", "other", None, False),  # a byline, not a recipient
    ("移交给谁管理？", "responsible", "responsible", False),  # handed over: the new holder is responsible
]


@pytest.mark.parametrize(
    ("question", "recipient", "kind_of"),
    [
        ("督查台账最后报给谁？", True, None),
        ("月报向哪个部门汇报？", True, None),
        ("安全台账报送哪里？", True, None),
        ("这个报告谁作的？", False, None),
        ("要建什么样的教育领导体制？", False, "教育领导体制"),
        ("营商环境要营造怎样的氛围，口号怎么说的？", False, "氛围"),
    ],
)
def test_who_a_result_is_sent_to_and_what_kind_is_asked(question: str, recipient: bool, kind_of: str | None) -> None:
    analysed = analyse(question)
    assert (analysed.asks_recipient, analysed.kind_of) == (recipient, kind_of)


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
    ("三个确保包括哪些？", ("三个确保",), True),
    ("文件鼓励用哪两种方式采购？", (), False),
    ("四个决不是啥意思", ("四个决不",), True),
    ("“先受理、后补正”是针对什么的？", ("先受理、后补正",), True),  # an unquoted formula, without the words that ask
    ("四个有利于指什么？", ("四个有利于",), True),
    ("方案里的1+N证书，1和N分别指什么？", ("1+N证书",), True),  # a coded term needs no quotes
    ("书记怎么解读“抓在关键处、干在最前头”？", ("抓在关键处、干在最前头",), True),
    ("社会治安谁牵头？", (), False),
    ("鼓励村集体用哪两种方式盘活闲置农房？", (), False),  # asks for the two, names no formula
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
        # how a cadre names the material says where to look, not what to find
        ("开发区那份文件里“容缺受理”是针对什么的？", {"开发区", "容缺", "受理"}, {"份", "文件", "针对", "什"}),
        ("通知鼓励村集体用哪几种方式盘活闲置农房？", {"集体", "方式", "盘活"}, {"通知", "用", "种"}),
        ("消防安全那个省办方案，哪个处室牵头？", {"消防安全", "省办"}, {"方案"}),
        ("县长讲话中提到的“三个一批”指的是什么？", {"县长", "一批"}, {"讲话", "提到"}),
        ("工作要点里的“两个清单”各包括什么？", {"清单"}, {"要点", "各"}),
        # …and are content where they say what is done
        ("制定乡村振兴实施方案由哪些部门负责？", {"实施方案", "方案"}, set()),
        ("文件要求各乡镇报告进展情况，多久报告一次？", {"报告", "进展"}, {"文件"}),
    ],
)
def test_scaffolding_is_not_a_term(question: str, kept: set[str], dropped: set[str]) -> None:
    terms = set(analyse(question).terms)
    assert kept <= terms and not dropped & terms


# (question, what it asks of a document itself, the persons it names, its kind)
BYLINES = [
    ("这个报告是谁作的？", ("speaker",), (), "other"),
    ("林副县长哪天讲的？", ("date",), (("林", "副县长"),), "other"),
    ("在什么会上讲的？", ("meeting",), (), "other"),  # a follow-up: the chat's last document
    ("这份通知什么时候发的？", ("date",), (), "other"),
    ("临川那份报告是谁作的，在哪次会上作的？", ("speaker", "meeting"), (), "other"),
    # Not about a document: a task's who and when, a body that settles things at a meeting.
    ("育儿补贴是谁发的？", (), (), "responsible"),
    ("补贴什么时候发？", (), (), "deadline"),
    ("重大疑难问题由什么会研究解决？", (), (), "other"),
    ("县长讲的招商引资谁牵头？", (), (), "lead"),
]


@pytest.mark.parametrize(("question", "byline", "persons", "kind"), BYLINES)
def test_questions_about_a_document_itself(question: str, byline: tuple, persons: tuple, kind: str) -> None:
    analysed = analyse(question)
    assert (analysed.byline, analysed.persons, analysed.kind) == (byline, persons, kind)


@pytest.mark.parametrize(
    ("question", "kept", "dropped"),
    [
        # How a question points at a document is no term of it; what names the document is.
        ("电商那个意见里，公共服务中心谁牵头？", {"电商", "服务中心"}, {"意见", "那个"}),
        ("这份报告里的重点任务是什么？", {"重点", "任务"}, {"这份", "报告"}),
        # 「大会上马书记」: the surname is not read with the word before it (上马).
        ("全市大会上马书记讲的体制是什么？", {"马", "书记", "体制"}, {"上马"}),
    ],
)
def test_document_references_are_not_terms(question: str, kept: set[str], dropped: set[str]) -> None:
    terms = set(analyse(question).terms)
    assert kept <= terms and not dropped & terms

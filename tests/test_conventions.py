"""Document conventions one by one: the (party, role, explicit) triples each reads in sentences of its
style and nothing in sentences that only look like it; every registered example read by the registry;
the order and conditions the registry reads them in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from ingest.conventions import registry
from ingest.conventions.assignments import find_assignments
from ingest.conventions.registry import CONVENTIONS, Convention, Party, Statement, convention
from ingest.conventions.spans import party
from ingest.language.parties import is_party
from ingest.normalize import normalize

Triple = tuple[str, str, bool]

# For each convention: sentences in its style and what it reads there, (party, role, explicit).
CASES: dict[str, list[tuple[str, list[Triple]]]] = {
    "bracketed_trailer": [
        (
            "加快推进老旧小区改造。（省住房城乡建设厅、省财政厅按职责分工负责）",
            [("省住房城乡建设厅、省财政厅", "responsible", True)],
        ),
        (
            "完善农机创新体系。（工业和信息化部、发展改革委、科技部等负责。列第一位者为牵头单位，下同）",
            [("工业和信息化部", "lead", True), ("发展改革委、科技部等", "responsible", True)],
        ),
        (
            "推进稳岗就业。（市发展改革委牵头，市财政局、市自然资源局参与）",
            [("市发展改革委", "lead", True), ("市财政局、市自然资源局", "cooperate", True)],
        ),
        (
            "落实就业补贴。（牵头单位：市人社局；配合单位：各区政府）",
            [("市人社局", "lead", True), ("各区政府", "cooperate", True)],
        ),
        ("推广试点。（税务总局负责，排在第一位的部门为牵头部门，下同）", [("税务总局", "responsible", True)]),
        ("加强日常监管。（详见附件2）", []),  # a remark, not a trailer
        ("推进改革。（二）加强监管。", []),  # an item number
        ("新建学校3所（含续建项目）。", []),  # inside the sentence
    ],
    "table_row": [
        (
            "牵头单位：县农业农村局；责任单位：各乡镇（街道）；配合单位：县财政局、县水利局；完成时限：2025年9月底前。",
            [("县农业农村局", "lead", True), ("各乡镇（街道）", "responsible", True),
             ("县财政局、县水利局", "cooperate", True)],
        ),
        (
            "工作任务：推进高标准农田建设；牵头县领导：王振华同志；责任部门：县农业农村局。",
            [("王振华同志", "lead", True), ("县农业农村局", "responsible", True)],
        ),
        (
            "序号：3；具体措施：优化营商环境；主办单位：县政务服务中心；协办单位：县市场监管局。",
            [("县政务服务中心", "lead", True), ("县市场监管局", "cooperate", True)],
        ),
        (
            "改革举措：推行科技特派员制度；指导部门：科技部、农业农村部；推广范围：全国。",
            [("科技部、农业农村部", "lead", True)],
        ),
        ("完成时限：2025年底前。", []),  # a time cell names nobody
        ("由县发改局牵头，县财政局配合。", []),  # a sentence, not a row
    ],
    "separated_row": [
        (
            "序号\t重点任务\t完成时间\t负责处室\t配合处室\n2\t修订学校章程\t6月底前\t党政办\t教学处、德育处",
            [("党政办", "responsible", True), ("教学处、德育处", "cooperate", True)],
        ),
        (  # cells merged with the rows above are missing: the others still find their columns
            "序号\t项目名称\t子项目\t完成时间\t牵头处室\t配合处室\t负责人\n3—2\t校园安全\t全年\t安监处\t各年段\t沈明",
            [("安监处", "lead", True), ("各年段", "cooperate", True), ("沈明", "responsible", True)],
        ),
        (  # who guides a measure on a list of measures to roll out
            "序号\t改革举措\t主 要 内 容\t指导部门\t推广范围\n4\t科技特派员制度\t选派人员驻村服务\t科技部\t全国",
            [("科技部", "lead", True)],
        ),
        (  # a line grouping rows (a merged cell) between the header and the row
            "序号\t改革举措\t指导部门\t推广范围\n一、基层治理方面（共2项）\n1\t村务积分制管理\t市民政局\t全市",
            [("市民政局", "lead", True)],
        ),
        (  # prose after a table ends it: the rows below are no longer under its header
            "序号\t事项\t负责处室\n1\t修订章程\t党政办\n上述事项由各处室对照分工抓好落实，年底前报送完成情况，逾期未报的予以通报。\n"
            "2\t其他事项\t教务处",
            [],
        ),
        ("序号\t项目名称\t备注\n1\t安全校园\t常态推进", []),  # no party column
        ("县财政局要做好资金保障。", []),  # not a row
    ],
    "led_by": [
        ("由县发改局牵头，由县财政局负责资金保障。", [("县发改局", "lead", True), ("县财政局", "responsible", True)]),
        ("对工作推进不力的，由县委督查室进行约谈。", [("县委督查室", "responsible", True)]),
        ("由县住建局、县自然资源局共同负责，确保年内完工。", [("县住建局、县自然资源局", "responsible", True)]),
        ("由县商务局统筹，做好招商引资工作。", [("县商务局", "lead", True)]),
        ("由县卫健局负责牵头，各乡镇卫生院配合。", [("县卫健局", "lead", True)]),
        ("不再由县财政局牵头。", []),  # denied
        ("本项工作由于时间紧，要抓紧推进。", []),  # 由于 names no one
        ("由此可见，各乡镇要加快进度。", []),
        ("由县政府办公室牵头建立防汛工作联席会议制度。", [("县政府办公室", "lead", True)]),
        ("具体工作由县文旅局负责组织实施。", [("县文旅局", "responsible", True)]),
    ],
    "together_with": [
        ("县自然资源局要会同县公安局、县林业局开展联合执法。", [("县公安局、县林业局", "cooperate", True)]),
        ("县教育局会同县财政局制定实施细则。", [("县财政局", "cooperate", True)]),
        ("县发改局要会同有关方面抓好落实。", []),  # 有关方面 is no unit
        ("县发改局要发挥牵头作用，会同县财政局、县统计局做好监测。", [("县财政局、县统计局", "cooperate", True)]),
        ("县财政局要联合县审计局开展检查。", []),  # 联合 is working_with's
    ],
    "under_leadership": [
        ("在县委统一领导下，各乡镇要抓好秸秆禁烧。", [("县委", "lead", True)]),
        ("在市发展改革委的统筹下，各区要加快项目前期工作。", [("市发展改革委", "lead", True)]),
        ("在县防汛抗旱指挥部统一指挥下开展抢险。", [("县防汛抗旱指挥部", "lead", True)]),
        ("在全县上下共同努力下，各项指标好于预期。", []),  # no unit leads
        ("在县委的坚强领导下，我们取得了显著成绩。", []),  # praise of the year, not an assignment
    ],
    "handed_to": [
        ("闲置校舍交由县教育局统一管理。", [("县教育局", "responsible", True)]),
        ("对发现的违法线索，移交县公安局依法处理。", [("县公安局", "responsible", True)]),
        ("收回的土地划归县自然资源局。", [("县自然资源局", "responsible", True)]),
        ("交由群众评判。", []),  # 群众 is no unit
    ],
    "duty_on": [
        ("压实各级党委（党组）主体责任，落实各地属地责任。", [("各级党委（党组）", "responsible", True),
                                                     ("各地", "responsible", True)]),
        ("严格落实县住建局行业监管责任。", [("县住建局", "responsible", True)]),
        ("切实落实主体责任。", []),  # whose, it does not say
        ("落实企业安全生产主体责任。", []),  # 企业 is no unit of government
    ],
    "office_seated_at": [
        ("领导小组办公室设在县农业农村局，负责日常工作。", [("县农业农村局", "responsible", True)]),
        ("指挥部办公室设在县应急管理局。", [("县应急管理局", "responsible", True)]),
        ("工作专班办事机构设在县商务局，具体承担协调工作。", [("县商务局", "responsible", True)]),
        ("办公室设在三楼东侧。", []),  # a place, not a unit
    ],
    "clause_subject": [
        ("县应急管理局应当牵头抓好安全生产工作。", [("县应急管理局", "lead", True)]),  # was responsible, implied
        ("县政府办公室负责牵头协调。", [("县政府办公室", "lead", True)]),
        ("县财政局具体负责，县审计局配合。", [("县财政局", "responsible", True), ("县审计局", "cooperate", True)]),
        ("县公安局要严厉打击电信网络诈骗。", [("县公安局", "responsible", False)]),
        ("此外，各乡镇（街道）要做好秸秆禁烧。", [("各乡镇（街道）", "responsible", False)]),
        ("各省（区、市）人民政府要结合实际制定推广方案。", [("各省（区、市）人民政府", "responsible", False)]),
        ("各地各部门要对照清单逐项抓好落实。", [("各地各部门", "responsible", False)]),
        ("各部门主要负责人是第一责任人。", []),  # 负责人 is a post, not 负责
        ("县教育局会同县财政局制定实施细则。", []),  # convener's
        ("要求各村（社区）在11月底前完成人口普查登记。", [("各村（社区）", "responsible", False)]),
        ("各乡镇不得擅自提高补助标准。", []),  # a prohibition assigns nothing
        ("对县财政局要加强审计监督。", []),  # the object, not the actor
        ("由县发改局牵头。", []),  # led_by's
        ("今年全县要完成植树造林3万亩。", []),  # a target, no unit
    ],
    "post_holder": [
        ("领导小组组长由县委书记担任，常务副县长担任副组长。", [("县委书记", "lead", True),
                                                            ("常务副县长", "cooperate", True)]),
        ("联席会议由县发改局、县财政局等单位组成，分管副县长担任召集人。", [("分管副县长", "lead", True)]),
        ("指挥部由县长任总指挥。", [("县长", "lead", True)]),
        ("由县政府办公室主任兼任组长。", [("县政府办公室主任", "lead", True)]),
        ("工作专班由分管副县长任副组长。", [("分管副县长", "cooperate", True)]),  # a deputy assists
        ("他曾担任过组长。", []),  # 他曾 is no party
        ("由县长担任组长的领导小组统筹全县工作。", []),  # the post names the body, no assignment in the clause
    ],
    "charged": [
        ("各乡镇党委书记是本辖区禁毒工作第一责任人。", [("各乡镇党委书记", "responsible", True)]),
        ("县政府领导是分管领域的总责任人，对重大事项要亲自过问。", [("县政府领导", "responsible", True)]),
        ("各单位分管领导为直接责任人。", [("各单位分管领导", "responsible", True)]),
        ("安全生产是第一责任。", []),  # a duty, no one named
        ("要当好第一责任人。", []),
    ],
    "lead_duty": [
        ("县发改局要发挥牵头作用，会同县财政局做好项目储备。", [("县发改局", "lead", True)]),
        ("县商务局要继续做好牵头工作，进一步扩大开放。", [("县商务局", "lead", True)]),
        ("此外，县农业农村局应当切实履行牵头职责。", [("县农业农村局", "lead", True)]),
        ("各部门要支持牵头单位开展工作。", []),  # the lead is another
        ("要发挥牵头作用。", []),  # no one named
    ],
    "convener": [
        ("县教育局会同县财政局制定实施细则。", [("县教育局", "lead", True)]),
        ("县市场监管局要会同县公安局加强执法。", [("县市场监管局", "lead", True)]),
        ("由县发改局会同县统计局建立监测制度。", [("县发改局", "lead", True)]),
        ("要会同有关部门抓好落实。", []),  # no one named
        ("县财政局要联合县审计局开展检查。", []),  # 联合 names a partner, not a lead
    ],
    "addressed": [
        ("各位乡镇长身处一线，情况最熟，一定要躬身入局。", [("各位乡镇长", "responsible", False)]),
        ("各级各部门对照任务清单，都要逐项抓好落实。", [("各级各部门", "responsible", False)]),
        ("全县政府系统在项目建设中，一定要当好店小二。", [("全县政府系统", "responsible", False)]),
        ("各乡镇（街道）面对汛期考验，务必守牢安全底线。", [("各乡镇（街道）", "responsible", False)]),
        ("各位乡镇长身处一线，情况最熟。", []),  # no later 要
        ("各位村支书身处一线，要求群众配合。", []),  # 要求 asks others
    ],
    "working_with": [
        ("县财政局要联合县审计局开展专项资金检查。", [("县审计局", "cooperate", True)]),
        ("县市场监管局要协同县公安局严厉打击假冒伪劣。", [("县公安局", "cooperate", True)]),
        ("县安委办要会同县防指办组成暗查暗访组。", [("县防指办", "cooperate", True)]),  # not 县防指办组成暗查暗访组
        ("要联合有关方面共同推进。", []),
    ],
}  # fmt: skip
BY_NAME = {registered.name: registered for registered in CONVENTIONS}


def read(registered: Convention, sentence: str) -> list[Triple]:
    """What one convention reads in a sentence, checking that every party sits at its offsets."""
    text = normalize(sentence).text
    parties = list(registered.run(Statement(text, 0, len(text))))
    assert all(text[p.start : p.end] == p.name for p in parties)
    return [(p.name, p.role, p.explicit) for p in parties]


def assigned(sentence: str) -> list[Triple]:
    """What the whole registry reads in a sentence."""
    text = normalize(sentence).text
    return [(p.name, p.role, p.explicit) for a in find_assignments(text, 0, len(text)) for p in a.parties]


@pytest.mark.parametrize(
    ("name", "sentence", "expected"),
    [(name, sentence, expected) for name, cases in CASES.items() for sentence, expected in cases],
)
def test_each_convention_reads_its_sentences(name: str, sentence: str, expected: list[Triple]) -> None:
    assert read(BY_NAME[name], sentence) == expected


def test_every_convention_has_cases_that_it_reads_and_cases_that_it_does_not() -> None:
    assert set(CASES) == set(BY_NAME)
    for name, cases in CASES.items():
        assert any(expected for _, expected in cases) and any(not expected for _, expected in cases), name


@pytest.mark.parametrize("registered", CONVENTIONS, ids=lambda registered: registered.name)
def test_every_registered_example_is_read_in_the_roles_it_declares(registered: Convention) -> None:
    own = read(registered, registered.example)
    assert own, "the convention reads nothing in its own example"
    assert {role for _, role, _ in own} <= set(registered.reads)
    found = assigned(registered.example)
    assert set(registered.reads) <= {role for _, role, _ in found}
    assert {(name, role) for name, role, _ in own} <= {(name, role) for name, role, _ in found}


def test_the_drift_case_reads_a_modal_before_the_lead_word_as_the_lead() -> None:
    assert assigned("县应急管理局应当牵头抓好安全生产工作。") == [("县应急管理局", "lead", True)]


# ------------------------------------------------------------------------------ the registry
def test_conventions_are_read_in_their_order_and_under_their_conditions() -> None:
    assert [(c.name, c.exclusive, c.only_when) for c in CONVENTIONS] == [
        ("bracketed_trailer", True, "always"),
        ("table_row", True, "always"),
        ("separated_row", True, "always"),
        ("led_by", False, "always"),
        ("together_with", False, "always"),
        ("office_seated_at", False, "always"),
        ("under_leadership", False, "always"),
        ("handed_to", False, "always"),
        ("duty_on", False, "always"),
        ("post_holder", False, "always"),
        ("charged", False, "always"),
        ("clause_subject", False, "always"),
        ("lead_duty", False, "always"),
        ("convener", False, "always"),
        ("addressed", False, "nothing_found"),
        ("working_with", False, "something_found"),
    ]


def test_a_table_row_that_names_parties_is_read_alone() -> None:
    row = "重点任务：加快项目建设；牵头单位：县发改局；县财政局要做好资金保障。"
    assert read(BY_NAME["clause_subject"], row) == [("县财政局", "responsible", False)]
    assert assigned(row) == [("县发改局", "lead", True)]


def test_those_addressed_are_read_only_when_nothing_else_names_a_party() -> None:
    sentence = "各位乡镇长身处一线，由县农业农村局牵头，一定要守住耕地红线。"
    assert read(BY_NAME["addressed"], sentence) == [("各位乡镇长", "responsible", False)]
    assert assigned(sentence) == [("县农业农村局", "lead", True)]


def test_a_partner_is_read_only_when_something_else_names_a_party() -> None:
    assert assigned("要联合县审计局开展专项检查。") == []
    assert assigned("县财政局要联合县审计局开展专项检查。") == [
        ("县财政局", "responsible", False),
        ("县审计局", "cooperate", True),
    ]


def test_a_party_read_by_two_conventions_in_one_role_is_named_once() -> None:
    assert assigned("县市场监管局要会同县公安局加强执法。") == [
        ("县公安局", "cooperate", True),
        ("县市场监管局", "lead", True),
    ]


def test_a_role_stated_in_so_many_words_replaces_the_one_implied() -> None:
    """「X要发挥牵头作用」: X leads (lead_duty), and is not also responsible as the subject of 要."""
    sentence = "县发改局要发挥牵头作用，抓好项目储备。"
    assert read(BY_NAME["clause_subject"], sentence) == [("县发改局", "responsible", False)]
    assert assigned(sentence) == [("县发改局", "lead", True)]


def titles(sentence: str) -> list[tuple[str, str | None]]:
    text = normalize(sentence).text
    return [(p.name, p.title) for a in find_assignments(text, 0, len(text)) for p in a.parties]


def test_a_post_or_a_column_saying_more_than_the_role_is_kept_as_a_title() -> None:
    assert titles("县政府领导是分管领域的总责任人；分管副县长担任召集人。") == [
        ("县政府领导", "总责任人"),
        ("分管副县长", "召集人"),
    ]
    assert titles("牵头单位：县发改局；分管领导：王明同志。") == [("县发改局", None), ("王明同志", "分管领导")]


def test_a_row_keeps_its_guiding_column_as_a_title_and_its_scope() -> None:
    table = "序号\t改革举措\t指导部门\t推广范围\n4\t科技特派员制度\t科技部\t8个试验区域"
    (assignment,) = find_assignments(table, table.index("4"), len(table))
    assert [(p.name, p.role, p.title) for p in assignment.parties] == [("科技部", "lead", "指导部门")]
    assert assignment.scope == "8个试验区域"


def test_a_convention_declares_only_ledger_roles() -> None:
    with pytest.raises(ValueError, match="supervise"):
        convention(reads="lead, supervise", example="县委督查室督办。")


def test_a_registered_convention_is_read_with_no_other_change(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "CONVENTIONS", list(CONVENTIONS))  # the registry as it was, after the test
    sentence = "分管副县长挂帅，抓好防汛工作。"
    assert assigned(sentence) == []

    @convention(reads="lead", example=sentence)
    def commands(statement: Statement) -> Iterator[Party]:
        """「X挂帅」: a colloquial lead word, which documents are not read with."""
        for match in re.finditer("挂帅", statement.segment):
            if is_party(statement.segment[: match.start()]):
                yield party(statement.segment[: match.start()], "lead", statement.start, explicit=True)

    assert assigned(sentence) == [("分管副县长", "lead", True)]

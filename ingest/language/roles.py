"""Role words: who leads, is responsible, cooperates or supervises, in documents and in questions.

One table, :data:`ROLE_WORDS`, says which word gives which role and in which register: the
document register is how official writing assigns work (「由县发改局牵头」), the colloquial
register is how cadres ask (「谁挑头」). Questions understand both; documents are read with the
document register only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# The roles the ledger records for a task.
Role = Literal["lead", "responsible", "cooperate"]
ROLES: tuple[Role, ...] = ("lead", "responsible", "cooperate")
# Every role a word can give; supervising (督办) is recognised but not yet a ledger column, and guiding
# (指导, 分管) is recorded as lead with the title of its table column (see columns.TITLED_COLUMNS).
RoleKind = Literal["lead", "responsible", "cooperate", "supervise", "guide"]
Register = Literal["document", "colloquial"]


@dataclass(frozen=True)
class RoleWord:
    """A word that gives the party before it a role: 「县财政局配合」 → cooperate."""

    word: str
    role: RoleKind
    register: Register


ROLE_WORDS: tuple[RoleWord, ...] = (
    # 「由县发改局牵头」「县政府办公室统筹」
    RoleWord("牵头", "lead", "document"),
    RoleWord("共同牵头", "lead", "document"),
    RoleWord("统筹", "lead", "document"),
    RoleWord("主抓", "lead", "document"),
    # 「谁挑头」「哪个领导挂帅」
    RoleWord("挑头", "lead", "colloquial"),
    RoleWord("挂帅", "lead", "colloquial"),
    RoleWord("抓总", "lead", "colloquial"),
    RoleWord("领衔", "lead", "colloquial"),
    RoleWord("带头抓", "lead", "colloquial"),
    # 「县公安局具体负责」
    RoleWord("负责", "responsible", "document"),
    RoleWord("具体负责", "responsible", "document"),
    RoleWord("主要负责", "responsible", "document"),
    RoleWord("共同负责", "responsible", "document"),
    # 「县财政局配合」
    RoleWord("配合", "cooperate", "document"),
    RoleWord("协助", "cooperate", "document"),
    RoleWord("协同", "cooperate", "document"),
    RoleWord("协办", "cooperate", "colloquial"),
    # 「（市发展改革委牵头，市财政局参与）」
    RoleWord("参与", "cooperate", "document"),
    # 「县委督查室督办」
    RoleWord("督办", "supervise", "document"),
    RoleWord("督导", "supervise", "document"),
    # 「指导部门：科技部」「分管领导：王明」
    RoleWord("指导", "guide", "document"),
    RoleWord("分管", "guide", "document"),
)

# 「县财政局要会同县自然资源局…」: the party *after* the word cooperates with the subject.
PARTNER_WORDS: tuple[str, ...] = ("会同", "协同", "联合")

# 「…，一定要躬身入局」: the modals that oblige those addressed even in a clause with no subject.
IMPERATIVES: tuple[str, ...] = ("务必要", "务必", "必须", "一定要", "要")
# 「（X、Y按职责分工负责）」: words before 负责 saying that every unit listed shares the task.
SHARING: tuple[str, ...] = ("按照职责分工", "按职责分工", "按职责", "分别", "各自")

# 「列第一位者为牵头单位，下同」: a note making the first unit of every later list the lead.
FIRST_LISTED_LEADS = re.compile(r"(?:列|排|排在|位列)(?:第一位|首位|第一)(?:的|者)?(?:单位|部门)?为牵头(?:单位|部门)")

# 「县发改局要发挥牵头作用」「海关总署要继续做好牵头工作」: a duty that makes the party before it the lead.
LEAD_DUTY = re.compile(
    r"(?:继续|切实|充分|认真|主动|更好)?(?:发挥|做好|履行|承担|担负|负起|扛起|当好)好?牵头(?:抓总)?(?:作用|工作|职责|责任)"
)

# 「领导小组组长由县长担任」「副总理担任召集人」「委员会主任由县长担任」: posts whose holder leads the body.
LEADING_POSTS: tuple[str, ...] = (
    "组长", "双组长", "第一组长", "召集人", "总召集人", "第一召集人", "总指挥", "指挥长", "主任",
)  # fmt: skip
# 「常务副县长担任副组长」: a deputy of a leading post assists (cooperates with) its holder.
DEPUTY = "副"
# 「由县长担任」「县长任组长」: the verbs that give a post to its holder.
POST_VERBS: tuple[str, ...] = ("担任", "兼任", "出任", "任")
# 「各部门主要负责人是第一责任人」: posts of responsibility, kept as the party's title.
CHARGE_TITLES: tuple[str, ...] = ("第一责任人", "直接责任人", "总责任人", "主要责任人", "首要责任人")

# 「压实各级党委主体责任」「落实各地属地责任」: kinds of responsibility, and the verbs placing one on a party.
DUTIES: tuple[str, ...] = (
    "主体责任",
    "属地责任",
    "监管责任",
    "主管责任",
    "领导责任",
    "管理责任",
    "第一责任",
    "直接责任",
)
DUTY_VERBS: tuple[str, ...] = ("压实", "压紧", "落实", "夯实", "扛起", "扛牢", "履行", "担负", "强化", "明确")

# 「在县委统一领导下」「在县发改局统筹下」: the leadership a clause's work is done under.
UNDER_LEADERSHIP: tuple[str, ...] = ("统一领导", "统筹", "统筹协调", "统一指挥", "统一部署", "牵头")

# 「交由县城管局管理」: words handing a task to the party after them.
HAND_OVER: tuple[str, ...] = ("交由", "交给", "移交", "划归", "划转")

# 「并报市委督考办」「向县政府报告」: words that send a result to the party after them (交给 hands a task
# over instead: HAND_OVER).
REPORT_VERBS: tuple[str, ...] = ("报送", "上报", "呈报", "报告", "汇报", "提交", "报")

# 「县应急管理局应当牵头抓好…」: words that make a statement an obligation of its subject.
MODALS: tuple[str, ...] = (*IMPERATIVES, "应当", "应", "需要", "需")

# 「要求各乡镇在12月20日前上报」: 要求 opens an assignment to the party after it.
REQUEST_WORDS: tuple[str, ...] = ("要求", "请")

# 「不得…」「严禁…」: a prohibition after a party assigns it nothing.
PROHIBITIONS: tuple[str, ...] = ("不要", "不得", "不能", "不准", "严禁", "禁止", "不再")

# 「不再由县财政局牵头」: words before 由 that deny the assignment after them.
DENIALS: tuple[str, ...] = ("不", "不再", "不能", "不得", "无需", "不必", "并非", "而非", "非")


def words_for(*roles: RoleKind, register: Register | None = None) -> tuple[str, ...]:
    """The words giving any of ``roles``, longest first (for regex alternations); both registers
    if ``register`` is None.

    >>> words_for("lead", register="document")
    ('共同牵头', '牵头', '统筹', '主抓')
    """
    words = [w.word for w in ROLE_WORDS if w.role in roles and (register is None or w.register == register)]
    return tuple(sorted(words, key=len, reverse=True))


def role_of(word: str) -> RoleKind | None:
    """The role a role word gives, in either register.

    >>> role_of("挂帅"), role_of("配合"), role_of("开展")
    ('lead', 'cooperate', None)
    """
    return next((w.role for w in ROLE_WORDS if w.word == word), None)


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """A regex alternation of ``words``, longest first so that 具体负责 wins over 负责.

    >>> alternation(("要", "务必要"))
    '务必要|要'
    """
    return "|".join(sorted(words, key=len, reverse=True))

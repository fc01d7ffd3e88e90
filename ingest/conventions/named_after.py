"""Conventions that name a unit after the word giving its role: 「由县发改局牵头」「会同县公安局」.

Also 「领导小组办公室设在县农业农村局」: the unit after 设在 does the body's daily work; 「在县委统一领导下」,
「交由县城管局管理」 and 「压实各级党委主体责任」.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.conventions.registry import Party, Statement, convention
from ingest.conventions.spans import longest_party, party
from ingest.language.parties import is_party
from ingest.language.roles import (
    DENIALS,
    DUTIES,
    DUTY_VERBS,
    HAND_OVER,
    UNDER_LEADERSHIP,
    Role,
    alternation,
    role_of,
    words_for,
)

# 「不再由县财政局牵头」: 由X牵头 denied (read in the few characters before 由 only).
_DENIED = re.compile(f"(?:{alternation(DENIALS)})$")
_DENIAL_CHARS = max(len(word) for word in DENIALS) + 1  # + a line end, which $ may precede
# What may follow a party named after 由 (由X牵头 / 由X共同负责 / 由X进行约谈 …).
_BY_VERBS = re.compile(
    f"({alternation(words_for('lead', 'responsible', register='document'))}"
    "|进行|组织|召开|约谈|查处|审核|协调|督办|承办|实施|开展|制定|抓好|做好)"
)
# What follows the partner in 「X要会同Y做好…」: a verb or an adverb opening the task.
_AFTER_PARTNER = re.compile(
    r"(做好|开展|严厉|加强|推进|抓好|落实|共同|制定|组织|完成|建立|加快|深入|全面|切实|持续|严格|联合|研究|督促|指导|对)"
)
_SEATED_AT = re.compile(r"(?:办公室|办事机构|指挥部)设在([^，；。“”]{2,24}?)(?=[，；。]|$)")
# 「在县委统一领导下」「在县发改局的统筹下」.
_UNDER = re.compile(f"在(?P<name>[^，；。在]{{2,30}}?)的?(?:{alternation(UNDER_LEADERSHIP)})下")
_HAND_OVER = re.compile(alternation(HAND_OVER))
# What follows the party a task is handed to: its verb, or the clause's end.
_HANDED_VERBS = re.compile(
    r"((?:统一|具体|集中|依法)?(?:负责|管理|统筹|实施|承担|办理|处理|运营|监管|组织|执行|审核|审批)|(?=[，；。]|$))"
)
_DUTY_VERB = re.compile(f"(?:{alternation(DUTY_VERBS)})好?")
# What follows the party a duty is placed on: 「…（的）主体责任」「…行业监管责任」.
_DUTY = re.compile(f"(的?[\u4e00-\u9fff]{{0,4}}?(?:{alternation(DUTIES)}))")


@convention(reads="lead, responsible", example="由县发改局牵头，县财政局具体负责，加快建设项目储备库。")
def led_by(statement: Statement) -> Iterator[Party]:
    """「由X牵头」 (lead), 「由X负责」「由X进行约谈」 (responsible); not 「不再由X牵头」."""
    segment = statement.segment
    for match in re.finditer("由", segment):
        if _DENIED.search(segment, max(0, match.start() - _DENIAL_CHARS), match.start()):
            continue
        found = longest_party(segment, match.end(), _BY_VERBS)
        if found:
            name, verb = found
            after = match.end() + len(name) + len(verb)
            leads = role_of(verb) == "lead" or segment.startswith("牵头", after)
            role: Role = "lead" if leads else "responsible"
            yield party(name, role, statement.start + match.end(), explicit=True)


@convention(reads="cooperate", example="县自然资源局要会同县公安局、县林业局开展联合执法。")
def together_with(statement: Statement) -> Iterator[Party]:
    """「会同Y做好…」: Y cooperates (the longest unit or list that the task's verb follows)."""
    segment = statement.segment
    for match in re.finditer("会同", segment):
        found = longest_party(segment, match.end(), _AFTER_PARTNER)
        if found:
            yield party(found[0], "cooperate", statement.start + match.end(), explicit=True)


@convention(reads="responsible", example="领导小组办公室设在县农业农村局，负责日常工作。")
def office_seated_at(statement: Statement) -> Iterator[Party]:
    """「领导小组办公室设在X」: X does the body's daily work."""
    for match in _SEATED_AT.finditer(statement.segment):
        if is_party(match.group(1)):
            yield party(match.group(1), "responsible", statement.start + match.start(1), explicit=True)


@convention(reads="lead", example="在县委统一领导下，各乡镇要抓好秸秆禁烧。")
def under_leadership(statement: Statement) -> Iterator[Party]:
    """「在X统筹下」「在X的统一领导下」: X leads the work done under it."""
    for match in _UNDER.finditer(statement.segment):
        if is_party(match["name"]):
            yield party(match["name"], "lead", statement.start + match.start("name"), explicit=True)


@convention(reads="responsible", example="闲置校舍交由县教育局统一管理。")
def handed_to(statement: Statement) -> Iterator[Party]:
    """「交由X管理」「移交X处理」: X is responsible for what is handed over."""
    segment = statement.segment
    for match in _HAND_OVER.finditer(segment):
        found = longest_party(segment, match.end(), _HANDED_VERBS)
        if found:
            yield party(found[0], "responsible", statement.start + match.end(), explicit=True)


@convention(reads="responsible", example="压实各级党委（党组）主体责任，落实各地属地责任。")
def duty_on(statement: Statement) -> Iterator[Party]:
    """「压实X主体责任」「落实X属地责任」: the responsibility is X's."""
    segment = statement.segment
    for match in _DUTY_VERB.finditer(segment):
        found = longest_party(segment, match.end(), _DUTY)
        if found:
            yield party(found[0], "responsible", statement.start + match.end(), explicit=True)

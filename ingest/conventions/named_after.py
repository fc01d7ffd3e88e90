"""Conventions that name a unit after the word giving its role: 「由县发改局牵头」「会同县公安局」.

Also 「领导小组办公室设在县农业农村局」: the unit after 设在 does the body's daily work.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.conventions.registry import Party, Statement, convention
from ingest.conventions.spans import longest_party, party
from ingest.language.parties import is_party
from ingest.language.roles import DENIALS, Role, alternation, role_of, words_for

# 「不再由县财政局牵头」: 由X牵头 denied.
_DENIED = re.compile(f"(?:{alternation(DENIALS)})$")
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


@convention(reads="lead, responsible", example="由县发改局牵头，县财政局具体负责，加快建设项目储备库。")
def led_by(statement: Statement) -> Iterator[Party]:
    """「由X牵头」 (lead), 「由X负责」「由X进行约谈」 (responsible); not 「不再由X牵头」."""
    segment = statement.segment
    for match in re.finditer("由", segment):
        if _DENIED.search(segment, 0, match.start()):
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

"""The partner a statement's party works with: 「县财政局要联合县审计局开展…」 → 县审计局 cooperates."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.conventions.registry import Party, Statement, convention
from ingest.conventions.spans import party, shortest_party
from ingest.language.roles import PARTNER_WORDS, alternation

_PARTNER_WORD = re.compile(alternation(PARTNER_WORDS))
# What follows the partner: the task's verb or adverb, or the clause's end.
_PARTNER_FOLLOWER = re.compile(
    r"(?:加快|开展|推行|抓好|做好|深入|严厉|组成|组织|制定|实行|落实|推进|建立|共同|加强|推动|研究|督促|指导|完成"
    r"|实施|办理|处理|进行|做到|及时|全力|切实|认真|依法|定期|对|在|抓|做|，|；|。)"
)


@convention(reads="cooperate", example="县财政局要联合县审计局开展专项资金检查。", only_when="something_found")
def working_with(statement: Statement) -> Iterator[Party]:
    """「X要会同/协同/联合Y…」: Y cooperates with a party named otherwise (so only when one was)."""
    segment = statement.segment
    for match in _PARTNER_WORD.finditer(segment):
        partner = shortest_party(segment, match.end(), _PARTNER_FOLLOWER)
        if partner:
            yield party(partner, "cooperate", statement.start + match.end(), explicit=True)

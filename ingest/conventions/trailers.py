"""Responsibility trailers: a measure's units in brackets after it, as 意见 and 实施方案 write them.

「……加快老旧小区改造。（省住房城乡建设厅、省财政厅按职责分工负责）」: every unit listed shares the task;
where the document has said 「列第一位者为牵头单位，下同」, the first one leads. Other trailers name
roles outright: 「（市发展改革委牵头，市财政局、市自然资源局参与）」, 「（牵头单位：市人社局；配合单位：各区政府）」.
The trailer covers the measure before it, not the text after it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import cast

from ingest.conventions.registry import Party, Statement, convention
from ingest.conventions.spans import party
from ingest.language.boundaries import ends_with_trailer
from ingest.language.columns import COLUMNS, TABLE_FIELD, column_title
from ingest.language.roles import FIRST_LISTED_LEADS, ROLES, SHARING, Role, alternation, role_of, words_for

_ROLE_WORD = alternation(words_for("lead", "responsible", "cooperate", register="document"))
# 「扶贫办、教育部等按职责分工负责」: the units, then the word giving their role.
_NAMED = re.compile(f"(?P<names>[^：]+?(?:等)?)(?:{alternation(SHARING)})?(?P<word>{_ROLE_WORD})")
_CLAUSE = re.compile(r"[^，；。]+")
_ITEM_SPLIT = "、"
_MAX_NAMES_CHARS = 120  # a list longer than this is prose, not a trailer


@convention(
    reads="lead, responsible, cooperate",
    example="加快推进老旧小区改造。（省住房城乡建设厅牵头，省财政厅负责，各市县参与）",
    exclusive=True,
)
def bracketed_trailer(statement: Statement) -> Iterator[Party]:
    """「…。（X、Y按职责分工负责）」「…。（X牵头，Y参与）」: the units in the trailer that closes a measure."""
    trailer = ends_with_trailer(statement.text, statement.start, statement.end)
    if trailer is None:
        return
    body_start = trailer.start() + 1
    first_leads = _first_listed_leads(statement.text, trailer.end())
    for clause in _CLAUSE.finditer(statement.text, body_start, trailer.end() - 1):
        if FIRST_LISTED_LEADS.search(clause.group()):
            continue  # the note itself
        yield from _clause_parties(clause.group(), clause.start(), first_leads)


def _clause_parties(clause: str, start: int, first_leads: bool) -> Iterator[Party]:
    """The parties of one clause of a trailer: 「X、Y负责」, 「X牵头」 or 「牵头单位：X」."""
    cell = TABLE_FIELD.fullmatch(clause)
    if cell and COLUMNS[cell[1]] in ROLES:
        role, title = cast(Role, COLUMNS[cell[1]]), column_title(cell[1])
        yield party(cell[2], role, start + cell.start(2), explicit=True, title=title)
        return
    named = _NAMED.fullmatch(clause)
    if named is None or len(named["names"]) > _MAX_NAMES_CHARS:
        return
    role = cast(Role, role_of(named["word"]))
    names, names_start = named["names"], start + named.start("names")
    first, _, rest = names.partition(_ITEM_SPLIT)
    if role == "responsible" and first_leads and rest:
        yield party(first, "lead", names_start, explicit=True)
        yield party(rest, "responsible", names_start + len(first) + 1, explicit=True)
    else:
        yield party(names, role, names_start, explicit=True)


def _first_listed_leads(text: str, until: int) -> bool:
    """Whether the document has said, by ``until``, that the first unit listed leads."""
    return any(position < until for position in _notes(text))


@lru_cache(maxsize=8)
def _notes(text: str) -> tuple[int, ...]:
    """Where a document says that the first unit listed leads (read once per document text)."""
    return tuple(match.start() for match in FIRST_LISTED_LEADS.finditer(text))

"""Conventions that give a party a post: 「领导小组组长由县长担任」「副总理担任召集人」「X是第一责任人」.

The post is kept as the party's title, so that an answer says which post it holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.conventions.registry import Party, Statement, convention
from ingest.conventions.spans import party
from ingest.language.parties import is_party
from ingest.language.roles import CHARGE_TITLES, DEPUTY, LEADING_POSTS, POST_VERBS, Role, alternation

_POST = f"{DEPUTY}?(?:{alternation(LEADING_POSTS)})"
_POST_VERB = alternation(POST_VERBS)
# 「领导小组组长由县委书记担任」: the post, then its holder.
_POST_HELD_BY = re.compile(f"(?P<post>{_POST})由(?P<name>[^由]{{2,30}}?)(?:担任|兼任|出任)$")
# 「国务院分管教育工作的副总理担任召集人」「领导小组由县长任组长」: the holder, then the post.
_HOLDS_POST = re.compile(f"^(?:[^由]{{0,16}}由)?(?P<name>[^由]{{2,30}}?)(?:{_POST_VERB})(?P<post>{_POST})$")
# 「市政府领导是分管线的总责任人」: the party, 是/为, and a post of responsibility ending the clause.
_CHARGED = re.compile(f"(?:是|为|作为|系)[^是为]{{0,12}}?(?P<title>{alternation(CHARGE_TITLES)})$")


@convention(reads="lead, cooperate", example="领导小组组长由县委书记担任，常务副县长担任副组长。")
def post_holder(statement: Statement) -> Iterator[Party]:
    """「组长由X担任」「X担任召集人」「由X任组长」: X leads, with the post as its title; the holder of a
    deputy post (副组长) cooperates."""
    for start, body in statement.clauses():
        match = _POST_HELD_BY.search(body) or _HOLDS_POST.match(body)
        if match and is_party(match["name"]):
            post = match["post"]
            role: Role = "cooperate" if post.startswith(DEPUTY) else "lead"
            yield party(match["name"], role, start + match.start("name"), explicit=True, title=post)


@convention(reads="responsible", example="各部门主要负责人是第一责任人，分管领导是直接责任人。")
def charged(statement: Statement) -> Iterator[Party]:
    """「X是第一责任人」「X是分管线的总责任人」: X is responsible, with the post as its title."""
    for start, body in statement.clauses():
        match = _CHARGED.search(body)
        name = body[: match.start()] if match else ""
        if match and is_party(name):
            yield party(name, "responsible", start, explicit=True, title=match["title"])

"""The registry of document conventions: each way documents assign work, read by one function.

「由县发改局牵头，县财政局具体负责，…」 is read by one convention (``led_by``) and 「县财政局具体负责」 by
another (``clause_subject``). :func:`convention` registers a reader with the roles it gives and a
sentence in its style; :func:`parties_in` reads a statement with every convention in registry order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal, cast

from ingest.language.boundaries import CLAUSE, LEAD_INS
from ingest.language.roles import ROLES, Role

# When a convention is read: always, or only when the conventions before it found nothing / something.
When = Literal["always", "nothing_found", "something_found"]


@dataclass(frozen=True)
class Party:
    """A unit, body or post named in a sentence, with its role and normalised offsets: 「县财政局配合」."""

    name: str
    role: Role
    start: int
    end: int
    explicit: bool  # named with 牵头/负责/配合 (or a table column), not only as the subject of 要
    title: str | None = None  # the post or column that names it beyond its role: 第一责任人, 分管领导


@dataclass(frozen=True)
class Statement:
    """What a convention reads: a statement, or a part of one cut at ；: 「由县发改局牵头，县财政局配合。」.

    ``text`` is the whole normalised document, so that parties keep the document's offsets.
    """

    text: str
    start: int
    end: int

    @property
    def segment(self) -> str:
        """The statement's own text."""
        return self.text[self.start : self.end]

    def clauses(self) -> Iterator[tuple[int, str]]:
        """Each clause without its lead-in (此外，同时，要求…), with the document offset where it starts.

        >>> list(Statement("此外，要求各乡镇在月底前上报。", 0, 15).clauses())
        [(5, '各乡镇在月底前上报')]
        """
        for clause in CLAUSE.finditer(self.segment):
            lead_in = LEAD_INS.match(clause.group())
            offset = lead_in.end() if lead_in else 0
            if clause.end() - clause.start() > offset:
                yield self.start + clause.start() + offset, clause.group()[offset:]


Reader = Callable[[Statement], Iterator[Party]]


@dataclass(frozen=True)
class Convention:
    """One way documents assign work: its reader, the roles it gives, a sentence in its style, and
    when it is read (「由X牵头」 always; 「各…要」 only when nothing else named a party)."""

    name: str
    reads: tuple[Role, ...]
    example: str
    run: Reader
    exclusive: bool = False  # when it finds parties, they are the statement's only parties
    only_when: When = "always"


# Every convention, in the order statements are read with them (see ingest/conventions/__init__.py).
CONVENTIONS: list[Convention] = []


def convention(
    *, reads: str, example: str, exclusive: bool = False, only_when: When = "always"
) -> Callable[[Reader], Reader]:
    """Register a reader of one document convention; ``example`` is a sentence it must read.

    ``reads`` lists the roles its parties may take: ``"lead, responsible"``.
    """
    roles = tuple(role.strip() for role in reads.split(","))
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise ValueError(f"unknown roles {unknown} in reads={reads!r}; roles are {ROLES}")

    def register(fn: Reader) -> Reader:
        CONVENTIONS.append(Convention(fn.__name__, cast(tuple[Role, ...], roles), example, fn, exclusive, only_when))
        return fn

    return register


def parties_in(statement: Statement) -> list[Party]:
    """Every party a statement names, read with each convention in turn; a name in one role once,
    and a name some convention gives a role in so many words not also in the role only implied.

    「由县发改局牵头，县财政局配合，…」 → 县发改局 (lead), 县财政局 (cooperate); 「县财政局要会同县审计局…」
    → 县财政局 leads (会同), not also responsible (as the subject of 要).
    """
    found: list[Party] = []
    for registered in CONVENTIONS:
        if (registered.only_when == "nothing_found" and found) or (
            registered.only_when == "something_found" and not found
        ):
            continue
        parties = list(registered.run(statement))
        if registered.exclusive and parties:
            return parties
        found.extend(parties)
    return _deduplicated(found)


def _deduplicated(parties: list[Party]) -> list[Party]:
    stated = {party.name for party in parties if party.explicit}
    seen: set[tuple[str, str]] = set()
    unique = []
    for party in parties:
        key = (party.name, party.role)
        if key not in seen and (party.explicit or party.name not in stated):
            seen.add(key)
            unique.append(party)
    return unique

"""Who leads, who is responsible, who cooperates, and by when: the assignments of one statement.

「由县发改局牵头，抓好项目谋划；县财政局要做好资金保障，6月底前完成。」 → two assignments, one per
part cut at ；, each with the parties the registered conventions read in it and its time limit.
Precision over recall: a party must look like a unit or a post, else nothing is claimed.
Works on normalised text (full-width punctuation, directed quotes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.chunking import sentence_spans
from ingest.conventions.registry import Party, Statement, parties_in
from ingest.conventions.table_rows import row_value
from ingest.language.boundaries import ends_with_trailer, row_line
from ingest.language.columns import TABLE_DEADLINE, TABLE_FIELD
from ingest.language.cover import Cover
from ingest.language.roles import Role
from ingest.language.terms import quoted_spans
from ingest.language.times import DEADLINE, LIMIT_END
from ingest.normalize import normalize


@dataclass(frozen=True)
class Assignment:
    """One task: a span of whole clauses with the parties assigned to it and its time limit.

    「由县发改局牵头，6月底前完成项目入库。」 → 县发改局 leads, by 6月底前.
    """

    start: int
    end: int
    parties: tuple[Party, ...] = ()
    deadline: str | None = None
    deadline_span: tuple[int, int] | None = field(default=None, compare=False)
    scope: str | None = None  # where a table row's task applies: 「推广范围：全国」

    def named(self, role: Role) -> tuple[Party, ...]:
        return tuple(party for party in self.parties if party.role == role)


def find_assignments(text: str, start: int, end: int) -> list[Assignment]:
    """Assignments in the statement ``text[start:end]`` (one sentence ending in 。！？).

    The statement is cut at ；; a part with no party of its own continues the task before it, and
    parts that only give posts (「A是总责任人；B是第一责任人」) stay one task.
    """
    units: list[tuple[int, int, list[Party]]] = []
    # A table row (重点任务：…；牵头单位：…；, or cells) and a measure closed by a trailer are one task.
    whole = TABLE_FIELD.search(text, start, end) or ends_with_trailer(text, start, end) or row_line(text, start)
    parts = [(start, end)] if whole else _parts(text, start, end)
    for part_start, part_end in parts:
        parties = parties_in(Statement(text, part_start, part_end))
        if parties or not units:
            units.append((part_start, part_end, parties))
        else:
            previous_start, _, previous_parties = units[-1]
            units[-1] = (previous_start, part_end, previous_parties)
    if len(units) > 1 and all(party.title for _, _, parties in units for party in parties):
        # 「A是总责任人；B是第一责任人；C是直接责任人。」: parts that only give posts divide one task.
        units = [(units[0][0], units[-1][1], [party for _, _, parties in units for party in parties])]
    assignments = []
    for unit_start, unit_end, parties in units:
        if not parties:
            continue
        deadline = _deadline_in(text, unit_start, unit_end, parties)
        scope = row_value(text, unit_start, unit_end, "scope") if whole else None
        assignments.append(
            Assignment(unit_start, unit_end, tuple(parties), deadline[0] if deadline else None,
                       deadline[1] if deadline else None, scope)
        )  # fmt: skip
    return assignments


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    parts = []
    part_start = start
    for match in re.finditer("；", text[start:end]):
        parts.append((part_start, start + match.end()))
        part_start = start + match.end()
    if part_start < end:
        parts.append((part_start, end))
    return parts


def _deadline_in(text: str, start: int, end: int, parties: list[Party]) -> tuple[str, tuple[int, int]] | None:
    table = TABLE_DEADLINE.search(text[start:end])
    if table:
        return table.group(1).strip(), (start + table.start(1), start + table.end(1))
    # A time named before the first party sets the scene (「现在已临近年底，…」), not a deadline.
    first_party = min((party.start for party in parties), default=start)
    match = DEADLINE.search(text, first_party, end)
    return (match.group(), (match.start(), match.end())) if match else None


def find_deadlines(text: str, assignment: Assignment) -> list[tuple[str, int, int]]:
    """Every time requirement of an assignment, in order: 「第一时间…，做到事不过夜」 gives both.

    A table's 完成时限 column is the whole answer. Otherwise times after the first party count,
    and before it only a limit (「年底前，县财政局要…」), not a scene (「现在已临近年底」); times
    inside quotes are slogans (「“马上办”」), not deadlines.
    """
    if TABLE_FIELD.search(text, assignment.start, assignment.end):  # a table row: its column only
        if assignment.deadline_span and TABLE_DEADLINE.search(text, assignment.start, assignment.end):
            start, end = assignment.deadline_span
            return [(text[start:end], start, end)]
        return []
    first_party = min((party.start for party in assignment.parties), default=assignment.start)
    quoted = Cover(quoted_spans(text, assignment.start, assignment.end))
    found: list[tuple[str, int, int]] = []
    for match in DEADLINE.finditer(text, assignment.start, assignment.end):
        inside = quoted.holds(match.start())
        if inside or (match.start() < first_party and not LIMIT_END.search(match.group())):
            continue
        if match.group() not in [value for value, _, _ in found]:
            found.append((match.group(), match.start(), match.end()))
    return found


def assigned(text: str) -> set[tuple[str, str]]:
    """The (role, party) pairs a text assigns, read as ingest reads documents.

    >>> sorted(assigned("由县发改局牵头，县财政局配合。"))
    [('cooperate', '县财政局'), ('lead', '县发改局')]
    """
    normalised = normalize(text).text
    return {
        (party.role, party.name)
        for start, end in sentence_spans(normalised, fine=False)
        for assignment in find_assignments(normalised, start, end)
        for party in assignment.parties
    }

"""Who leads, who is responsible, who cooperates, and by when: read off single sentences.

Patterns of Chinese official writing: 「由X牵头，Y要…」, 「由X牵头，Y具体负责，…」, 「X要…」 where X is
a unit or a post, 「X负责…」, 「X配合」 and table rows 「牵头单位：X；责任单位：Y；完成时限：Z。」.
Precision over recall: a party must look like a unit or a post, else nothing is claimed.
Works on normalised text (full-width punctuation, directed quotes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.language.boundaries import CLAUSE
from ingest.language.columns import COLUMNS, PARTY_COLUMNS, columns_for
from ingest.language.parties import MAX_PARTY_CHARS, is_party
from ingest.language.roles import (
    MODALS,
    PARTNER_WORDS,
    PROHIBITIONS,
    Role,
    alternation,
    role_of,
    words_for,
)
from ingest.language.terms import quoted_spans
from ingest.language.times import DEADLINE, LIMIT_END

# 由X牵头 is not said by 「不再由X牵头」.
_NEGATED_BY = re.compile(r"(?:不|不再|不能|不得|无需|不必|并非|而非|非)$")
# 「县财政局要会同市发改委加快…」: who works with the subject.
_TOGETHER_WITH = re.compile(alternation(PARTNER_WORDS))
_PARTNER_FOLLOWER = re.compile(
    r"(?:加快|开展|推行|抓好|做好|深入|严厉|组成|组织|制定|实行|落实|推进|建立|共同|加强|推动|研究|督促|指导|完成"
    r"|实施|办理|处理|进行|做到|及时|全力|切实|认真|依法|定期|对|在|抓|做|，|；|。)"
)
_LEAD_INS = re.compile(
    r"^(?:此外|同时|另外|会后|其中|对此|为此|特别是|尤其是|首先|其次|再次|最后|[一二三四五六七八九十]是|并|要求|请)[，：]?"
)
LEAD_INS = _LEAD_INS  # words that open a clause before its subject (此外，… / 会后，…)
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
_NEGATED = re.compile(f"^(?:{alternation(PROHIBITIONS)})")
# Who a statement addresses (各位乡镇长…, 各级各部门…, 全县政府系统…) and a later clause that only
# says what they must do (「…，一定要躬身入局」, 「…，都要有…」).
_ADDRESS = re.compile(r"各|全县|全市|全区|全镇|全乡|全省")
_COVERB = re.compile(r"对于|对|在|身处|作为|根据|按照|围绕|结合|面对|针对|无论|不论")
_SUBJECTLESS = re.compile(r"^(?:都|也|更|还|就)?(?:一定要|务必要|务必|必须|要)(?!求)")
# What follows a party that opens a clause: a role word (「X牵头」「X具体负责」) or a modal (「X要…」).
_SUBJECT_VERBS = re.compile(
    f"({alternation([*words_for('lead', 'responsible', 'cooperate', register='document'), *MODALS])})"
)
# 「牵头单位：X；完成时限：Y」: a table row's cells.
_TABLE_FIELD = re.compile(f"({alternation([*PARTY_COLUMNS, *columns_for('deadline')])})：([^；。]+)")
_TABLE_DEADLINE = re.compile(f"(?:{alternation(columns_for('deadline'))})：([^；。]+)")


@dataclass(frozen=True)
class Party:
    """A unit, body or post named in a sentence, with its role and normalised offsets."""

    name: str
    role: Role
    start: int
    end: int
    explicit: bool  # named with 牵头/负责/配合 (or a table column), not only as the subject of 要


@dataclass(frozen=True)
class Assignment:
    """One task: a span of whole clauses with the parties assigned to it and its time limit."""

    start: int
    end: int
    parties: tuple[Party, ...] = ()
    deadline: str | None = None
    deadline_span: tuple[int, int] | None = field(default=None, compare=False)

    def named(self, role: Role) -> tuple[Party, ...]:
        return tuple(party for party in self.parties if party.role == role)


def find_assignments(text: str, start: int, end: int) -> list[Assignment]:
    """Assignments in the statement ``text[start:end]`` (one sentence ending in 。！？).

    The statement is cut at ；; a part with no party of its own continues the task before it.
    """
    units: list[tuple[int, int, list[Party]]] = []
    # A table row (重点任务：…；牵头单位：…；) is one task whatever its ；.
    parts = [(start, end)] if _TABLE_FIELD.search(text, start, end) else _parts(text, start, end)
    for part_start, part_end in parts:
        parties = _parties_in(text, part_start, part_end)
        if parties or not units:
            units.append((part_start, part_end, parties))
        else:
            previous_start, _, previous_parties = units[-1]
            units[-1] = (previous_start, part_end, previous_parties)
    assignments = []
    for unit_start, unit_end, parties in units:
        if not parties:
            continue
        deadline = _deadline_in(text, unit_start, unit_end, parties)
        assignments.append(
            Assignment(unit_start, unit_end, tuple(parties), deadline[0] if deadline else None,
                       deadline[1] if deadline else None)
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


def _parties_in(text: str, start: int, end: int) -> list[Party]:
    segment = text[start:end]
    parties: list[Party] = []
    for match in _TABLE_FIELD.finditer(segment):
        role = COLUMNS[match.group(1)]
        if role != "deadline":
            value_start = start + match.start(2)
            parties.extend(_split_party_list(match.group(2).strip(), role, value_start, explicit=True))
    if parties:
        return parties
    for match in re.finditer("由", segment):
        if _NEGATED_BY.search(segment, 0, match.start()):
            continue  # 不再由X牵头
        found = _longest_party(segment, match.end(), _BY_VERBS)
        if found:
            name, verb = found
            after = match.end() + len(name) + len(verb)
            leads = role_of(verb) == "lead" or segment.startswith("牵头", after)
            role: Role = "lead" if leads else "responsible"
            parties.extend(_split_party_list(name, role, start + match.end(), explicit=True))
    for match in re.finditer("会同", segment):  # 县自然资源局要会同县公安局…
        found = _longest_party(segment, match.end(), _AFTER_PARTNER)
        if found:
            parties.extend(_split_party_list(found[0], "cooperate", start + match.end(), explicit=True))
    for match in _SEATED_AT.finditer(segment):  # 领导小组办公室设在县农业农村局
        if is_party(match.group(1)):
            parties.extend(_split_party_list(match.group(1), "responsible", start + match.start(1), explicit=True))
    for clause in CLAUSE.finditer(segment):
        parties.extend(_clause_subject(text, start + clause.start(), start + clause.end()))
    if not parties:
        parties.extend(_addressed(text, start, end))
    if parties:
        for match in _TOGETHER_WITH.finditer(segment):
            partner = _partner(segment, match.end())
            if partner:
                parties.extend(_split_party_list(partner, "cooperate", start + match.end(), explicit=True))
    return _deduplicated(parties)


def _addressed(text: str, start: int, end: int) -> list[Party]:
    """「各位乡镇长…身处一线，…，一定要躬身入局」: a statement that opens by addressing 各…/全县…
    and later says 要 with no subject of its own assigns the task to those addressed."""
    segment = text[start:end]
    for clause in CLAUSE.finditer(segment):
        lead_in = _LEAD_INS.match(clause.group())
        offset = clause.start() + (lead_in.end() if lead_in else 0)
        if not _ADDRESS.match(segment, offset):
            continue
        limit = min(MAX_PARTY_CHARS, clause.end() - offset)
        for length in range(limit, 1, -1):
            name = segment[offset : offset + length]
            if is_party(name) and (length == limit or _COVERB.match(segment, offset + length)):
                later = CLAUSE.finditer(segment, offset + length)
                if any(_SUBJECTLESS.match(following.group()) for following in later):
                    return [Party(name, "responsible", start + offset, start + offset + length, False)]
                break
    return []


def _clause_subject(text: str, start: int, end: int) -> list[Party]:
    """A party opening a clause: 「X牵头」, 「X（具体）负责」, 「X配合」 or 「X要…」."""
    clause = text[start:end]
    lead_in = _LEAD_INS.match(clause)
    offset = lead_in.end() if lead_in else 0
    body = clause[offset:]
    if body.startswith("由"):
        return []  # handled as 由X牵头 by the caller
    found = _longest_party(body, 0, _SUBJECT_VERBS)
    if not found and lead_in and lead_in.group().startswith(("要求", "请")):
        found = _longest_party(body, 0, re.compile(r"(在|于|按|按照|抓紧|及时|认真|尽快|切实|立即|做好|抓好)"))
        if found:  # 要求各乡镇（街道）在12月20日前上报…
            return _split_party_list(found[0], "responsible", start + offset, explicit=False)
    if not found or _NEGATED.match(body[len(found[0]) + len(found[1]) :]) or found[0].startswith("“"):
        return []
    name, verb = found
    match_end = len(name) + len(verb)
    if (verb in MODALS or role_of(verb) == "responsible") and body[match_end:].startswith("牵头"):
        verb = "牵头"  # 县应急管理局要牵头抓好… / 县政府办公室负责牵头协调
    role: Role = role_of(verb) or "responsible"  # type: ignore[assignment]
    explicit = role_of(verb) is not None
    return _split_party_list(name, role, start + offset, explicit=explicit)


def _longest_party(text: str, start: int, verbs: re.Pattern[str]) -> tuple[str, str] | None:
    """The longest party starting at ``start`` that a verb follows: (party, verb)."""
    stop = re.search(r"[，；：。！？]", text[start:])
    limit = min(MAX_PARTY_CHARS, stop.start() if stop else len(text) - start)
    for length in range(limit, 1, -1):
        verb = verbs.match(text, start + length)
        if verb and is_party(text[start : start + length]):
            return text[start : start + length], verb.group(1)
    return None


def _partner(text: str, start: int) -> str | None:
    """The units after 会同/协同/联合: the shortest party (or list) that an action follows.

    Shortest, because a party can swallow its own action (「县防指办组成暗查暗访组」 ends in 组)."""
    stop = re.search(r"[，；：。！？]", text[start:])
    limit = min(MAX_PARTY_CHARS, stop.start() if stop else len(text) - start)
    for length in range(2, limit + 1):
        name = text[start : start + length]
        if _PARTNER_FOLLOWER.match(text, start + length) and is_party(name):
            return name
    return None


def _split_party_list(name: str, role: Role, start: int, *, explicit: bool) -> list[Party]:
    """A list such as 「各乡镇（办事处）、各单位」 stays one party: users read it as one answer."""
    name = name.strip()
    return [Party(name, role, start, start + len(name), explicit)]


def _deduplicated(parties: list[Party]) -> list[Party]:
    seen: set[tuple[str, str]] = set()
    unique = []
    for party in parties:
        key = (party.name, party.role)
        if key not in seen:
            seen.add(key)
            unique.append(party)
    return unique


def _deadline_in(text: str, start: int, end: int, parties: list[Party]) -> tuple[str, tuple[int, int]] | None:
    table = _TABLE_DEADLINE.search(text[start:end])
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
    if _TABLE_FIELD.search(text, assignment.start, assignment.end):  # a table row: its column only
        if assignment.deadline_span and _TABLE_DEADLINE.search(text, assignment.start, assignment.end):
            start, end = assignment.deadline_span
            return [(text[start:end], start, end)]
        return []
    first_party = min((party.start for party in assignment.parties), default=assignment.start)
    quoted = quoted_spans(text, assignment.start, assignment.end)
    found: list[tuple[str, int, int]] = []
    for match in DEADLINE.finditer(text, assignment.start, assignment.end):
        inside = any(start <= match.start() < end for start, end in quoted)
        if inside or (match.start() < first_party and not LIMIT_END.search(match.group())):
            continue
        if match.group() not in [value for value, _, _ in found]:
            found.append((match.group(), match.start(), match.end()))
    return found

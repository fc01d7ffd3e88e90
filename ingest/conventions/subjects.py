"""Conventions that name a unit as the subject of its clause: 「县财政局具体负责」「县公安局要…」,
「县发改局要发挥牵头作用」, 「县教育局会同县财政局…」.

Also those a statement addresses (「各位乡镇长身处一线，…，一定要躬身入局」) when nothing else is named.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.conventions.registry import Party, Statement, convention
from ingest.conventions.spans import longest_party, party
from ingest.language.boundaries import CLAUSE, LEAD_INS
from ingest.language.parties import ADDRESS, MAX_PARTY_CHARS, is_party
from ingest.language.roles import (
    IMPERATIVES,
    LEAD_DUTY,
    MODALS,
    PROHIBITIONS,
    REQUEST_WORDS,
    Role,
    alternation,
    role_of,
    words_for,
)

# What follows a party that opens a clause: a role word (「X牵头」「X具体负责」) or a modal (「X要…」);
# not a role word that opens a noun (「各部门主要负责人是…」「X牵头单位」).
_SUBJECT_VERBS = re.compile(
    f"({alternation([*words_for('lead', 'responsible', 'cooperate', register='document'), *MODALS])})"
    "(?!人|同志|单位|部门|领导)"
)
# 「县发改局要发挥牵头作用」「海关总署要继续做好牵头工作」: a modal, then the duty of leading.
_LEAD_DUTY = re.compile(f"((?:{alternation(MODALS)})?(?:{LEAD_DUTY.pattern}))")
# 「县教育局会同县财政局制定…」「县发改局要会同…」: the party that works together with others leads.
_CONVENES = re.compile(f"((?:{alternation(MODALS)})?会同)")
# What follows the party after 要求/请: 「要求各乡镇（街道）在12月20日前上报…」.
_REQUESTED_VERBS = re.compile(r"(在|于|按|按照|抓紧|及时|认真|尽快|切实|立即|做好|抓好)")
_PROHIBITED = re.compile(f"^(?:{alternation(PROHIBITIONS)})")
# What follows those addressed before their task: 「各位乡镇长身处一线，…」.
_COVERB = re.compile(r"对于|对|在|身处|作为|根据|按照|围绕|结合|面对|针对|无论|不论")
# A later clause that only says what those addressed must do: 「…，一定要躬身入局」「…，都要有…」.
_SUBJECTLESS = re.compile(f"^(?:都|也|更|还|就)?(?:{alternation(IMPERATIVES)})(?!求)")


@convention(
    reads="lead, responsible, cooperate", example="县应急管理局牵头，县消防救援大队配合，各乡镇要抓好隐患排查。"
)
def clause_subject(statement: Statement) -> Iterator[Party]:
    """A party opening a clause: 「X牵头」「X（具体）负责」「X配合」「X要…」「X应当牵头…」「要求X在…前…」."""
    for clause in CLAUSE.finditer(statement.segment):
        yield from _subject(statement.text, statement.start + clause.start(), statement.start + clause.end())


def _subject(text: str, start: int, end: int) -> list[Party]:
    clause = text[start:end]
    lead_in = LEAD_INS.match(clause)
    offset = lead_in.end() if lead_in else 0
    body = clause[offset:]
    if body.startswith("由"):
        return []  # 由X牵头 is led_by's
    found = longest_party(body, 0, _SUBJECT_VERBS)
    if not found and lead_in and lead_in.group().startswith(REQUEST_WORDS):
        found = longest_party(body, 0, _REQUESTED_VERBS)
        if found:  # 要求各乡镇（街道）在12月20日前上报…
            return [party(found[0], "responsible", start + offset, explicit=False)]
    if not found or _PROHIBITED.match(body[len(found[0]) + len(found[1]) :]) or found[0].startswith("“"):
        return []
    name, verb = found
    match_end = len(name) + len(verb)
    if (verb in MODALS or role_of(verb) == "responsible") and body[match_end:].startswith("牵头"):
        verb = "牵头"  # 县应急管理局要牵头抓好… / 县政府办公室负责牵头协调
    role: Role = role_of(verb) or "responsible"  # type: ignore[assignment]
    return [party(name, role, start + offset, explicit=role_of(verb) is not None)]


@convention(reads="lead", example="县发改局要发挥牵头作用，会同县财政局做好项目储备。")
def lead_duty(statement: Statement) -> Iterator[Party]:
    """「X要发挥牵头作用」「X要继续做好牵头工作」: X leads."""
    for clause_start, body in statement.clauses():
        found = longest_party(body, 0, _LEAD_DUTY)
        if found:
            yield party(found[0], "lead", clause_start, explicit=True)


@convention(reads="lead", example="县教育局会同县财政局制定实施细则。")
def convener(statement: Statement) -> Iterator[Party]:
    """「X会同Y制定…」「由X会同Y…」「X要会同Y…」: X leads (Y, who cooperates, is together_with's)."""
    for clause_start, body in statement.clauses():
        opening = 1 if body.startswith("由") else 0
        found = longest_party(body, opening, _CONVENES)
        if found:
            yield party(found[0], "lead", clause_start + opening, explicit=True)


@convention(reads="responsible", example="各位乡镇长身处一线，情况最熟，一定要躬身入局。", only_when="nothing_found")
def addressed(statement: Statement) -> Iterator[Party]:
    """「各位乡镇长身处一线，…，一定要躬身入局」: a statement that opens by addressing 各…/全县… and
    later says 要 with no subject of its own assigns the task to those addressed."""
    segment = statement.segment
    clauses = list(CLAUSE.finditer(segment))
    # Whether a clause after the i-th says what to do without a subject (read once, not per clause).
    subjectless_after = [False] * (len(clauses) + 1)
    for index in range(len(clauses) - 1, -1, -1):
        subjectless_after[index] = subjectless_after[index + 1] or bool(_SUBJECTLESS.match(clauses[index].group()))
    for index, clause in enumerate(clauses):
        lead_in = LEAD_INS.match(clause.group())
        offset = clause.start() + (lead_in.end() if lead_in else 0)
        if not ADDRESS.match(segment, offset):
            continue
        limit = min(MAX_PARTY_CHARS, clause.end() - offset)
        for length in range(limit, 1, -1):
            name = segment[offset : offset + length]
            if is_party(name) and (length == limit or _COVERB.match(segment, offset + length)):
                rest = segment[offset + length : clause.end()]
                if (rest and _SUBJECTLESS.match(rest)) or subjectless_after[index + 1]:
                    start = statement.start + offset
                    yield Party(name, "responsible", start, start + length, False)
                    return
                break

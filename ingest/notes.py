"""The notes a document explains its terms in: the entries of its 名词解释 section and the notes its
body marks point at (「“强村富民”【3】」 → 「【3】指发展壮大村级集体经济。」).

An entry may run over several lines: the lines after it that open with no number belong to it,
inside a notes section. Works on normalised text.

>>> text = "实施“强村富民”【1】工程。\\n注释\\n【1】“强村富民”：\\n指发展壮大村级集体经济。"
>>> [(entry.number, entry.head, text[entry.body_start : entry.body_end]) for entry in entries(text)]
[(1, '“强村富民”', '指发展壮大村级集体经济。')]
>>> note_for(text, text.index("【1】"))[0]
'指发展壮大村级集体经济'
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from ingest.language.notes import ENTRY_NUMBER, NOTE_MARKER, NOTES_HEADING, marks_alike, note_number

# 「2.“三级两类”养老服务网络：」: the words an entry explains, up to its colon.
_HEAD = re.compile(r"(?P<head>[^：\n。；！？]{1,30}?)：[ \t]*")
# How much of an entry a definition keeps.
_MAX_NOTE_CHARS = 400
# A note mark right after a term or a few words after it: 「“强村富民”工程【3】」.
_MARK_AFTER = re.compile(rf"[\u4e00-\u9fff]{{0,6}}?(?:{NOTE_MARKER.pattern})")


@dataclass(frozen=True)
class Entry:
    """A numbered note or glossary entry: its number and opening mark, the words before its colon
    (None if it has no colon-ended head), and its body's span (to the next entry)."""

    number: int
    mark: re.Match[str]
    in_notes_section: bool
    head: str | None
    head_start: int
    body_start: int
    body_end: int


@lru_cache(maxsize=32)
def entries(text: str) -> tuple[Entry, ...]:
    """Every numbered line of the notes sections, and every line opened by a note mark (【3】①[2]注1)."""
    headings = [(match.start(), match.end()) for match in NOTES_HEADING.finditer(text)]
    section_start = headings[0][1] if headings else len(text)
    found: list[Entry] = []
    for mark in ENTRY_NUMBER.finditer(text):
        in_section = mark.start() >= section_start
        if not in_section and (mark.group("dotted") or mark.group("parenthesised")):
            continue  # a numbered heading of the body, not a note
        head = _HEAD.match(text, mark.end(), _line_end(text, mark.end()))
        body_start = head.end() if head else mark.end()
        if body_start < len(text) and text[body_start] == "\n":
            body_start += 1  # 「3.“强村富民”：」, its definition on the next line
        found.append(
            Entry(
                note_number(mark),
                mark,
                in_section,
                head.group("head").strip() if head else None,
                mark.end(),
                body_start,
                _line_end(text, body_start),
            )
        )
    for index, entry in enumerate(found):
        if not entry.in_notes_section:
            continue
        limit = found[index + 1].mark.start() if index + 1 < len(found) else len(text)
        following = bisect.bisect_right(headings, (entry.body_start, entry.body_start))
        if following < len(headings):
            limit = min(limit, headings[following][0])  # the next notes section's heading
        found[index] = Entry(
            entry.number,
            entry.mark,
            True,
            entry.head,
            entry.head_start,
            entry.body_start,
            _body_end(text, entry, limit),
        )
    return tuple(found)


def note_for(text: str, position: int, term: str | None = None) -> tuple[str, int, int] | None:
    """The note a mark at ``position`` (after a term and at most a few words) points at: its text
    (without the head that names the term again), start and end.

    A note opened by the same mark (【3】 for 【3】) comes first, then an entry numbered 3 of a notes
    section; an entry whose head quotes another term than ``term`` is not its note.
    """
    marker = _MARK_AFTER.match(text, position)
    if marker is None:
        return None
    number = note_number(marker)
    after = [entry for entry in entries(text) if entry.number == number and entry.mark.start() > marker.start()]
    for entry in sorted(after, key=lambda entry: not marks_alike(marker, entry.mark)):
        if not (marks_alike(marker, entry.mark) or entry.in_notes_section):
            continue
        if term and entry.head and "“" in entry.head and f"“{term}”" not in entry.head:
            continue
        definition = text[entry.body_start : entry.body_end].rstrip("。 \n")
        if definition:
            return definition, entry.body_start, entry.body_start + len(definition)
    return None


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


def _body_end(text: str, entry: Entry, limit: int) -> int:
    """Where an entry of a notes section ends: before the next entry, within the length kept, on a
    sentence end when it is cut."""
    end = min(limit, entry.body_start + _MAX_NOTE_CHARS)
    body = text[entry.body_start : end].rstrip()
    if end < limit and "。" in body:
        body = body[: body.rindex("。") + 1]
    return entry.body_start + len(body)

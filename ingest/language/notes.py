"""Notes and glossaries: how a document numbers the notes that explain its terms, and how its body
points at them.

政府工作报告 end with a 名词解释 (or 名词注释) section of numbered entries 「2.“三级两类”养老服务网络：…」;
other documents mark a term in the body (「“强村富民”【3】」「…①」「…[2]」「…注1」) and explain it in
a note that opens its line with the same mark.

>>> [note_number(m) for m in NOTE_MARKER.finditer("实施“强村富民”【3】和“共富工坊”②建设注4")]
[3, 2, 4]
"""

from __future__ import annotations

import re

# 「名词解释」「《政府工作报告》有关内容名词注释」「注释：」: a line that heads a notes section.
NOTES_HEADING = re.compile(r"^[^\n。，；]{0,24}?(?:名词解释|名词注释|名词释义|术语解释|注释|注解)[：]?[ \t]*$", re.M)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# A mark in the body that points at note n: 【12】, [3], ①, 注1 (not 「注1：」, which opens the note).
NOTE_MARKER = re.compile(
    rf"【(?P<bracketed>\d{{1,3}})】|\[(?P<square>\d{{1,3}})\]|(?P<circled>[{_CIRCLED}])|注(?P<named>\d{{1,2}})(?![\d：.、])"
)
# What numbers a note or a glossary entry at its line's start: 「2.」「12、」「（3）」「【4】」「[5]」「⑥」「注7：」;
# 「20.2026年10件民生实事：」 is entry 20, 「3.5%」 is no entry.
ENTRY_NUMBER = re.compile(
    rf"^[ \t]*(?:(?P<dotted>\d{{1,3}})[.、](?!\d*(?:\.\d+)?[%‰万亿])|（(?P<parenthesised>\d{{1,3}})）"
    rf"|【(?P<bracketed>\d{{1,3}})】|\[(?P<square>\d{{1,3}})\]|(?P<circled>[{_CIRCLED}])"
    rf"|注(?P<named>\d{{1,2}})[：.、]?)[ \t]*",
    re.M,
)


def note_number(match: re.Match[str]) -> int:
    """The number a :data:`NOTE_MARKER` or :data:`ENTRY_NUMBER` match gives.

    >>> note_number(ENTRY_NUMBER.match("⑫“双一流”：…")), note_number(ENTRY_NUMBER.match("20.2026年民生实事："))
    (12, 20)
    >>> ENTRY_NUMBER.match("3.5%的增速")
    """
    value = next(group for group in match.groupdict().values() if group)
    return _CIRCLED.index(value) + 1 if value in _CIRCLED else int(value)


def marks_alike(marker: re.Match[str], entry: re.Match[str]) -> bool:
    """Whether a note's opening mark is written as the body's marker is (【3】 and 【3】, ① and ①);
    a plain number (「3.」) answers any marker inside a notes section.

    >>> marks_alike(NOTE_MARKER.search("路【3】"), ENTRY_NUMBER.match("【3】指…"))
    True
    >>> marks_alike(NOTE_MARKER.search("路【3】"), ENTRY_NUMBER.match("③指…"))
    False
    """
    style = next(name for name, group in marker.groupdict().items() if group)
    return bool(entry.group(style)) if style in entry.groupdict() else False

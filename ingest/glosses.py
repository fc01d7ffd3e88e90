"""Definitions written without a quoted term right before them (:mod:`ingest.slogans` reads those):

- aliases: 「建立权力清单和责任清单（统称“两单”）」 defines 两单 by the words before the bracket;
- glossary entries: 「2.“三级两类”养老服务网络：“三级”为县、乡、村…」 and, in a 名词解释
  section, 「4.数字乡村平台：」 with the definition on the lines after it;
- stated definitions: 「本方案所称职业技能等级证书，是指…」「新型经营主体是指…」;
- at answer time, a term the question names, written bare: 「八大方面工作（六项重点工作+…）」, and a
  numbered formula never named, whose items the text lists: 三大短板 → 「人才短板、资金短板、技术短板」.

>>> [(m.term, m.definition) for m in find_glosses("建立权力清单和责任清单（统称“两单”）。")]
[('两单', '权力清单和责任清单')]
"""

from __future__ import annotations

import re

from ingest.language.cover import Cover
from ingest.language.notes import NOTE_MARKER
from ingest.language.terms import (
    ALIAS,
    STATED_DEFINITION,
    formula_count,
    formula_head,
    quoted_spans,
    quoted_terms,
    term_key,
)
from ingest.language.tokens import first_item, object_of
from ingest.notes import entries
from ingest.slogans import SloganMention, definition_after, find_slogans

_MAX_DEFINITION_CHARS = 300
# A quoted span this close before an alias's bracket is what the alias names: 「启动“甲+乙”制度试点（以下称…）」.
_QUOTE_REACH = 6
# Where a statement (and so a stated definition) may open; 「（一）」「1.」 numbering is passed over.
_OPENING = re.compile(
    r"(?:^|(?<=[。！？；\n]))[ \t]*"
    r"(?:[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,3}[.、]|[一二三四五六七八九十]{1,3}、)?"
)
# 「人才短板、资金短板和技术短板」: the items of a list within one clause.
_ITEM_SPLIT = re.compile(r"、|(?:以及|和|及|与)(?=[^、]*$)")


def find_glosses(text: str, start: int = 0, end: int | None = None) -> list[SloganMention]:
    """Aliases, glossary entries and stated definitions in ``text[start:end]``."""
    end = len(text) if end is None else end
    found = [*_aliases(text, start, end), *_glossary(text, start, end), *_stated(text, start, end)]
    return sorted(found, key=lambda mention: mention.start)


def read_terms(text: str, start: int = 0, end: int | None = None) -> list[SloganMention]:
    """Quoted slogans (:func:`ingest.slogans.find_slogans`) and glosses of ``text[start:end]``; where
    both read a term at the same place, the one with a definition (the gloss, if both have one)."""
    glosses = find_glosses(text, start, end)
    defined = {(term_key(mention.term), mention.start) for mention in glosses}
    slogans = [m for m in find_slogans(text, start, end) if (term_key(m.term), m.start) not in defined]
    return sorted([*slogans, *glosses], key=lambda mention: mention.start)


def find_named(text: str, start: int, end: int, term: str) -> list[SloganMention]:
    """Where ``text[start:end]`` writes ``term`` bare with a definition after it (「八大方面工作（…）」,
    「三个导向：一是…」), or lists the items of a numbered formula it does not name there."""
    wanted = term_key(term)
    if len(wanted) < 2:
        return []
    inside_quotes = Cover((open_at + 1, close_end) for open_at, close_end in quoted_spans(text, start, end))
    found = []
    for match in re.finditer(re.escape(wanted), text[start:end]):
        at, after = start + match.start(), start + match.end()
        if inside_quotes.holds(at):
            continue
        definition = definition_after(text, after, end, formula_count(wanted), strict=True, term=wanted)
        if definition:
            found.append(SloganMention(wanted, at, after, *definition))
    return found + _items_listed(text, start, end, wanted)


def _aliases(text: str, start: int, end: int) -> list[SloganMention]:
    found = []
    for match in ALIAS.finditer(text, start, end):
        term = match.group("alias").strip("《》 ")
        # The meaning is read in the clause before the bracket, in its last _MAX_DEFINITION_CHARS.
        reach = max(0, match.start() - _MAX_DEFINITION_CHARS)
        clause_start = max(reach - 1, *(text.rfind(mark, reach, match.start()) for mark in "，；：。！？\n")) + 1
        quote = next(
            (
                open_at
                for open_at, close_end in quoted_spans(text, clause_start, match.start())
                if match.start() - close_end <= _QUOTE_REACH
            ),
            None,
        )
        meaning_start = (
            quote if quote is not None else match.start() - len(object_of(text[clause_start : match.start()]))
        )
        if match.start() - meaning_start < 2 or not term:
            continue
        term_start = match.start("alias") - (text[match.start("alias") - 1] == "“")
        term_end = match.end("alias") + (text[match.end("alias")] == "”")
        found.append(
            SloganMention(term, term_start, term_end, text[meaning_start : match.start()], meaning_start, match.start())
        )
    return found


def _glossary(text: str, start: int, end: int) -> list[SloganMention]:
    """Entries of a notes section whose head names a term: the quoted terms in it, else the whole head."""
    found = []
    for entry in entries(text):
        if not entry.in_notes_section or entry.head is None or not start <= entry.head_start < end:
            continue
        definition = text[entry.body_start : entry.body_end].rstrip("。 \n")
        if not definition or NOTE_MARKER.fullmatch(entry.head):
            continue
        finish = entry.body_start + len(definition)
        quoted = quoted_terms(text, entry.head_start, entry.head_start + len(entry.head))
        for term_start, term_end, term in quoted or [
            (entry.head_start, entry.head_start + len(entry.head), entry.head)
        ]:
            span = (term_start - 1, term_end + 1) if quoted else (term_start, term_end)
            found.append(SloganMention(term, *span, definition, entry.body_start, finish))
    return found


def _stated(text: str, start: int, end: int) -> list[SloganMention]:
    """「本方案所称X，是指…」: the term is what the statement opens with, up to 是指; its definition
    runs to the statement's end, or to the next clause that defines (「甲是指…；乙是指…」)."""
    matches = [
        match
        for opening in _OPENING.finditer(text, start, end)
        if (match := STATED_DEFINITION.match(text, opening.end(), end))
    ]
    found = []
    for index, match in enumerate(matches):
        limit = match.end() + _MAX_DEFINITION_CHARS
        if index + 1 < len(matches):
            limit = min(limit, matches[index + 1].start() - 1)
        stop = re.search(r"[。！？\n]", text[match.end() : limit])
        finish = match.end() + stop.start() if stop else min(limit, len(text))
        if finish - match.end() >= 2:
            term_start, term_end = match.span("term")
            found.append(
                SloganMention(match["term"], term_start, term_end, text[match.end() : finish], match.end(), finish)
            )
    return found


def _items_listed(text: str, start: int, end: int, term: str) -> list[SloganMention]:
    """「三大短板」 → a clause listing three items that end in 短板 (「补齐人才短板、资金短板、技术短板」)."""
    count, head = formula_count(term), formula_head(term)
    if not count or not head or count < 2:
        return []
    found = []
    for clause in re.finditer(r"[^，；：。！？\n“”]+", text[start:end]):
        items = [item for item in _ITEM_SPLIT.split(clause.group()) if item]
        if len(items) == count and all(item.endswith(head) and len(item) > len(head) for item in items):
            list_start = start + clause.start() + len(items[0]) - len(first_item(items))
            list_end = start + clause.end()
            found.append(SloganMention(term, list_start, list_end, text[list_start:list_end], list_start, list_end))
    return found

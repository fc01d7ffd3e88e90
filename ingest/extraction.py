"""Directive, slogan and byline records of a built document, for the ledger.

The sentence readers (``find_assignments``, ``read_terms``; the answer engine uses them too) run here over
a whole document's statements; this module joins a task's follow-up sentences, names each task and ties
every record to its chunk, section and original span. :mod:`ingest.maintenance` writes the records.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.bylines import find_bylines
from ingest.chunking import sentence_spans
from ingest.conventions.assignments import Assignment, find_assignments, find_deadlines
from ingest.glosses import read_terms
from ingest.language.boundaries import (
    CLAUSE_WITH_END,
    LEAD_INS,
    STATEMENT_ENDS,
    ends_with_trailer,
    measure_start,
    row_line,
)
from ingest.language.columns import COLUMNS, column_title, columns_for
from ingest.language.cover import Cover
from ingest.language.roles import MODALS, alternation, words_for
from ingest.language.terms import MAX_TERM_CHARS, NUMBERED_FORMULA, formula_count, quoted_spans
from ingest.language.times import DEADLINE
from ingest.normalize import OffsetMap, canonical_chars
from ingest.sections import find_sections
from ingest.slogans import find_formulas
from ingest.table_text import find_text_table_rows
from vectorstore.bylines import Byline
from vectorstore.catalog import ChunkRecord, NewDocument
from vectorstore.ledger import NewDirective, NewParty, NewSlogan

# A statement that carries on the task before it: a time limit, or 同时/并/还要….
_CONTINUES = re.compile(r"同时|并且|并|还要|此项工作|该项工作|上述工作|相关工作")  # .match at a position
_MAX_CONTINUATIONS = 2
# The words between a party and its task: 「…要牵头」「…具体负责」.
_PARTY_VERB = re.compile(
    f"(?:{alternation([*MODALS, *words_for('lead', 'responsible', 'cooperate', register='document'), '进行'])})*"
)
_TASK_FIELD = re.compile(f"(?:^|；)(?:{alternation(columns_for('task'))})：([^；。]+)")
_ROW_FIELD = re.compile(r"(?:^|；)([^：；。]{1,10})：([^；。]*)")
_TRIM = "，；：。！？、 "
_SCOPE = re.compile(r"(?:^|(?<=[，；]))(?:凡是|凡|对于|针对|围绕)")
_TOPIC = re.compile(r"^(?P<topic>[^，；：。！？]{2,20}?)(?:由|要由)$")  # 「招商引资工作由张立军同志牵头」
# 「对工作不力、进度滞后的，由…约谈」: whom the task is about, right before its parties.
_CONDITION = re.compile(r"(?:^|(?<=[，；]))对(?!此)[^，；]{2,}，$")


@dataclass(frozen=True)
class Extraction:
    """What the ledger stores for one document."""

    directives: tuple[NewDirective, ...]
    slogans: tuple[NewSlogan, ...]
    bylines: tuple[Byline, ...] = ()


def extract(document: NewDocument) -> Extraction:
    """Directives and slogans of a document about to be committed."""
    offsets = OffsetMap.from_json(json.loads(document.offsets_json))
    return extract_texts(document.original, document.normalized, offsets, document.chunks)


def extract_texts(original: str, text: str, offsets: OffsetMap, chunks: Sequence[ChunkRecord]) -> Extraction:
    """Directives and slogans from a document's original and normalised text and its chunks."""
    places = _Places(text, chunks)
    statements = sentence_spans(text, fine=False)
    directives = _directives(text, original, offsets, statements, places)
    directives += _text_table_directives(original, offsets, places, directives)
    directives.sort(key=lambda directive: directive.norm_start)
    slogans = tuple(_slogans(text, original, offsets, statements, places))
    return Extraction(tuple(directives), slogans, tuple(find_bylines(original)))


# ----------------------------------------------------------------------------------- places
class _Places:
    """The chunk and section of a normalised offset."""

    def __init__(self, text: str, chunks: Sequence[ChunkRecord]) -> None:
        self.chunks = sorted(chunks, key=lambda chunk: chunk.norm_start)
        self.starts = [chunk.norm_start for chunk in self.chunks]
        self.text = text
        self._sections: list | None = None

    def chunk(self, position: int) -> ChunkRecord | None:
        """The chunk whose span holds ``position`` (the earliest, where chunks overlap)."""
        index = bisect.bisect_right(self.starts, position) - 1
        if index < 0 or self.chunks[index].norm_end <= position:
            return None  # an earlier chunk ends no later than this one: none holds it
        while index > 0 and self.chunks[index - 1].norm_end > position:
            index -= 1
        return self.chunks[index]

    def place(self, position: int) -> tuple[str | None, tuple[str, ...]]:
        """The chunk id and section path of ``position``.

        A bare heading (「三、保障措施」) has no chunk of its own: the chunk after it, whose
        section path carries it, is its chunk.
        """
        chunk = self.chunk(position)
        if chunk is not None:
            return chunk.chunk_id, chunk.section
        if self._sections is None:
            self._sections = find_sections(self.text)
        path: tuple[str, ...] = ()
        for section in self._sections:
            if section.start <= position < section.end:
                path = section.path
                break
        index = bisect.bisect_right(self.starts, position)
        if path and index < len(self.chunks) and self.chunks[index].section[: len(path)] == path:
            return self.chunks[index].chunk_id, path
        return None, path


# ------------------------------------------------------------------------------- directives
def _directives(
    text: str,
    original: str,
    offsets: OffsetMap,
    statements: list[tuple[int, int]],
    places: _Places,
) -> list[NewDirective]:
    found: list[tuple[Assignment, int]] = []  # assignment, end after continuations
    open_task: int | None = None  # index in found of the task that a next statement may continue
    continued = 0
    for number, (start, end) in enumerate(statements):
        assignments = find_assignments(text, start, end)
        if assignments:
            found.extend((assignment, assignment.end) for assignment in assignments)
            table_row = assignments[-1].parties and _is_table_row(text, assignments[-1])
            open_task = None if table_row else len(found) - 1
            continued = 0
            continue
        previous_end = statements[number - 1][1] if number else 0
        if (
            open_task is not None
            and continued < _MAX_CONTINUATIONS
            and found[open_task][1] == previous_end
            and "\n" not in text[previous_end:start]
            and _continues(text, start, end)
        ):
            found[open_task] = (found[open_task][0], end)
            continued += 1
        else:
            open_task = None
    return [_directive(text, original, offsets, assignment, end, places) for assignment, end in found]


def _text_table_directives(
    original: str, offsets: OffsetMap, places: _Places, found: list[NewDirective]
) -> list[NewDirective]:
    """Directives of 责任分工 tables that a PDF flattened into lines (see :mod:`ingest.table_text`)."""
    directives = []
    read = Cover((directive.norm_start, directive.norm_end) for directive in found)
    # Read on the original's characters (same offsets), where the spaces between cells survive.
    for row in find_text_table_rows(canonical_chars(original)):
        norm_start, norm_end = offsets.to_normalised(row.start), offsets.to_normalised(row.end)
        if read.overlaps(norm_start, norm_end):
            continue
        cells = row.role_cells()
        parties = tuple(
            NewParty(
                cell.value,
                role,
                True,
                cell.start,
                cell.end,
                offsets.to_normalised(cell.start),
                offsets.to_normalised(cell.end),
                column_title(cell.column),
            )
            for role, cell in cells
            if role != "deadline"
        )
        deadline = next((cell.value for role, cell in cells if role == "deadline"), None)
        scope = next((cell.value for cell in row.cells if COLUMNS.get(cell.column) == "scope" and cell.value), None)
        start, end = row.start, row.end
        chunk_id, section = places.place(norm_start)
        task = row.task or "；".join(
            c.value for c in row.cells if COLUMNS.get(c.column, "task") == "task" and not c.value.isdigit()
        )
        directives.append(
            NewDirective(
                chunk_id=chunk_id,
                section=section,
                task=task,
                quote=original[start:end],
                start=start,
                end=end,
                norm_start=norm_start,
                norm_end=norm_end,
                parties=parties,  # type: ignore[arg-type]
                deadline=deadline,
                origin="table",
                scope=scope,
            )
        )
    return directives


def _continues(text: str, start: int, end: int) -> bool:
    """Does the statement carry on the task before it (「…。每季度报告一次进展。」)?"""
    deadline = DEADLINE.match(text, start, end)
    return bool(deadline or _CONTINUES.match(text, start, end))


def _is_table_row(text: str, assignment: Assignment) -> bool:
    span = text[assignment.start : assignment.end]
    return any(party.explicit for party in assignment.parties) and bool(
        re.search(r"(?:单位|部门|领导|责任人)：", span) or row_line(text, assignment.start)
    )


def _directive(
    text: str, original: str, offsets: OffsetMap, assignment: Assignment, end: int, places: _Places
) -> NewDirective:
    start = assignment.start
    original_start, original_end = offsets.span_to_original(start, end)
    table = _is_table_row(text, assignment)
    deadlines = find_deadlines(text, assignment)
    if end > assignment.end:  # a continuation may give the time limit
        extended = Assignment(assignment.end, end, assignment.parties)
        more = [d for d in find_deadlines(text, extended) if d[0] not in [v for v, _, _ in deadlines]]
        deadlines += more
    chunk_id, section = places.place(start)
    parties = tuple(
        NewParty(
            party.name,
            party.role,
            party.explicit,
            *offsets.span_to_original(party.start, party.end),
            party.start,
            party.end,
            party.title,
        )
        for party in assignment.parties
    )
    return NewDirective(
        chunk_id=chunk_id,
        section=section,
        task=_table_task(text, start, end)
        if table
        else _measure(text, assignment) or _sentence_task(text, assignment, end),
        quote=original[original_start:original_end],
        start=original_start,
        end=original_end,
        norm_start=start,
        norm_end=end,
        parties=parties,
        deadline="；".join(value for value, _, _ in deadlines) or None,
        origin="table" if table else "sentence",
        scope=assignment.scope,
    )


def _measure(text: str, assignment: Assignment) -> str | None:
    """A trailer's task: the whole measure it closes (from the trailer before it, or the paragraph's start).

    「（三）完善农机装备创新体系。…。（工业和信息化部…负责）」 → 「（三）完善农机装备创新体系。…。」.
    """
    trailer = ends_with_trailer(text, assignment.start, assignment.end)
    if trailer is None:
        return None
    return text[measure_start(text, trailer.start()) : trailer.start()].strip(_TRIM) or None


def _sentence_task(text: str, assignment: Assignment, end: int) -> str:
    """What is to be done: the statement from where its parties (and their 牵头/负责/要) end.

    「由李新同志牵头，县公安部门要加强社会治安防控体系建设，…」 → 「加强社会治安防控体系建设，…」.
    """
    parties = sorted(assignment.parties, key=lambda party: party.start)
    clauses = list(CLAUSE_WITH_END.finditer(text, assignment.start, end))
    first = next((i for i, c in enumerate(clauses) if c.end() > parties[0].start), 0) if parties else 0
    task_start = assignment.start
    for clause in clauses[first:]:
        inside = [p for p in parties if clause.start() <= p.start < clause.end()]
        if not inside:
            task_start = clause.start()
            break
        after = max(p.end for p in inside)
        after = _PARTY_VERB.match(text, after, clause.end()).end()
        rest = text[after : clause.end()].strip(_TRIM)
        if len(rest) >= 2:
            task_start = after
            break
    else:
        task_start = assignment.start
    task = text[task_start:end].strip(_TRIM)
    if clauses and parties:
        opening = clauses[first]
        before = text[opening.start() : parties[0].start]
        lead_in = LEAD_INS.match(before)
        topic = _TOPIC.match(before[lead_in.end() if lead_in else 0 :])
        if topic and task_start > parties[0].start:
            task = topic["topic"] + "，" + task
    if first and clauses:  # 「凡是上级发的重要文件，相关部门要…」: the scope belongs to the task
        preamble = text[clauses[0].start() : clauses[first].start()]
        scope = _SCOPE.search(preamble) or _CONDITION.search(preamble)
        if scope:
            task = preamble[scope.start() :].strip(_TRIM) + "，" + task
    return task or text[assignment.start : end].strip(_TRIM)


def _table_task(text: str, start: int, end: int) -> str:
    """A 责任分工 table row's task column, or its cells other than parties, times and numbers."""
    row = text[start:end]
    task = _TASK_FIELD.search(row)
    if task:
        return task.group(1).strip(_TRIM)
    kept = [
        value
        for name, value in _ROW_FIELD.findall(row)
        if not re.search(r"单位|部门|领导|责任人|时限|时间|期限|节点|序号|编号", name) and value.strip()
    ]
    return "；".join(kept) or row.strip(_TRIM)


# ---------------------------------------------------------------------------------- slogans
def _slogans(
    text: str,
    original: str,
    offsets: OffsetMap,
    statements: list[tuple[int, int]],
    places: _Places,
) -> list[NewSlogan]:
    statement_starts = [start for start, _ in statements]
    records: list[NewSlogan] = []
    taken: list[tuple[int, int]] = []

    def add(term: str, kind: str, start: int, end: int, definition: tuple | None) -> None:
        index = bisect.bisect_right(statement_starts, start) - 1
        cite_start, cite_end = statements[index] if index >= 0 else (start, end)
        if not cite_start <= start < cite_end:
            cite_start, cite_end = start, end
        text_of_definition = None
        if definition and definition[0]:
            text_of_definition = definition[0]
            if "\n" in text[cite_end : definition[1]].strip():  # a note far below: cite the note
                cite_start = text.rfind("\n", 0, definition[1]) + 1
            cite_start, cite_end = min(cite_start, definition[1]), max(cite_end, definition[2])
        quote_start, quote_end = offsets.span_to_original(cite_start, cite_end)
        term_start, term_end = offsets.span_to_original(start, end)
        chunk_id, section = places.place(start)
        records.append(
            NewSlogan(
                term=term,
                kind=kind,  # type: ignore[arg-type]
                definition=text_of_definition,
                chunk_id=chunk_id,
                section=section,
                quote=original[quote_start:quote_end],
                start=quote_start,
                end=quote_end,
                norm_start=cite_start,
                norm_end=cite_end,
                term_start=term_start,
                term_end=term_end,
            )
        )
        taken.append((start, end))

    for mention in read_terms(text):
        if is_slogan_term(mention.term):
            definition = (mention.definition, mention.definition_start, mention.definition_end)
            kind = "quoted" if text.startswith("“", mention.start) else "defined"
            add(mention.term, kind, mention.start, mention.end, definition)
    for mention in find_formulas(text):
        definition = (mention.definition, mention.definition_start, mention.definition_end)
        add(mention.term, "formula", mention.start, mention.end, definition)
    # A numbered formula quoted or defined once is the same formula where it is written bare.
    read = Cover([*taken, *quoted_spans(text)])
    for term in dict.fromkeys(record.term for record in records):
        if not (NUMBERED_FORMULA.fullmatch(term) or formula_count(term)):
            continue
        for match in re.finditer(re.escape(term), text):
            if not read.overlaps(match.start(), match.end()):
                add(term, "mention", match.start(), match.end(), None)
                read.add(match.start(), match.end())
    return sorted(records, key=lambda record: (record.norm_start, record.term_start))


def is_slogan_term(term: str) -> bool:
    """Quoted text that can be a slogan: two characters or more, some Chinese, not a placeholder
    (「“人”“物”同防」 quotes single characters; 「“xxxxx”」 is a redaction), nor words said (a
    statement's end inside the quotes)."""
    return (
        2 <= len(term) <= MAX_TERM_CHARS
        and bool(re.search(r"[\u4e00-\u9fff]", term))
        and not any(mark in term for mark in STATEMENT_ENDS)
    )

"""The ledger: directives (who leads, who is responsible, by when) and slogans, beside the chunks.

Rows live in the catalog's database (tables in ``schema.py``), reference their document with
``ON DELETE CASCADE`` and are written by :func:`write_records` inside the transaction that
commits the document, so they are replaced and removed together with it.

Offsets: ``start``/``end`` are into the document's original text (``quote`` is that span,
verbatim); ``norm_start``/``norm_end`` are the same span in the normalised text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Connection, text

from ingest.language.roles import ROLES, Role
from vectorstore.bylines import BylineRecord, read_bylines
from vectorstore.catalog import Catalog, format_section
from vectorstore.schema import DIRECTIVE_PARTIES, DIRECTIVES, SLOGANS

NAME_SEPARATOR = "；"  # between parties of one role in the ledger's text columns

_NEWEST_FIRST = "COALESCE(d.date, '') DESC, d.ingested_at DESC"


# ----------------------------------------------------------------------------------- writing
@dataclass(frozen=True)
class NewParty:
    """A party of a directive as extracted (offsets original and normalised)."""

    name: str
    role: Role
    explicit: bool
    start: int
    end: int
    norm_start: int
    norm_end: int
    title: str | None = None  # the post or column naming it beyond its role: 第一责任人, 分管领导


@dataclass(frozen=True)
class NewDirective:
    """A directive as extracted from one document, before it is stored."""

    chunk_id: str | None
    section: tuple[str, ...]
    task: str
    quote: str
    start: int
    end: int
    norm_start: int
    norm_end: int
    parties: tuple[NewParty, ...]
    deadline: str | None = None
    origin: Literal["sentence", "table"] = "sentence"
    scope: str | None = None  # where the task applies: a 推广范围 cell


@dataclass(frozen=True)
class NewSlogan:
    """One occurrence of a slogan as extracted: the term, its definition if given here, and the
    statement to cite (``start``/``end``) with the term's own span (``term_start``/``term_end``)."""

    term: str
    kind: Literal["quoted", "formula", "mention", "defined"]
    definition: str | None
    chunk_id: str | None
    section: tuple[str, ...]
    quote: str
    start: int
    end: int
    norm_start: int
    norm_end: int
    term_start: int
    term_end: int


def write_records(
    db: Connection, doc_id: str, directives: Sequence[NewDirective], slogans: Sequence[NewSlogan]
) -> None:
    """Replace the ledger rows of ``doc_id`` inside an open transaction."""
    db.execute(text("DELETE FROM directives WHERE doc_id = :id"), {"id": doc_id})
    db.execute(text("DELETE FROM slogans WHERE doc_id = :id"), {"id": doc_id})
    for seq, d in enumerate(directives):
        row = {
            "doc_id": doc_id, "seq": seq, "chunk_id": d.chunk_id, "section": _section_json(d.section),
            "task": d.task, "quote": d.quote, "start": d.start, "end": d.end, "norm_start": d.norm_start,
            "norm_end": d.norm_end, **{_ROLE_COLUMN[role]: _names(d.parties, role) for role in ROLES},
            "deadline": d.deadline, "origin": d.origin, "scope": d.scope,
        }  # fmt: skip
        directive_id = db.execute(DIRECTIVES.insert().returning(DIRECTIVES.c.directive_id), row).scalar_one()
        if d.parties:
            db.execute(
                DIRECTIVE_PARTIES.insert(),
                [
                    {
                        "directive_id": directive_id, "name": p.name, "role": p.role, "explicit": int(p.explicit),
                        "start": p.start, "end": p.end, "norm_start": p.norm_start, "norm_end": p.norm_end,
                        "title": p.title,
                    }
                    for p in d.parties
                ],
            )  # fmt: skip
    if slogans:
        db.execute(
            SLOGANS.insert(),
            [
                {
                    "doc_id": doc_id, "seq": seq, "term": s.term, "kind": s.kind, "definition": s.definition,
                    "chunk_id": s.chunk_id, "section": _section_json(s.section), "quote": s.quote, "start": s.start,
                    "end": s.end, "norm_start": s.norm_start, "norm_end": s.norm_end, "term_start": s.term_start,
                    "term_end": s.term_end,
                }
                for seq, s in enumerate(slogans)
            ],
        )  # fmt: skip


def _names(parties: Iterable[NewParty], role: Role) -> str:
    return NAME_SEPARATOR.join(dict.fromkeys(p.name for p in parties if p.role == role))


def _section_json(section: tuple[str, ...]) -> str:
    return json.dumps(list(section), ensure_ascii=False)


# ----------------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class PartyRecord:
    """A stored party: name, role, whether named with 牵头/负责/配合 (or a table column), its span in
    the original text, and the post or column naming it beyond its role (第一责任人, 分管领导)."""

    name: str
    role: Role
    explicit: bool
    start: int
    end: int
    title: str | None = None


@dataclass(frozen=True)
class DirectiveRecord:
    """One task of the ledger, with its document and the span to cite."""

    directive_id: int
    doc_id: str
    title: str
    date: str | None
    ingested_at: str
    seq: int  # order in its document
    chunk_id: str | None
    section: tuple[str, ...]
    task: str
    quote: str  # original text, verbatim: original[start:end]
    start: int
    end: int
    norm_start: int
    norm_end: int
    lead: tuple[str, ...]
    responsible: tuple[str, ...]
    cooperating: tuple[str, ...]
    deadline: str | None
    origin: str  # "sentence" or "table"
    parties: tuple[PartyRecord, ...]
    scope: str | None = None  # where the task applies: a 推广范围 cell

    @property
    def section_label(self) -> str:
        """The section path as users read it: ``四、… › （二）…``."""
        return format_section(self.section)

    def named(self, role: Role) -> tuple[str, ...]:
        return {"lead": self.lead, "responsible": self.responsible, "cooperate": self.cooperating}[role]


@dataclass(frozen=True)
class SloganRecord:
    """One occurrence of a slogan, with its document and the span to cite."""

    slogan_id: int
    doc_id: str
    title: str
    date: str | None
    ingested_at: str
    seq: int
    term: str
    kind: str  # "quoted", "formula" (an unquoted numbered formula), "mention" (of a known term) or
    # "defined" (an unquoted term a gloss defines: an alias, a glossary entry, 「X是指…」)
    definition: str | None
    chunk_id: str | None
    section: tuple[str, ...]
    quote: str  # original text of the statement (and the definition): original[start:end]
    start: int
    end: int
    norm_start: int
    norm_end: int
    term_start: int  # the term itself, quote marks included, in the original text
    term_end: int

    @property
    def section_label(self) -> str:
        return format_section(self.section)


@dataclass(frozen=True)
class GlossaryEntry:
    """A term with its definition (the newest document's that gives one) and every occurrence."""

    term: str
    definition: SloganRecord | None
    occurrences: tuple[SloganRecord, ...]

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(record.doc_id for record in self.occurrences))


class Ledger:
    """Read access to the directives and slogans of every stored document, newest documents first
    (document date, then ingest time), each document's records in text order."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def directives(
        self, doc_id: str | None = None, role: Role | None = None, *, chunk_ids: Iterable[str] | None = None
    ) -> list[DirectiveRecord]:
        """Directives, optionally only those of document ``doc_id``, naming a party in ``role``, or
        in the chunks ``chunk_ids``. Finding a party by name is :mod:`bot.lookup`'s work."""
        where: list[str] = []
        arguments: dict[str, object] = {}
        if doc_id is not None:
            where.append("x.doc_id = :doc_id")
            arguments["doc_id"] = doc_id
        if chunk_ids is not None:
            ids = list(dict.fromkeys(chunk_ids))
            if not ids:
                return []
            where.append("x.chunk_id IN :chunk_ids")
            arguments["chunk_ids"] = ids
        if role is not None:
            where.append(f"x.{_ROLE_COLUMN[role]} != ''")
        rows = self.catalog.rows(
            "SELECT x.directive_id, x.doc_id, d.title, d.date, d.ingested_at, x.seq, x.chunk_id, x.section, "
            'x.task, x.quote, x.start, x."end", x.norm_start, x.norm_end, x.lead, x.responsible, '
            "x.cooperating, x.deadline, x.origin, x.scope FROM directives x JOIN documents d USING (doc_id)"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {_NEWEST_FIRST}, x.doc_id, x.seq",
            arguments,
            expanding=("chunk_ids",) if "chunk_ids" in arguments else (),
        )
        parties = self._parties([row[0] for row in rows])
        return [_directive(row, parties.get(row[0], ())) for row in rows]

    def _parties(self, directive_ids: list[int]) -> dict[int, tuple[PartyRecord, ...]]:
        found: dict[int, list[PartyRecord]] = {}
        for offset in range(0, len(directive_ids), 500):
            batch = directive_ids[offset : offset + 500]
            rows = self.catalog.rows(
                'SELECT directive_id, name, role, explicit, start, "end", title FROM directive_parties '
                "WHERE directive_id IN :ids ORDER BY party_id",
                {"ids": batch},
                expanding=("ids",),
            )
            for directive_id, name, role, explicit, start, end, title in rows:
                record = PartyRecord(name, role, bool(explicit), start, end, title)
                found.setdefault(directive_id, []).append(record)
        return {key: tuple(value) for key, value in found.items()}

    def parties(self, role: Role | None = None) -> list[tuple[str, int]]:
        """Every party name with the number of directives naming it, most tasks first."""
        rows = self.catalog.rows(
            "SELECT name, COUNT(DISTINCT directive_id) AS n FROM directive_parties"
            + (" WHERE role = :role" if role else "")
            + " GROUP BY name ORDER BY n DESC, name",
            {"role": role} if role else {},
        )
        return [(name, count) for name, count in rows]

    def slogans(self, doc_id: str | None = None) -> list[SloganRecord]:
        """Slogan occurrences, optionally of one document. Finding a term is :mod:`bot.lookup`'s work."""
        rows = self.catalog.rows(
            "SELECT s.slogan_id, s.doc_id, d.title, d.date, d.ingested_at, s.seq, s.term, s.kind, "
            's.definition, s.chunk_id, s.section, s.quote, s.start, s."end", s.norm_start, s.norm_end, '
            "s.term_start, s.term_end FROM slogans s JOIN documents d USING (doc_id)"
            + (" WHERE s.doc_id = :doc_id" if doc_id is not None else "")
            + f" ORDER BY {_NEWEST_FIRST}, s.doc_id, s.seq",
            {"doc_id": doc_id} if doc_id is not None else {},
        )
        return [_slogan(row) for row in rows]

    def bylines(self, doc_ids: Iterable[str] | None = None) -> list[BylineRecord]:
        """Who gave the documents, where and when (of every document if ``doc_ids`` is None)."""
        return read_bylines(self.catalog, doc_ids)

    def counts(self, doc_id: str | None = None) -> dict[str, int]:
        """How many directives and distinct slogans the ledger holds (for one document, if given)."""
        where, arguments = (" WHERE doc_id = :doc_id", {"doc_id": doc_id}) if doc_id else ("", {})
        directives = self.catalog.rows("SELECT COUNT(*) FROM directives" + where, arguments)
        slogans = self.catalog.rows("SELECT COUNT(DISTINCT term) FROM slogans" + where, arguments)
        return {"directives": directives[0][0], "slogans": slogans[0][0]}


_ROLE_COLUMN: dict[Role, str] = {"lead": "lead", "responsible": "responsible", "cooperate": "cooperating"}


def _split_names(value: str) -> tuple[str, ...]:
    return tuple(name for name in value.split(NAME_SEPARATOR) if name)


def _directive(row: tuple, parties: tuple[PartyRecord, ...]) -> DirectiveRecord:
    (
        directive_id, doc_id, title, date, ingested_at, seq, chunk_id, section, task, quote, start, end,
        norm_start, norm_end, lead, responsible, cooperating, deadline, origin, scope,
    ) = row  # fmt: skip
    return DirectiveRecord(
        directive_id, doc_id, title, date, ingested_at, seq, chunk_id, tuple(json.loads(section)), task,
        quote, start, end, norm_start, norm_end, _split_names(lead), _split_names(responsible),
        _split_names(cooperating), deadline, origin, parties, scope,
    )  # fmt: skip


def _slogan(row: tuple) -> SloganRecord:
    values = list(row)
    values[10] = tuple(json.loads(values[10]))
    return SloganRecord(*values)

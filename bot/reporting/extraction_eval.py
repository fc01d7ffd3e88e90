"""Precision and recall of ingest-time extraction against a hand-written list.

The list (``tests/data/example_assignments.json``) names every assignment of a document by a
unique piece of its statement (``evidence``, in normalised text) with its parties per role and
its time limits, the statements that must give nothing (``traps``), every slogan with the pieces
its definition must contain, and quoted text that is no slogan. A predicted directive matches the
expected assignment whose evidence starts inside its span; each (role, party) pair is then a
true positive, a false positive (a wrong party: worse than none) or, when missed, a false negative.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ingest.extraction import Extraction, extract
from ingest.language.roles import ROLES
from ingest.normalize import canonical_chars
from ingest.pipeline import MetadataOverrides, build_document, document_id, document_meta
from ingest.readers import read_document

_MAX_BYTES = 50 * 1024 * 1024


@dataclass
class Tally:
    """Counts for one kind of prediction."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float | None:
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else None

    @property
    def recall(self) -> float | None:
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else None


@dataclass
class ExtractionScore:
    """The score of one document, with what went wrong, for a report."""

    roles: dict[str, Tally] = field(default_factory=lambda: {role: Tally() for role in ROLES})
    deadlines: Tally = field(default_factory=Tally)
    slogans: Tally = field(default_factory=Tally)
    definitions: Tally = field(default_factory=Tally)
    traps_hit: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def assignments(self) -> Tally:
        """Lead and responsible together (the pairs a 督查局 clerk acts on)."""
        total = Tally()
        for role in ("lead", "responsible"):
            for name in ("true_positive", "false_positive", "false_negative"):
                setattr(total, name, getattr(total, name) + getattr(self.roles[role], name))
        return total

    def rows(self) -> list[tuple[str, Tally]]:
        return [
            ("lead (牵头)", self.roles["lead"]),
            ("responsible (负责)", self.roles["responsible"]),
            ("cooperate (配合)", self.roles["cooperate"]),
            ("lead + responsible", self.assignments),
            ("deadline (时限)", self.deadlines),
            ("slogans (提法)", self.slogans),
            ("definitions (含义)", self.definitions),
        ]


def load_expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def extract_file(path: Path) -> tuple[str, Extraction]:
    """(normalised text, extraction) of a file, as ingest would store it."""
    extracted = read_document(path, max_bytes=_MAX_BYTES)
    meta = document_meta(extracted, str(path), MetadataOverrides())
    document = build_document(document_id(str(path)), str(path), extracted, meta)
    return document.normalized, extract(document)


def score(text: str, extraction: Extraction, expected: dict) -> ExtractionScore:
    """Compare an extraction with the expected list of its document."""
    result = ExtractionScore()
    items = []
    for item in expected["assignments"]:
        position = text.find(item["evidence"])
        if position < 0:
            raise ValueError(f"evidence not in the document: {item['evidence']!r}")
        items.append((position, item))
    covered: list[set[tuple[str, str]]] = [set() for _ in items]
    dated: list[set[str]] = [set() for _ in items]
    for directive in extraction.directives:
        hits = [i for i, (pos, _) in enumerate(items) if directive.norm_start <= pos < directive.norm_end]
        predicted = {(party.role, _name(party.name)) for party in directive.parties}
        wanted = {(role, _name(name)) for i in hits for role in ROLES for name in items[i][1].get(role, ())}
        where = text[directive.norm_start : directive.norm_end][:40]
        for role, name in sorted(predicted):
            if (role, name) in wanted:
                result.roles[role].true_positive += 1
            else:
                result.roles[role].false_positive += 1
                result.problems.append(f"wrong {role} {name!r} in: {where}")
        deadlines = {_name(value) for value in (directive.deadline or "").split("；") if value}
        wanted_deadlines = {_name(value) for i in hits for value in items[i][1].get("deadline", ())}
        result.deadlines.true_positive += len(deadlines & wanted_deadlines)
        result.deadlines.false_positive += len(deadlines - wanted_deadlines)
        for value in sorted(deadlines - wanted_deadlines):
            result.problems.append(f"wrong deadline {value!r} in: {where}")
        for i in hits:
            covered[i] |= predicted
            dated[i] |= deadlines
    for i, (_, item) in enumerate(items):
        for role in ROLES:
            for name in item.get(role, ()):
                if (role, _name(name)) not in covered[i]:
                    result.roles[role].false_negative += 1
                    result.problems.append(f"missed {role} {name!r}: {item['evidence']}")
        for value in item.get("deadline", ()):
            if _name(value) not in dated[i]:
                result.deadlines.false_negative += 1
                result.problems.append(f"missed deadline {value!r}: {item['evidence']}")
    for trap in expected.get("traps", ()):
        position = text.find(trap)
        if position < 0:
            raise ValueError(f"trap not in the document: {trap!r}")
        if any(d.norm_start <= position < d.norm_end and d.parties for d in extraction.directives):
            result.traps_hit.append(trap)
    _score_slogans(result, extraction, expected)
    return result


def _score_slogans(result: ExtractionScore, extraction: Extraction, expected: dict) -> None:
    terms: dict[str, list[str]] = {}
    for slogan in extraction.slogans:
        terms.setdefault(_name(slogan.term), []).extend([slogan.definition] if slogan.definition else [])
    wanted = {_name(item["term"]): item for item in expected["slogans"]}
    for term, definitions in terms.items():
        if term in wanted:
            result.slogans.true_positive += 1
        else:
            result.slogans.false_positive += 1
            result.problems.append(f"unexpected slogan {term!r}")
        pieces = [_name(piece) for piece in wanted.get(term, {}).get("definition_contains", ())]
        for definition in definitions:
            if pieces and all(piece in _name(definition) for piece in pieces):
                result.definitions.true_positive += 1
            else:
                result.definitions.false_positive += 1
                result.problems.append(f"wrong definition of {term!r}: {definition[:40]}")
    for term, item in wanted.items():
        if term not in terms:
            result.slogans.false_negative += 1
            result.problems.append(f"missed slogan {term!r}")
        if item.get("definition_contains") and not terms.get(term):
            result.definitions.false_negative += 1
            result.problems.append(f"missed definition of {term!r}")


def _name(name: str) -> str:
    return canonical_chars(name).strip()


def format_percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"

"""Evaluate answers against a QA file (the format of ``seed-qa.jsonl``)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.answers import Answer
from ingest.language.columns import column_field
from ingest.language.parties import names_in
from ingest.normalize import canonical_chars


@dataclass(frozen=True)
class QAItem:
    """One gold question."""

    id: str
    type: str
    question: str
    must_contain: tuple[str, ...]
    evidence: str
    doc: str = ""

    @property
    def answerable(self) -> bool:
        return self.type != "unanswerable"


@dataclass(frozen=True)
class Outcome:
    """How one answer fared."""

    item: QAItem
    answer: Answer
    seconds: float

    @property
    def answer_correct(self) -> bool:
        if not self.item.answerable:
            return not self.answer.found
        text = canonical_chars(self.answer.answer)
        return self.answer.found and all(canonical_chars(needle) in text for needle in self.item.must_contain)

    @property
    def citation_correct(self) -> bool:
        if not self.item.answerable:
            return not self.answer.citations
        evidence = canonical_chars(self.item.evidence)
        return any(_overlaps(canonical_chars(c.quote), evidence) for c in self.answer.citations)

    @property
    def unquoted_names(self) -> tuple[str, ...]:
        """Units and persons the answer names that none of its quotes contains: an answer must not
        name a party its sources do not. A table's column name shown as a label (「分管领导：…」)
        names no one."""
        if not self.answer.found:
            return ()
        # A PDF's line breaks may cut a name: compare without white space.
        quotes = "".join("".join(canonical_chars(c.quote).split()) for c in self.answer.citations)
        names = names_in(canonical_chars(self.answer.answer))
        return tuple(name for name in names if name not in quotes and column_field(name) is None)

    @property
    def refused(self) -> bool:
        return not self.answer.found


@dataclass
class Report:
    """Accuracy per question type and overall, with latency."""

    outcomes: list[Outcome] = field(default_factory=list)

    def rows(self) -> list[dict]:
        groups: dict[str, list[Outcome]] = {}
        for outcome in self.outcomes:
            groups.setdefault(outcome.item.type, []).append(outcome)
        rows = [_row(name, items) for name, items in sorted(groups.items())]
        rows.append(_row("overall", self.outcomes))
        return rows

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not (o.answer_correct and o.citation_correct)]


def _row(name: str, outcomes: list[Outcome]) -> dict:
    answerable = [o for o in outcomes if o.item.answerable]
    unanswerable = [o for o in outcomes if not o.item.answerable]
    latencies = sorted(o.seconds * 1000 for o in outcomes)
    return {
        "type": name,
        "questions": len(outcomes),
        "answer_accuracy": _share(o.answer_correct for o in answerable),
        "citation_accuracy": _share(o.citation_correct for o in answerable),
        "refusal_accuracy": _share(o.refused for o in unanswerable),
        "false_refusal_rate": _share(o.refused for o in answerable),
        "unquoted_names": sum(bool(o.unquoted_names) for o in outcomes),
        "latency_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "latency_p95_ms": round(_percentile(latencies, 95), 1) if latencies else None,
    }


def _share(flags: Iterable[bool]) -> float | None:
    values = list(flags)
    return round(sum(values) / len(values), 4) if values else None


def _percentile(sorted_values: list[float], percent: float) -> float:
    """Nearest-rank percentile."""
    index = max(0, min(len(sorted_values) - 1, round(percent / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


def _overlaps(quote: str, evidence: str, min_chars: int = 8) -> bool:
    """A quote supports the evidence if either contains the other or they share a long run."""
    if not quote or not evidence:
        return False
    if evidence in quote or quote in evidence:
        return True
    needle = min(min_chars, len(evidence))
    return any(evidence[i : i + needle] in quote for i in range(len(evidence) - needle + 1))


def load_items(path: Path) -> list[QAItem]:
    """Read a QA JSONL file; blank lines are skipped."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            items.append(
                QAItem(
                    id=str(data["id"]),
                    type=data["type"],
                    question=data["question"],
                    must_contain=tuple(data.get("must_contain", ())),
                    evidence=data.get("evidence", ""),
                    doc=data.get("doc", ""),
                )
            )
        except (ValueError, KeyError) as error:
            raise ValueError(f"{path}:{number}: not a QA record ({error})") from error
    return items


def evaluate(items: list[QAItem], answer: Callable[[str], Answer]) -> Report:
    """Answer every item and time each answer."""
    report = Report()
    for item in items:
        started = time.perf_counter()
        result = answer(item.question)
        report.outcomes.append(Outcome(item, result, time.perf_counter() - started))
    return report

"""The answer the engine gives, whatever the channel."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

QuestionKind = Literal["lead", "responsible", "slogan", "deadline", "other"]


@dataclass(frozen=True)
class Citation:
    """Where an answer comes from: a verbatim quote and its place in the document."""

    doc_id: str
    title: str
    section: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Answer:
    """A question, the answer text and its citations. ``found`` is False for a refusal."""

    question: str
    answer: str
    found: bool
    kind: QuestionKind
    citations: tuple[Citation, ...] = ()
    related_sections: tuple[str, ...] = field(default=(), compare=False)
    entity: str | None = field(default=None, compare=False)  # who/what the answer names, for follow-ups

    def to_json_dict(self) -> dict:
        """The public JSON shape: exactly question, answer, found, kind, citations."""
        return {
            "question": self.question,
            "answer": self.answer,
            "found": self.found,
            "kind": self.kind,
            "citations": [asdict(citation) for citation in self.citations],
        }

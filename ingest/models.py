"""Plain data passed between the ingest stages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.classification import Marking


@dataclass(frozen=True)
class HeadingHint:
    """A heading that the file format marks explicitly (docx style, markdown #, html <h1>…<h6>).

    Offsets are into ``ExtractedText.text``; level 1 is the top.
    """

    start: int
    end: int
    level: int


@dataclass(frozen=True)
class ExtractedText:
    """What a reader gets out of one file: its text, as it will be quoted.

    Paragraphs are separated by ``\\n``. Table rows are rendered one per line as
    ``列名：值；列名：值。`` so they read like sentences and can be cited verbatim.
    """

    text: str
    headings: tuple[HeadingHint, ...] = ()
    title: str | None = None
    encoding: str | None = None


@dataclass(frozen=True)
class Section:
    """A heading and the span of normalised text it governs (the heading included)."""

    path: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """A retrievable span of whole sentences.

    ``start``/``end`` are offsets into the document's original text (``text`` is that span,
    verbatim); ``norm_start``/``norm_end`` are the same span in the normalised text.
    """

    index: int
    text: str
    section: tuple[str, ...]
    start: int
    end: int
    norm_start: int
    norm_end: int


@dataclass(frozen=True)
class DocumentMeta:
    """What we know about a document besides its text."""

    title: str
    source: str
    content_hash: str
    speaker: str | None = None
    date: str | None = None
    meeting: str | None = None
    marking: Marking | None = None

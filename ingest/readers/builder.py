"""Assemble the lines a reader finds into the text of an ``ExtractedText``, with heading offsets.

All readers share the same layout rules, so they live here:
one paragraph per line, lines separated by exactly one ``\\n``, each line stripped, empty
lines dropped. Within a line the text is kept as the file has it (citations quote it
verbatim); only control characters and stray byte-order marks, which no one can quote, go.
"""

from __future__ import annotations

import re

from ingest.models import ExtractedText, HeadingHint

# Not text: control characters (Unicode category Cc) except tab, and U+FEFF, a byte-order mark
# in the middle of the text, left over from concatenated files.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\ufeff]")


def split_lines(text: str) -> list[str]:
    """Split on every line boundary (``\\r\\n``, ``\\r``, ``\\n``, form feed, U+2028, …)."""
    return text.splitlines()


def clean_line(line: str) -> str:
    """Strip a line and drop characters that are not text (controls except tab, stray BOMs)."""
    return _NOT_TEXT.sub("", line).strip()


def one_line(text: str) -> str:
    """Text of a table cell or heading on one line: inner line breaks become one space."""
    return " ".join(line for line in map(clean_line, split_lines(text)) if line)


class TextBuilder:
    """Collects lines and heading marks; ``build()`` returns the ``ExtractedText``."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._length = 0
        self._headings: list[HeadingHint] = []

    def add(self, text: str) -> None:
        """Add a paragraph; its own line breaks make more lines."""
        self._add_lines(text)

    def add_heading(self, text: str, level: int) -> None:
        """Add a heading and mark it with ``level`` (1 is the top); an empty heading is dropped."""
        span = self._add_lines(text)
        if span is not None:
            self._headings.append(HeadingHint(start=span[0], end=span[1], level=level))

    def _add_lines(self, text: str) -> tuple[int, int] | None:
        """Append the non-empty lines of ``text``; return the span they cover, if any."""
        start: int | None = None
        for raw in split_lines(text):
            line = clean_line(raw)
            if not line:
                continue
            if self._lines:
                self._length += 1  # the "\n" before this line
            if start is None:
                start = self._length
            self._lines.append(line)
            self._length += len(line)
        return None if start is None else (start, self._length)

    def build(self, *, title: str | None = None, encoding: str | None = None) -> ExtractedText:
        """The text so far; ``title`` is stripped and dropped if empty."""
        title = one_line(title) if title else None
        return ExtractedText(
            text="\n".join(self._lines),
            headings=tuple(self._headings),
            title=title or None,
            encoding=encoding,
        )

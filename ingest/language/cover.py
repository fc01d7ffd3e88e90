"""Spans of a text (quotes, terms already read), asked whether a position or a span meets one.

Readers ask this for every match in a document; asking each span in turn is quadratic when a
document holds many of both (a page of quoted slogans), so the spans are kept merged and sorted.

>>> cover = Cover([(2, 8), (5, 10), (20, 24)])
>>> cover.holds(9), cover.holds(10), cover.overlaps(10, 20), cover.overlaps(18, 21)
(True, False, False, True)
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class Cover:
    """The union of half-open spans ``[start, end)``; spans may be added as reading goes on."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        """Add ``[start, end)``, merged with the spans it meets or touches.

        >>> cover = Cover([(0, 2), (4, 6)])
        >>> cover.add(2, 4); cover.overlaps(3, 4)
        True
        """
        if end <= start:
            return
        low = bisect.bisect_left(self._ends, start)  # the first span ending at or after start
        high = bisect.bisect_right(self._starts, end)  # past the last span starting at or before end
        if low < high:
            start, end = min(start, self._starts[low]), max(end, self._ends[high - 1])
        self._starts[low:high] = [start]
        self._ends[low:high] = [end]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` shares a position with a span (``start < end``)."""
        index = bisect.bisect_right(self._ends, start)  # the first span ending after start
        return index < len(self._starts) and self._starts[index] < end

    def holds(self, position: int) -> bool:
        """Whether a span holds ``position``."""
        return self.overlaps(position, position + 1)

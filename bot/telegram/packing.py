"""Packing text into Telegram messages: HTML escaping, UTF-16 lengths and splitting under the 4096 limit.

Text is assembled from :class:`Span` s (plain text plus at most one tag). Escaping happens only when a
span is rendered, and a span that must be split is split as *plain text* and each piece wrapped in its
own tag, so a message never ends inside a tag or an entity like ``&amp;``::

    pack([Span("答：", "b"), Span("由县公安局牵头……")])  # → ["<b>答：</b>由县公安局牵头……"]
"""

from __future__ import annotations

import html
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

TELEGRAM_LIMIT = 4096  # characters of a message after entity parsing
_MIN_ROOM = 200  # do not start a split piece in less room than this; start a new message instead
_HARD_BREAKS = "\n"
_SENTENCE_ENDS = "。！？；!?;…"
_SOFT_BREAKS = "，、,：: "


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units): ``utf16_len("😀")`` is 2."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """Escape ``<``, ``>`` and ``&`` for Telegram's HTML parse mode."""
    return html.escape(text, quote=False)


@dataclass(frozen=True)
class Span:
    """Plain text, optionally wrapped in one HTML tag (b, i, u, code, blockquote)."""

    text: str
    tag: str | None = None

    def render(self) -> str:
        body = escape(self.text)
        return f"<{self.tag}>{body}</{self.tag}>" if self.tag else body

    def overhead(self) -> int:
        return 2 * len(self.tag) + 5 if self.tag else 0


def _cut_point(text: str, budget: int) -> int:
    """The length of the longest good prefix of ``text`` whose escaped form fits in ``budget``."""
    fit = 0
    used = 0
    for char in text:
        used += utf16_len(escape(char))
        if used > budget:
            break
        fit += 1
    if fit >= len(text):
        return len(text)
    floor = fit // 2
    for breaks in (_HARD_BREAKS, _SENTENCE_ENDS, _SOFT_BREAKS):
        best = max(text.rfind(char, 0, fit) for char in breaks)
        if best >= floor and best >= 0:
            return best + 1
    return max(fit, 1)


def split_span(span: Span, room: int) -> tuple[Span, Span]:
    """Split ``span`` so that the rendered head fits in ``room``."""
    cut = _cut_point(span.text, room - span.overhead())
    head, tail = span.text[:cut], span.text[cut:]
    return Span(head, span.tag), Span(tail.lstrip("\n"), span.tag)


def pack(spans: Iterable[Span], limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Lay spans out into as few messages as possible, each at most ``limit`` long.

    Whole spans are kept together when they fit in a message of their own; longer ones are split at a
    line break, else a sentence end, else a comma, else anywhere.
    """
    messages: list[str] = []
    current: list[str] = []
    used = 0

    def flush() -> None:
        nonlocal current, used
        text = "".join(current).strip()
        if text:
            messages.append(text)
        current, used = [], 0

    queue = deque(span for span in spans if span.text)
    while queue:
        span = queue.popleft()
        rendered = span.render()
        size = utf16_len(rendered)
        room = limit - used
        if size <= room:
            current.append(rendered)
            used += size
            continue
        if used and (size <= limit or room < _MIN_ROOM):
            flush()
            queue.appendleft(span)
            continue
        head, tail = split_span(span, room)
        current.append(head.render())
        flush()
        if tail.text:
            queue.appendleft(tail)
    flush()
    return messages

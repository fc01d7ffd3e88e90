"""A long reply as several chat messages, each under a channel's size limit (UTF-8 bytes), split at line
ends so that no source line is cut in two (a line longer than the limit is cut between characters).

Our own: the chat SDKs on PyPI truncate rather than split, and this is a dozen lines. Used by WeCom
(2048 bytes) and DingTalk.

>>> [len(part.encode()) for part in split_text("一二三\\n四五六\\n七八九", 20)]
[19, 9]
>>> split_text("由李新同志牵头。", 2048)
['由李新同志牵头。']
"""

from __future__ import annotations


def _cut(line: str, limit: int) -> list[str]:
    """A line longer than ``limit`` bytes, cut between characters."""
    parts, current = [], ""
    for char in line:
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = ""
        current += char
    return [*parts, current] if current else parts


def split_text(text: str, limit: int) -> list[str]:
    """``text`` as messages of at most ``limit`` UTF-8 bytes, split at line ends (a longer line is cut)."""
    messages: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = line if not current else f"{current}\n{line}"
        if len(candidate.encode()) <= limit:
            current = candidate
            continue
        if current:
            messages.append(current)
        pieces = _cut(line, limit) or [""]
        messages += pieces[:-1]
        current = pieces[-1]
    if current.strip():
        messages.append(current)
    return [message for message in messages if message.strip()]

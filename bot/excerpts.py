"""Excerpts: text cut to a length for answers, citations and lists, marked with "…" where cut."""

from __future__ import annotations

ELLIPSIS = "…"


def clip(text: str, limit: int) -> str:
    """``text`` as is when it fits in ``limit`` characters, else its first ``limit - 1`` and "…".

    >>> clip("加强社会治安防控体系建设", 6), clip("抓项目", 6)
    ('加强社会治…', '抓项目')
    """
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS

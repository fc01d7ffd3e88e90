"""The 「原文 N」 request a chat channel's user sends for the paragraph around source N of the last answer,
and the reply that shows it, as plain text (WeCom, DingTalk).

>>> source_number("原文 2"), source_number("原文3"), source_number("谁牵头？")
(2, 3, None)
"""

from __future__ import annotations

import re

from bot.answers import Citation
from prompts import channel_texts as texts

_SOURCE_REQUEST = re.compile(r"^\s*原文\s*(\d{1,3})\s*$")


def _section(citation: Citation) -> str:
    return f" {citation.section} " if citation.section else " "


def source_number(text: str) -> int | None:
    """N if ``text`` asks for 「原文 N」 (or 「原文N」), else None."""
    match = _SOURCE_REQUEST.match(text)
    return int(match.group(1)) if match else None


def source_reply(number: int, citation: Citation, paragraph: str) -> str:
    """Source ``number``'s paragraph under a header naming its document and section."""
    header = texts.SOURCE_HEADER.format(n=number, title=citation.title, section=_section(citation).rstrip())
    return f"{header}\n\n{paragraph.strip()}"

"""What the WeCom app sends back, as plain text (WeCom's text messages have no markup): the answer with
its numbered sources, a source's paragraph, and the 「原文 N」 request that asks for one.

>>> from bot.answers import Answer, Citation
>>> citation = Citation("d1", "全县工作会议讲话", "三、平安建设", "由李新同志牵头。", 0, 8)
>>> print(answer_text(Answer("谁牵头？", "由李新同志牵头。", True, "lead", (citation,))))
由李新同志牵头。
<BLANKLINE>
出处
1. 《全县工作会议讲话》 三、平安建设 “由李新同志牵头。”
>>> source_number("原文 2"), source_number("原文3"), source_number("谁牵头？")
(2, 3, None)
"""

from __future__ import annotations

import re

from bot.answers import Answer, Citation
from prompts import wecom_texts as texts

_SOURCE_REQUEST = re.compile(r"^\s*原文\s*(\d{1,3})\s*$")


def _section(citation: Citation) -> str:
    return f" {citation.section} " if citation.section else " "


def answer_text(answer: Answer) -> str:
    """The answer, then 出处 with numbered sources (《title》 section “quote”)."""
    lines = [answer.answer.strip()]
    if answer.citations:
        lines += ["", texts.SOURCES_LABEL]
        for number, citation in enumerate(answer.citations, start=1):
            lines.append(
                texts.SOURCE_LINE.format(
                    n=number, title=citation.title, section=_section(citation), quote=citation.quote.strip()
                )
            )
    return "\n".join(lines)


def source_number(text: str) -> int | None:
    """N if ``text`` asks for 「原文 N」 (or 「原文N」), else None."""
    match = _SOURCE_REQUEST.match(text)
    return int(match.group(1)) if match else None


def source_reply(number: int, citation: Citation, paragraph: str) -> str:
    """Source ``number``'s paragraph under a header naming its document and section."""
    header = texts.SOURCE_HEADER.format(n=number, title=citation.title, section=_section(citation).rstrip())
    return f"{header}\n\n{paragraph.strip()}"

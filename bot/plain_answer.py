"""An answer as plain text, for the channels without markup (WeCom's text messages, the OpenAI-compatible
chat): the answer, then its numbered sources, each 《title》 section “quote”.

>>> from bot.answers import Answer, Citation
>>> citation = Citation("d1", "全县工作会议讲话", "三、平安建设", "由李新同志牵头。", 0, 8)
>>> print(plain_text(Answer("谁牵头？", "由李新同志牵头。", True, "lead", (citation,))))
由李新同志牵头。
<BLANKLINE>
出处：
[1] 《全县工作会议讲话》 三、平安建设 “由李新同志牵头。”
"""

from __future__ import annotations

from bot.answers import Answer, Citation
from prompts import channel_texts as texts


def plain_text(answer: Answer) -> str:
    """The answer and its numbered sources (none for a refusal)."""
    lines = [answer.answer.strip()]
    if answer.citations:
        lines += ["", texts.SOURCES_LABEL]
        lines += [source_line(number, citation) for number, citation in enumerate(answer.citations, start=1)]
    return "\n".join(lines)


def source_line(number: int, citation: Citation) -> str:
    """``[N] 《title》 section “quote”``; no double space when a citation has no section."""
    line = texts.SOURCE_LINE.format(number=number, title=citation.title, section=citation.section, quote=citation.quote)
    return " ".join(line.split())

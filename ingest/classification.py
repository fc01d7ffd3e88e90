"""Classified and internal documents: the 密级 or 内部 mark in a document's head.

A Telegram bot is no place for classified material: a document whose head carries 「绝密」「机密」「秘密」
(with or without ★ and a term: 「机密★1年」「秘密★满5年」) or 「工作秘密」 is refused at ingest, unless the
operator allows it into a store that the bot will then not serve. 「内部资料 注意保存」 and 「内部」
documents are taken, and their mark is kept to show beside them.

Only the head counts, and only a mark standing on its own there (or the 密级 field of a form): a body
that speaks of 「保守国家秘密」 or 「商业秘密」 is no classified document.

>>> find_marking("机 密\\n★1年\\n关于维稳预案的通知\\n一、由县政法委牵头。")
Marking(level='机密', text='机密★1年')
>>> find_marking("关于保守国家秘密的通知\\n各单位要保守国家秘密和商业秘密。") is None
True
>>> find_marking("内部资料　注意保存\\n全县经济工作会议纪要").text
'内部资料 注意保存'
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from ingest.errors import IngestError
from ingest.language.marks import (
    CLASSIFIED_LEVELS,
    INTERNAL_FIELD,
    INTERNAL_LEVEL,
    INTERNAL_LINE,
    MARK_FIELD,
    MARK_LINE,
    MAX_MARK_CHARS,
    compact,
    level_of,
    line_runs,
)

logger = logging.getLogger(__name__)

# The head: marks stand above the title, in the first lines (份号, 密级, 紧急程度, then the banner).
HEAD_LINES = 10
_HEAD_CHARS = 2000
_LINE_CHARS = 200
# Parts of one line printed apart: 「000123      机密★1年      特急」, cells of a row 「…；…」.
_PARTS = re.compile(r"\s{2,}|\t|[；;]")
_STRENGTH = {level: rank for rank, level in enumerate((*CLASSIFIED_LEVELS, INTERNAL_LEVEL))}


@dataclass(frozen=True)
class Marking:
    """A document's mark: its level (「机密」, or 「内部」 for internal material) and the mark as it reads,
    in one canonical form (「机密★1年」, 「内部资料 注意保存」)."""

    level: str
    text: str

    @property
    def classified(self) -> bool:
        """Whether the mark is a 密级 (or 工作秘密): such a document is refused."""
        return self.level in CLASSIFIED_LEVELS


def find_marking(text: str, title: str | None = None) -> Marking | None:
    """The strongest mark in the head of ``text`` (or in the ``title`` a reader found), else None.

    >>> find_marking("秘密★5年\\n内部资料\\n关于…的通知").level
    '秘密'
    """
    lines = [line for line in text[:_HEAD_CHARS].split("\n") if line.strip()][:HEAD_LINES]
    if title:
        lines.insert(0, title)
    candidates = [mark for line in lines for mark in _line_marks(line[:_LINE_CHARS])]
    candidates += _joined_marks([compact(line) for line in lines])
    if not candidates:
        return None
    return min(candidates, key=lambda mark: (_STRENGTH[mark.level], -len(mark.text)))


def _line_marks(line: str) -> list[Marking]:
    """Marks one line carries: the whole line or a part printed apart is a mark, or it has the 密级 field."""
    whole = compact(line)
    marks = [mark for part in {whole, *map(compact, _PARTS.split(line))} if (mark := _mark(part))]
    field = MARK_FIELD.search(whole)
    if field:
        marks.append(_classified(field))
    internal = INTERNAL_FIELD.search(whole)
    if internal:
        marks.append(Marking(INTERNAL_LEVEL, internal["kind"]))
    return marks


def _joined_marks(lines: list[str]) -> list[Marking]:
    """Marks written over several short lines: 「机\\n密」, 「秘密\\n★\\n5年」."""
    return [mark for _, _, joined in line_runs(lines) if (mark := _mark(joined))]


def _mark(part: str) -> Marking | None:
    """The mark a compact line or part is, if it is one and nothing else."""
    if not part or len(part) > MAX_MARK_CHARS:
        return None
    classified = MARK_LINE.fullmatch(part)
    if classified:
        return _classified(classified)
    internal = INTERNAL_LINE.fullmatch(part)
    if internal:
        return Marking(INTERNAL_LEVEL, " ".join(filter(None, internal.group("kind", "keep"))))
    return None


def _classified(match: re.Match[str]) -> Marking:
    level = level_of(match["level"])
    star = "★" in match.group()
    term = match["term"]
    return Marking(level, level + ("★" if star or term else "") + (term or ""))


def refuse_classified(marking: Marking | None, source: str, *, allow: bool) -> None:
    """Raise ``IngestError`` for a classified document (and log it), unless ``allow``: then log that the
    store now holds one, which the bot will not serve."""
    if marking is None or not marking.classified:
        return
    if allow:
        logger.warning(
            "Storing classified document %s (marked %s) because classified documents are allowed "
            "(LUOSHI_ALLOW_CLASSIFIED); the Telegram bot will not serve this store",
            source,
            marking.text,
        )
        return
    logger.warning("Refused classified document %s: marked %s", source, marking.text)
    raise IngestError(source, "classified", marking.text)

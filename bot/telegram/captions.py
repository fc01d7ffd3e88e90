"""Parse the caption of an admin's upload into document metadata.

Accepted forms (fields in any order, separated by spaces, new lines or ；)::

    标题：全县经济工作会议讲话 讲话人：王县长 日期：2024-12-20 会议：全县经济工作会议
    title=County work report speaker=Wang date=2024/12/20

A caption without any ``key：`` or ``key=`` is taken as the title.
"""

from __future__ import annotations

import re
from datetime import date

from ingest.pipeline import MetadataOverrides
from prompts import telegram_texts as texts

_KEYS: dict[str, str] = {
    "标题": "title",
    "题目": "title",
    "名称": "title",
    "讲话人": "speaker",
    "发言人": "speaker",
    "讲话": "speaker",
    "日期": "date",
    "时间": "date",
    "会议": "meeting",
    "title": "title",
    "speaker": "speaker",
    "date": "date",
    "meeting": "meeting",
}
# Longest names first so that 讲话人 wins over 讲话.
_KEY_PATTERN = "|".join(sorted(map(re.escape, _KEYS), key=len, reverse=True))
_FIELD = re.compile(rf"(?:^|(?<=[\s;；,，]))({_KEY_PATTERN})\s*[：:=]\s*", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TRIM = " \t\r\n;；,，。"


class CaptionError(ValueError):
    """A caption that names a field but whose value cannot be used. ``message_zh`` is for the user."""

    def __init__(self, message_zh: str) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh


def normalise_date(value: str) -> str | None:
    """``2024-12-20``, ``2024/12/20``, ``2024.12.20`` or ``2024年12月20日`` as ISO; None if not a date."""
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


def parse_caption(caption: str | None) -> MetadataOverrides:
    """Metadata from an upload caption; raises :class:`CaptionError` for an unreadable date."""
    text = (caption or "").strip()
    if not text:
        return MetadataOverrides()
    matches = list(_FIELD.finditer(text))
    if not matches:
        title = text.splitlines()[0].strip(_TRIM)
        return MetadataOverrides(title=title or None)
    values: dict[str, str] = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(text)
        value = text[match.end() : end].strip(_TRIM)
        field = _KEYS[match.group(1).lower()]
        if value and field not in values:
            values[field] = value
    if "date" in values:
        iso = normalise_date(values["date"])
        if iso is None:
            raise CaptionError(texts.UPLOAD_BAD_DATE.format(value=values["date"]))
        values["date"] = iso
    return MetadataOverrides(**values)

"""What an uploaded file is called on disk, and how big it is in words, whatever the channel."""

from __future__ import annotations

import re
from pathlib import Path

SUFFIX_BY_MIME: dict[str, str] = {
    "text/plain": ".txt",
    "text/markdown": ".md",
    "text/html": ".html",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def safe_filename(name: str | None, mime_type: str | None = None) -> str:
    """A file name that is safe to create in a temporary directory (no paths, no control chars).

    >>> safe_filename("../../etc/通知.docx"), safe_filename("", "application/pdf")
    ('通知.docx', 'upload.pdf')
    """
    base = Path((name or "").replace("\\", "/")).name
    base = _UNSAFE.sub("_", base).strip(" .")
    if not base:
        base = "upload" + SUFFIX_BY_MIME.get(mime_type or "", "")
    stem, suffix = Path(base).stem, Path(base).suffix
    if len(base) > 120:
        base = stem[: 120 - len(suffix)] + suffix
    return base


def human_size(size: int) -> str:
    """A size as admins read it.

    >>> human_size(3 * 1024 * 1024), human_size(10)
    ('3.0 MB', '1 KB')
    """
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, round(size / 1024))} KB"

"""Readers: get the text out of one file (txt, md, docx, pdf, html), exactly as it will be quoted.

``read_document`` reads a file from disk, ``read_bytes`` an upload; the file-name suffix picks the
reader. Every failure is an ``IngestError`` with a reason code, so one bad file never stops the
ingestion of the others.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from ingest.errors import IngestError
from ingest.models import ExtractedText
from ingest.readers.markdown import read_markdown
from ingest.readers.pdf import read_pdf
from ingest.readers.plain import read_plain
from ingest.readers.webpage import read_html
from ingest.readers.word import read_docx

__all__ = ["SUPPORTED_SUFFIXES", "read_bytes", "read_document"]

Reader = Callable[[bytes, Path], ExtractedText]

_READERS: dict[str, Reader] = {
    ".txt": read_plain,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".docx": read_docx,
    ".pdf": read_pdf,
    ".html": read_html,
    ".htm": read_html,
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_READERS)


def read_document(path: Path, *, max_bytes: int) -> ExtractedText:
    """Read the file at ``path``; files over ``max_bytes`` are refused before they are read."""
    path = Path(path)
    reader = _reader_for(path)
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise IngestError(path, "not_found", "not a regular file")
        if status.st_size > max_bytes:
            raise _too_large(path, status.st_size, max_bytes)
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)  # the file may have grown since stat()
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise IngestError(path, "not_found") from exc
    except OSError as exc:
        raise IngestError(path, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}") from exc
    return _read(reader, data, path, max_bytes)


def read_bytes(data: bytes, filename: str, *, max_bytes: int) -> ExtractedText:
    """Read an uploaded file; the suffix of ``filename`` picks the reader."""
    path = Path(Path(filename).name)  # only the name: uploads may carry any path
    return _read(_reader_for(path), data, path, max_bytes)


def _reader_for(path: Path) -> Reader:
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise IngestError(path, "unsupported_type", path.suffix or "no suffix")
    return reader


def _read(reader: Reader, data: bytes, path: Path, max_bytes: int) -> ExtractedText:
    if len(data) > max_bytes:
        raise _too_large(path, len(data), max_bytes)
    if not data.strip():
        raise IngestError(path, "empty")
    try:
        extracted = reader(data, path)
    except RecursionError as exc:  # a library that walks a deep structure by recursion
        raise IngestError(path, "too_deep", "recursion limit reached") from exc
    if not extracted.text.strip():
        raise IngestError(path, "empty")
    return extracted


def _too_large(path: Path, size: int, max_bytes: int) -> IngestError:
    return IngestError(path, "too_large", f"{size} bytes, limit {max_bytes}")

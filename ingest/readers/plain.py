"""Plain text files (.txt)."""

from __future__ import annotations

from pathlib import Path

from ingest.models import ExtractedText
from ingest.readers.builder import TextBuilder
from ingest.readers.encoding import decode_text


def read_plain(data: bytes, source: Path) -> ExtractedText:
    """Decode the text and lay it out one paragraph per line. Raises ``IngestError``."""
    text, encoding = decode_text(data, source)
    builder = TextBuilder()
    builder.add(text)
    return builder.build(encoding=encoding)

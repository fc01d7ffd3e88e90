"""PDF files (.pdf), with pypdf: the text layer of every page, in page order.

A PDF whose pages carry no text at all is a scan and needs OCR first (``no_text_layer``); one
with some text-less pages (a scanned annex) is read for the text it has.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from ingest.errors import IngestError
from ingest.models import ExtractedText
from ingest.readers.builder import TextBuilder

# Titles that PDF producers fill in by themselves; they say nothing about the document.
_PLACEHOLDER_TITLES = frozenset({"untitled", "无标题", "无标题文档"})
_WORD_EXPORT_TITLE = re.compile(r"^Microsoft Word - (.+?)(?:\.docx?)?$", re.IGNORECASE)
# Inflated page content of a whole file: a 1,000-page report has some 30 MB.
MAX_CONTENT_BYTES = 64 * 1024 * 1024


def read_pdf(data: bytes, source: Path) -> ExtractedText:
    """Text of every page, one paragraph per line. Raises ``IngestError``."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            _decrypt(reader, source)
        _check_content_size(reader, source)
        pages = [page.extract_text() or "" for page in reader.pages]
        title = _title(reader)
    except IngestError:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise IngestError(source, "encrypted", str(exc)) from exc
    except Exception as exc:  # pypdf raises many types on malformed files, not only PdfReadError
        raise IngestError(source, "corrupted", f"{type(exc).__name__}: {exc}"[:200]) from exc
    if not pages:
        raise IngestError(source, "empty", "no pages")
    if not any(page.strip() for page in pages):
        raise IngestError(source, "no_text_layer", f"{len(pages)} pages without text")
    builder = TextBuilder()
    for page in pages:
        builder.add(page)
    return builder.build(title=title)


def _check_content_size(reader: PdfReader, source: Path) -> None:
    """Refuse a PDF whose pages' content streams inflate past ``MAX_CONTENT_BYTES`` in all.

    pypdf parses page content at about 0.3–4 µs a byte: a 70 kB file whose five pages share one
    stream of 70 MB of blanks took 110 s. Inflating alone is fast and pypdf bounds it per stream;
    a stream that several pages show counts once per page, as it is parsed once per page.
    """
    total = 0
    for number, page in enumerate(reader.pages, start=1):
        contents = page.get_contents()
        total += len(contents.get_data()) if contents is not None else 0
        if total > MAX_CONTENT_BYTES:
            raise IngestError(
                source, "zip_bomb", f"page content inflates past {MAX_CONTENT_BYTES} bytes by page {number}"
            )


def _decrypt(reader: PdfReader, source: Path) -> None:
    """Open a PDF that is only protected against editing (empty user password), or refuse it."""
    if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise IngestError(source, "encrypted", "a password is needed to open it")


def _title(reader: PdfReader) -> str | None:
    """The document-information title, unless it is empty or a producer's placeholder."""
    metadata = reader.metadata
    title = (metadata.title or "").strip() if metadata else ""
    match = _WORD_EXPORT_TITLE.match(title)
    if match:
        title = match.group(1).strip()
    return None if title.lower() in _PLACEHOLDER_TITLES else title or None

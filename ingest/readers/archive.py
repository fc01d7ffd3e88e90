"""Zip packages (.docx): refuse a zip bomb from its directory, before anything is inflated.

The central directory states every member's compressed and uncompressed size, and ``zipfile``
never inflates a member past its stated size (a member that holds more fails its CRC check), so
the stated sizes bound the work. Every member counts, parts no reader opens too: a bomb hidden
in an unused part is refused like one in ``word/document.xml``. The ratio limit and its grace
size are Apache POI's (``ZipSecureFile``), which guards Office files the same way.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ingest.errors import IngestError

MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # all members together, inflated
MAX_RATIO = 100  # inflated size / compressed size of one member
RATIO_GRACE_BYTES = 100 * 1024  # members smaller than this may compress better (tiny XML parts)
MAX_MEMBERS = 10_000


def check_zip(data: bytes, source: Path) -> None:
    """Raise ``IngestError`` (``zip_bomb``) if the package would inflate past the limits.

    A file that is no zip at all passes: the reader reports it as corrupted.

    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
    ...     package.writestr("word/document.xml", "<w:p/>" * 100_000)
    >>> try:
    ...     check_zip(buffer.getvalue(), Path("炸弹.docx"))
    ... except IngestError as error:
    ...     print(error.reason, error.detail[:39])
    zip_bomb word/document.xml inflates 600000 bytes
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return
    if len(members) > MAX_MEMBERS:
        raise IngestError(source, "zip_bomb", f"{len(members)} members, limit {MAX_MEMBERS}")
    total = sum(member.file_size for member in members)
    if total > MAX_UNPACKED_BYTES:
        raise IngestError(source, "zip_bomb", f"inflates to {total} bytes, limit {MAX_UNPACKED_BYTES}")
    for member in members:
        if member.file_size > RATIO_GRACE_BYTES and member.file_size > MAX_RATIO * member.compress_size:
            raise IngestError(
                source,
                "zip_bomb",
                f"{member.filename} inflates {member.file_size} bytes from {member.compress_size} bytes, "
                f"ratio over {MAX_RATIO}",
            )

"""Readers, ``read_bytes``: the same result as reading the file, only the name's last part, its own errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.readers import read_bytes
from tests.reader_files import LIMIT, SPEECH, build_docx, build_pdf, read


@pytest.mark.parametrize(
    ("name", "data"),
    [("讲话.txt", SPEECH.encode("gbk")), ("讲话.docx", build_docx()), ("a.pdf", build_pdf([["正文。"]]))],
)
def test_read_bytes_matches_read_document(tmp_path: Path, name: str, data: bytes) -> None:
    assert read_bytes(data, name, max_bytes=LIMIT) == read(tmp_path, name, data)


def test_read_bytes_uses_only_the_file_name(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as caught:
        read_bytes(b"", "../../etc/空.TXT", max_bytes=LIMIT)
    assert caught.value.reason == "empty"
    assert caught.value.path == Path("空.TXT")
    assert "《空.TXT》" in caught.value.message_zh


def test_read_bytes_errors() -> None:
    with pytest.raises(IngestError) as caught:
        read_bytes(b"x" * 11, "a.txt", max_bytes=10)
    assert caught.value.reason == "too_large"
    with pytest.raises(IngestError) as caught:
        read_bytes(b"data", "报表.xls", max_bytes=10)
    assert caught.value.reason == "unsupported_type"
    assert "报表.xls" in caught.value.message_zh

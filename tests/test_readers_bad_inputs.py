"""Readers, bad inputs: empty, whitespace-only, unsupported, binary junk, corrupted, too large, missing files."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

import docx
import pytest

from ingest.readers import read_document
from tests.reader_files import assert_error, read, write


@pytest.mark.parametrize("name", ["空.txt", "空.md", "空.docx", "空.pdf", "空.html"])
def test_empty_file(tmp_path: Path, name: str) -> None:
    assert_error(write(tmp_path, name, b""), "empty")


@pytest.mark.parametrize(
    "data",
    [b"  \r\n\t\n   ", "\ufeff\u3000\u3000\n".encode("utf-8-sig"), "\n \n".encode("utf-16")],
)
def test_whitespace_only_txt(tmp_path: Path, data: bytes) -> None:
    assert_error(write(tmp_path, "空白.txt", data), "empty")


def test_html_without_visible_text(tmp_path: Path) -> None:
    data = b"<html><head><title>t</title><script>x()</script></head><body> </body></html>"
    assert_error(write(tmp_path, "空.html", data), "empty")


def test_docx_without_text(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    assert_error(write(tmp_path, "空.docx", buffer.getvalue()), "empty")


def test_unsupported_suffix(tmp_path: Path) -> None:
    error = assert_error(write(tmp_path, "报表.xls", b"\xd0\xcf\x11\xe0 data"), "unsupported_type")
    assert ".xls" in error.message_en


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00",
        random.Random(7).randbytes(4096),
        random.Random(7).randbytes(4096).replace(b"\x00", b"\x01"),  # no NUL byte to give it away
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        "正文".encode() + b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f",
    ],
    ids=["png", "random", "random-without-nul", "pdf-renamed", "control-bytes"],
)
def test_binary_junk_renamed_txt(tmp_path: Path, data: bytes) -> None:
    assert_error(write(tmp_path, "图片.txt", data), "binary")


@pytest.mark.parametrize(
    "data",
    [random.Random(3).randbytes(2048), b"PK\x03\x04 not really a zip", "正文".encode()],
    ids=["random", "fake-zip", "plain-text"],
)
def test_corrupted_docx(tmp_path: Path, data: bytes) -> None:
    assert_error(write(tmp_path, "损坏.docx", data), "corrupted")


def test_random_bytes_pdf(tmp_path: Path) -> None:
    assert_error(write(tmp_path, "损坏.pdf", random.Random(5).randbytes(2048)), "corrupted")


def test_over_the_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "大文件.txt", "正文。".encode() * 100)
    error = assert_error(path, "too_large", max_bytes=100)
    assert "limit 100" in error.message_en
    assert read_document(path, max_bytes=len(path.read_bytes())).text  # exactly at the limit: read


def test_missing_file(tmp_path: Path) -> None:
    assert_error(tmp_path / "不存在.docx", "not_found")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "无权限.txt", "正文。".encode())
    path.chmod(0)
    assert_error(path, "unreadable")


def test_directory_is_not_a_document(tmp_path: Path) -> None:
    (tmp_path / "目录.txt").mkdir()
    assert_error(tmp_path / "目录.txt", "not_found")


@pytest.mark.parametrize("charset", ["undefined", "utf-16", "UTF-32", "rot13", "base64"])
@pytest.mark.parametrize("padding", ["", " "])
def test_html_declaring_an_unusable_charset_is_read(tmp_path: Path, charset: str, padding: str) -> None:
    """A codec that cannot decode text (undefined) or a UTF-16/32 page without a BOM: UTF-8 is detected."""
    page = f'<html><head><meta charset="{charset}"></head><body><p>由县政法委牵头。</p></body></html>{padding}'
    assert read(tmp_path, "通知.html", page.encode()).text == "由县政法委牵头。"

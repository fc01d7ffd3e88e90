"""Readers, hostile inputs: pages nested thousands deep, and .docx zip bombs.

A deep page is read (the walk keeps its own stack); a zip bomb is refused from the sizes its
directory states, before anything is inflated. Either way the other files of a folder go in.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine
from ingest.normalize import normalize
from ingest.readers import read_document
from ingest.readers.archive import MAX_RATIO, MAX_UNPACKED_BYTES
from ingest.readers.pdf import MAX_CONTENT_BYTES
from tests.conftest import luoshi
from tests.reader_files import LIMIT, assert_error, build_docx, read, write

DIRECTIVE = "由县政法委牵头，负责突发事件维稳处置预案修订。"


def nested(opening: str, closing: str, depth: int) -> bytes:
    """A page with ``DIRECTIVE`` inside ``depth`` copies of ``opening``…``closing``."""
    page = f"<html><body>{opening * depth}<p>{DIRECTIVE}</p>{closing * depth}<p>附件：无</p></body></html>"
    return page.encode()


@pytest.mark.parametrize(
    ("opening", "closing", "depth"),
    [
        ("<div>", "</div>", 500),
        ("<div>", "</div>", 5000),
        ("<span>", "</span>", 3000),
        ("<ul><li>", "</li></ul>", 1000),
        ("<table><tr><td>", "</td></tr></table>", 1000),  # layout tables in layout tables
        ("<table><caption>表</caption><tr><td>", "</td></tr></table>", 500),
        ("<h2>标题<span>", "</span></h2>", 1000),
        ("<h2>标题<table><tr><td>", "</td></tr></table></h2>", 500),
    ],
    ids=["div-500", "div-5000", "span", "list", "tables", "captions", "heading", "tables-in-heading"],
)
def test_deeply_nested_html_is_read(tmp_path: Path, opening: str, closing: str, depth: int) -> None:
    extracted = read(tmp_path, "深层嵌套.html", nested(opening, closing, depth))
    assert DIRECTIVE in extracted.text
    assert extracted.text.endswith("附件：无")


def test_folder_with_a_deeply_nested_page_goes_in(tmp_path: Path, make_engine: Callable[..., Engine]) -> None:
    folder = tmp_path / "文件夹"
    folder.mkdir()
    write(folder, "a-深层嵌套.html", nested("<div>", "</div>", 500))
    write(folder, "b-通知.txt", "关于巡逻的通知\n县公安局负责治安巡逻。".encode())
    result = luoshi(tmp_path / "data", "ingest", str(folder))
    assert result.returncode == 0, result.stderr
    assert "a-深层嵌套.html" in result.stdout and "b-通知.txt" in result.stdout
    engine = make_engine(tmp_path / "data")
    assert len(engine.documents()) == 2
    assert "县政法委" in engine.answer("谁牵头负责突发事件维稳处置预案修订？").answer


# ---------------------------------------------------------------------------------- zip bombs
def with_member(docx: bytes, name: str, data: bytes) -> bytes:
    """``docx`` with one more member, deflated."""
    buffer = io.BytesIO(docx)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr(name, data)
    return buffer.getvalue()


def replaced_member(docx: bytes, name: str, data: bytes) -> bytes:
    """``docx`` with member ``name`` replaced by ``data``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            target.writestr(member.filename, data if member.filename == name else source.read(member))
    return buffer.getvalue()


def declaring(package: bytes, name: str, file_size: int, compress_size: int) -> bytes:
    """``package`` whose central directory states other sizes for ``name`` than its data has."""
    data = bytearray(package)
    encoded = name.encode()
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        name_length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + name_length] == encoded:
            struct.pack_into("<II", data, position + 20, compress_size, file_size)
        position = data.find(b"PK\x01\x02", position + 46)
    return bytes(data)


def test_document_xml_bomb_is_refused(tmp_path: Path) -> None:
    docx = build_docx()
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        body = package.read("word/document.xml")
    padded = body.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 400_000)  # 2.4 MB of empty paragraphs
    bomb = replaced_member(docx, "word/document.xml", padded)
    assert len(bomb) < 50_000
    error = assert_error(write(tmp_path, "炸弹.docx", bomb), "zip_bomb")
    assert "word/document.xml" in error.message_en and f"ratio over {MAX_RATIO}" in error.message_en
    assert "压缩炸弹" in error.message_zh


def test_bomb_in_an_unused_part_is_refused(tmp_path: Path) -> None:
    bomb = with_member(build_docx(), "customXml/item9.bin", bytes(20_000_000))
    assert read(tmp_path, "正常.docx", build_docx()).text  # the same file without the bomb is read
    error = assert_error(write(tmp_path, "炸弹.docx", bomb), "zip_bomb")
    assert "customXml/item9.bin" in error.message_en


def test_stated_sizes_refuse_before_inflating(tmp_path: Path) -> None:
    """Sizes in the directory alone refuse the file: its members are not even there to inflate."""
    package = build_docx()
    for number in range(3):
        package = with_member(package, f"media/part{number}.bin", b"x")
        package = declaring(package, f"media/part{number}.bin", 100 * 1024 * 1024, 2 * 1024 * 1024)
    error = assert_error(write(tmp_path, "声明过大.docx", package), "zip_bomb")
    assert f"limit {MAX_UNPACKED_BYTES}" in error.message_en


def test_ordinary_docx_with_a_large_image_is_read(tmp_path: Path) -> None:
    image = random.Random(1).randbytes(2_000_000)  # packs as poorly as a photo
    docx = with_member(build_docx(), "word/media/image1.png", image)
    assert "预防为主" in read_document(write(tmp_path, "带图.docx", docx), max_bytes=LIMIT).text


def pdf_sharing_one_stream(content: bytes, pages: int) -> bytes:
    """A PDF whose ``pages`` pages all show one deflated content stream."""
    packed = zlib.compress(content, 9)
    kids = " ".join(f"{4 + page} 0 R" for page in range(pages))
    font = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(packed), packed),
        *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources %s >>" % font] * pages,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


TEXT_OPERATORS = b"BT /F1 12 Tf 72 700 Td (Notice 2025) Tj ET\n"


def test_pdf_content_bomb_is_refused(tmp_path: Path) -> None:
    """70 MB of blanks behind a 70 kB file, on 5 pages: refused before pypdf parses it (110 s before)."""
    bomb = pdf_sharing_one_stream(TEXT_OPERATORS + b" " * 70_000_000, 5)
    assert len(bomb) < 100_000
    error = assert_error(write(tmp_path, "炸弹.pdf", bomb), "zip_bomb")
    assert f"past {MAX_CONTENT_BYTES} bytes by page 1" in error.message_en
    assert read(tmp_path, "正常.pdf", pdf_sharing_one_stream(TEXT_OPERATORS, 5)).text.startswith("Notice 2025")


# ------------------------------------------------------------------------ lines that backtracked
# Their speed is timed by benchmarks/hostile_files.py; these check that they still read right.
def test_markdown_heading_with_a_long_space_run(tmp_path: Path) -> None:
    extracted = read(tmp_path, "标题.md", ("## 一、总体要求" + " " * 5000 + "##\n正文。").encode())
    assert extracted.text == "一、总体要求\n正文。"
    assert [(hint.start, hint.end, hint.level) for hint in extracted.headings] == [(0, 6, 2)]


def test_markdown_bracket_runs_are_kept_as_text(tmp_path: Path) -> None:
    line = "![" * 3000 + "[链接](http://x.cn) [a](" * 10
    assert read(tmp_path, "括号.md", line.encode()).text == "![" * 3000 + "链接 [a](" * 9 + "链接 [a]("


def test_long_space_run_between_letters_becomes_one_space() -> None:
    assert normalize("a" + " " * 40_000 + "b" + " " * 40_000).text == "a b"

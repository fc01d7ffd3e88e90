"""Fuzzing the readers: random and mutated bytes give a document or one file's clear error.

Whatever the bytes, reading a file (and building its sections, chunks and ledger records, as
ingest does before it commits) returns a result or raises ``IngestError`` with a known reason
that names the file in English and Chinese: never another exception, which would stop a
folder's ingest. Mutations start from real files of each type; a .docx is also mutated inside
its ``word/document.xml``, where python-docx and our walk read, not only in its zip bytes.
"""

from __future__ import annotations

import io
import zipfile
from encodings.aliases import aliases

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.errors import REASONS, IngestError
from ingest.extraction import extract
from ingest.pipeline import MetadataOverrides, build_document, document_meta
from ingest.readers import read_bytes
from tests.reader_files import SPEECH, build_docx, build_pdf

LIMIT = 5_000_000
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MARKDOWN = (
    "# 关于维稳预案的通知\n\n## 一、总体要求\n\n- 由**县政法委**牵头，负责[预案](http://x)修订。\n\n"
    "| 任务 | 牵头单位 |\n|---|---|\n| 预案修订 | 县政法委 |\n\n```\n代码\n```\n> 引文\n"
)
HTML = (
    '<html><head><meta charset="utf-8"><title>通知</title><style>p{}</style></head><body>'
    "<h1>关于维稳预案的通知</h1><div><p>一、由县政法委牵头，负责预案修订。</p><br>"
    '<table><caption>分工</caption><tr><th>任务</th><th colspan="2">单位</th></tr>'
    '<tr><td rowspan="2">修订</td><td>县政法委</td><td>县公安局</td></tr></table>'
    '<pre>附件\n  名单</pre><span hidden>隐</span><p style="display:none">藏</p></div></body></html>'
)
SEEDS: dict[str, bytes] = {
    ".txt": SPEECH.encode("utf-8"),
    ".md": MARKDOWN.encode("utf-8"),
    ".html": HTML.encode("utf-8"),
    ".docx": build_docx(),
    ".pdf": build_pdf([["一、总体要求", "由县公安局牵头，负责治安防控。"], ["二、保障措施"]], title="通知"),
}


def read_or_refuse(data: bytes, suffix: str) -> None:
    """Read ``data`` as a file with ``suffix`` and build it as ingest does, or get a clear refusal."""
    name = f"模糊测试{suffix}"
    try:
        extracted = read_bytes(data, name, max_bytes=LIMIT)
    except IngestError as error:
        assert error.reason in REASONS
        assert name in error.message_en and name in error.message_zh
        return
    assert extracted.text.strip()
    document = build_document("doc", name, extracted, document_meta(extracted, name, MetadataOverrides()))
    for chunk in document.chunks:
        assert chunk.text == extracted.text[chunk.start : chunk.end]
    for directive in extract(document).directives:
        assert extracted.text[directive.start : directive.end] == directive.quote


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` after a few byte-level edits: flips, deletions, insertions, repeats, a cut."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 6))):
        edit = draw(st.sampled_from(["flip", "delete", "insert", "repeat", "cut"]))
        at = draw(st.integers(0, len(data)))
        if edit == "flip" and at < len(data):
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif edit == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 64))] * draw(st.integers(2, 50))
        elif edit == "cut":
            del data[at:]
    return bytes(data)


@st.composite
def docx_with_mutated_body(draw: st.DrawFn) -> bytes:
    """The seed .docx, re-zipped with a mutated ``word/document.xml``."""
    seed = SEEDS[".docx"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(seed)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml":
                data = draw(mutated(data))
            target.writestr(member.filename, data)
    return buffer.getvalue()


SUFFIXES = st.sampled_from(sorted(SEEDS))


@FUZZ
@given(SUFFIXES, st.binary(max_size=3000))
def test_random_bytes(suffix: str, data: bytes) -> None:
    read_or_refuse(data, suffix)


@FUZZ
@given(SUFFIXES, st.text(max_size=600))
def test_random_text(suffix: str, text: str) -> None:
    read_or_refuse(text.encode("utf-8", "surrogatepass"), suffix)


@settings(FUZZ, max_examples=60)
@given(st.data())
def test_mutated_files(data: st.DataObject) -> None:
    suffix = data.draw(SUFFIXES)
    read_or_refuse(data.draw(mutated(SEEDS[suffix])), suffix)


@FUZZ
@given(docx_with_mutated_body())
def test_docx_with_mutated_document_xml(data: bytes) -> None:
    read_or_refuse(data, ".docx")


# Every name Python knows an encoding by, and names it does not: what a page may declare.
CHARSETS = sorted({*aliases, *aliases.values(), "undefined", "x-user-defined", "utf-16", "utf-32", "unknown", ""})


def declaring(charset: str, body: str) -> str:
    """A page whose ``<meta>`` declares ``charset``."""
    return f'<html><head><meta charset="{charset}"><title>通知</title></head><body><p>{body}</p><p>由县局牵头。</p>'


def test_html_declaring_every_charset() -> None:
    for charset in CHARSETS:
        for body in ("", "x", "附件"):  # odd and even lengths: UTF-16 decodes only the even ones
            for encoding in ("utf-8", "gb18030"):
                read_or_refuse(declaring(charset, body).encode(encoding), ".html")


@FUZZ
@given(st.sampled_from(CHARSETS), st.text(max_size=200))
def test_html_declaring_any_charset_with_any_text(charset: str, body: str) -> None:
    for encoding in ("utf-8", "gb18030"):
        read_or_refuse(declaring(charset, body).encode(encoding, "replace"), ".html")


def test_seeds_are_read() -> None:
    """The mutations start from files that read cleanly."""
    for suffix, data in SEEDS.items():
        assert read_bytes(data, f"种子{suffix}", max_bytes=LIMIT).text

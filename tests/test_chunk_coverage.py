"""Nothing is lost between the text and the index: every character of body text is in a chunk.

A bare heading (「三、保障措施」) needs no chunk of its own, since the chunks under it carry it in
their section path (and so in the text retrieval sees); a heading that says something
(「一、由县政法委牵头，负责…修订。」) or heads nothing is body text.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.engine import Engine
from ingest.extraction import extract
from ingest.models import ExtractedText
from ingest.pipeline import MetadataOverrides, build_document, document_meta
from ingest.readers import SUPPORTED_SUFFIXES, read_bytes, read_document
from tests.conftest import REPO
from tests.reader_files import SPEECH, build_docx, build_pdf
from vectorstore.catalog import NewDocument

REAL_CORPUS = REPO.parent / "shared" / "corpus" / "real"  # the real documents, beside the checkout
DOCUMENTS = sorted(
    path
    for folder in (REPO / "examples", REPO / "tests" / "data", REPO / "benchmarks" / "data" / "docs", REAL_CORPUS)
    if folder.is_dir()
    for path in folder.iterdir()
    if path.suffix.lower() in SUPPORTED_SUFFIXES and path.name != "SOURCES.md"
)

SHORT_DIRECTIVES = [
    (
        "关于维稳预案的通知\n一、由县政法委牵头，负责突发事件维稳处置预案修订。",
        "谁牵头负责突发事件维稳处置预案修订？",
        "县政法委",
    ),
    (
        "关于老旧小区改造的通知\n（一）由县住建局牵头，负责老旧小区改造方案编制。",
        "谁牵头负责老旧小区改造方案编制？",
        "县住建局",
    ),
]


def built(extracted: ExtractedText, name: str) -> NewDocument:
    """The document as ingest builds it for the catalog."""
    return build_document("doc", name, extracted, document_meta(extracted, name, MetadataOverrides()))


def uncovered_lines(document: NewDocument) -> list[str]:
    """Lines of the normalised text with a non-blank character in no chunk, bare headings aside.

    A bare heading counts as covered when the next chunk's section path holds it: retrieval reads
    it there (``index_text``), and a ledger record in it belongs to that chunk.
    """
    text = document.normalized
    covered = bytearray(len(text))
    for chunk in document.chunks:
        covered[chunk.norm_start : chunk.norm_end] = b"\x01" * (chunk.norm_end - chunk.norm_start)
    starts = [chunk.norm_start for chunk in document.chunks]
    missing: list[str] = []
    position = 0
    for line in text.split("\n"):
        start, position = position, position + len(line) + 1
        if all(covered[start + offset] or char.isspace() for offset, char in enumerate(line)):
            continue
        following = bisect.bisect_left(starts, start)
        carriers = document.chunks[following].section if following < len(starts) else ()
        if line.strip().rstrip("：:") not in carriers:
            missing.append(line)
    return missing


def assert_nothing_lost(document: NewDocument) -> None:
    """Chunks cover the body text, quote the original verbatim, and hold every ledger record."""
    assert uncovered_lines(document) == []
    for chunk in document.chunks:
        assert chunk.text == document.original[chunk.start : chunk.end]
    extraction = extract(document)
    assert [record.quote for record in extraction.directives if record.chunk_id is None] == []
    assert [record.quote for record in extraction.slogans if record.chunk_id is None] == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=[path.name for path in DOCUMENTS])
def test_chunks_cover_every_test_document(path: Path) -> None:
    assert_nothing_lost(built(read_document(path, max_bytes=10**8), path.name))


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("speech.txt", SPEECH.encode()),
        ("speech.docx", build_docx()),
        ("speech.pdf", build_pdf([["一、总体要求", "1.由县公安局牵头，负责治安防控。"], ["2.完善机制"]])),
    ],
)
def test_chunks_cover_reader_test_files(name: str, data: bytes) -> None:
    assert_nothing_lost(built(read_bytes(data, name, max_bytes=10**7), name))


@pytest.mark.parametrize(
    "text",
    [
        "关于维稳预案的通知\n一、由县政法委牵头，负责突发事件维稳处置预案修订。",
        "一、总体要求\n（一）指导思想。坚持以人民为中心。\n1. 完善机制\n2.建立台账，逐项销号。",
        "一、重点任务\n（一）由县住建局牵头，负责老旧小区改造。\n1.摸清底数\n2.制定方案",
        "三、促进产教融合校企“双元”育人\n（九）坚持知行合一、工学结合。",
    ],
)
def test_short_lines_are_chunked(text: str) -> None:
    assert_nothing_lost(built(read_bytes(text.encode(), "通知.txt", max_bytes=10**7), "通知.txt"))


def test_bare_heading_stays_out_of_the_chunks() -> None:
    document = built(read_bytes("一、保障措施\n（一）加强组织领导。".encode(), "a.txt", max_bytes=10**7), "a.txt")
    assert [chunk.text for chunk in document.chunks] == ["（一）加强组织领导。"]
    assert document.chunks[0].section == ("一、保障措施", "（一）加强组织领导")


@pytest.mark.parametrize(("text", "question", "lead"), SHORT_DIRECTIVES)
def test_short_directive_line_is_answered(
    engine_with: Callable[..., Engine], text: str, question: str, lead: str
) -> None:
    engine = engine_with(text)
    records = engine.ledger.directives()
    assert records and all(record.chunk_id for record in records)
    answer = engine.answer(question)
    assert answer.found, answer.answer
    assert lead in answer.answer
    assert any(lead in citation.quote for citation in answer.citations)


_LINE = st.one_of(
    st.sampled_from(["一、总体要求", "（二）加强领导", "3.完善机制", "（1）细化分工", "第一章 总则", "二、"]),
    st.sampled_from(["一、", "（一）", "2.", "（3）", ""]).flatmap(
        lambda number: st.text(st.sampled_from("由县局牵头负责修订，。；：要抓好工作“”"), min_size=1, max_size=30).map(
            lambda body: number + body
        )
    ),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=12))
def test_random_documents_lose_nothing(lines: list[str]) -> None:
    extracted = ExtractedText("\n".join(lines))
    assume(extracted.text.strip("\n：:"))
    assert uncovered_lines(built(extracted, "随机.txt")) == []

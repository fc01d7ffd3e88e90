"""Hostile files: how long reading and building them takes, at two sizes, to show the growth is linear.

Each case is a file an attacker or a broken exporter could hand Luoshi: pages nested thousands
deep, a .docx zip bomb, a PDF content bomb, a .docx of many paragraphs, Markdown and text lines that once made
regexes backtrack. A case is read with the real reader (``read_bytes``) and, when it reads,
built into sections and chunks as ingest builds it (``build_document``; extraction, whose
patterns are timed by their own benchmark, is left out). The table gives the seconds at size n
and 2n and their ratio: about 2 is linear, about 4 quadratic. No assertion: the unit tests check
what these files give, this script how long they take.

    python benchmarks/hostile_files.py            # n as listed, a minute or two
    python benchmarks/hostile_files.py --scale 4  # every n four times larger
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from ingest.errors import IngestError  # noqa: E402
from ingest.pipeline import MetadataOverrides, build_document, document_meta  # noqa: E402
from ingest.readers import read_bytes  # noqa: E402
from tests.reader_files import build_docx  # noqa: E402
from tests.test_readers_hostile import TEXT_OPERATORS, pdf_sharing_one_stream  # noqa: E402

LIMIT = 200 * 1024 * 1024


def nested_html(opening: str, closing: str) -> Callable[[int], bytes]:
    """A page with a directive inside n copies of ``opening``…``closing``."""

    def build(n: int) -> bytes:
        return f"<html><body>{opening * n}<p>由县政法委牵头。</p>{closing * n}</body></html>".encode()

    return build


def docx_body(paragraph: Callable[[int], bytes]) -> Callable[[int], bytes]:
    """A .docx whose body holds n paragraphs made by ``paragraph``."""

    def build(n: int) -> bytes:
        seed = build_docx()
        buffer = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(seed)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for member in source.infolist():
                data = source.read(member)
                if member.filename == "word/document.xml":
                    data = data.replace(b"<w:body>", b"<w:body>" + b"".join(paragraph(i) for i in range(n)))
                out.writestr(member.filename, data)
        return buffer.getvalue()

    return build


def text_paragraph(number: int) -> bytes:
    token = random.Random(number).randrange(10**9)
    return f"<w:p><w:r><w:t>由县局{token}牵头，负责第{number}项工作。</w:t></w:r></w:p>".encode()


def blank_pdf(n: int) -> bytes:
    """A 5-page PDF whose pages share one deflated stream of n blanks."""
    return pdf_sharing_one_stream(TEXT_OPERATORS + b" " * n, 5)


CASES: list[tuple[str, str, int, Callable[[int], bytes]]] = [
    ("nested <div>", ".html", 5_000, nested_html("<div>", "</div>")),
    ("nested layout tables", ".html", 1_000, nested_html("<table><tr><td>", "</td></tr></table>")),
    ("tables in headings", ".html", 1_000, nested_html("<h2>标题<table><tr><td>", "</td></tr></table></h2>")),
    ("docx: paragraphs", ".docx", 5_000, docx_body(text_paragraph)),
    ("docx: zip bomb (refused)", ".docx", 400_000, docx_body(lambda _: b"<w:p/>")),
    ("pdf: one blank stream on 5 pages (refused)", ".pdf", 70_000_000, blank_pdf),
    ("md: # heading, space run", ".md", 10_000, lambda n: ("# 标题" + " " * n + "正文\n").encode()),
    ("md: 「![」 run", ".md", 10_000, lambda n: ("![" * n + "\n").encode()),
    ("md: 「[a](」 run", ".md", 20_000, lambda n: ("[a](" * n + "\n").encode()),
    ("txt: space run between letters", ".txt", 40_000, lambda n: ("a" + " " * n + "b").encode()),
    ("txt: 「一要」 run", ".txt", 50_000, lambda n: ("一要" * n).encode()),
    ("txt: bare headings", ".txt", 10_000, lambda n: "".join(f"{i % 9 + 1}.\n" for i in range(n)).encode()),
]


def seconds(suffix: str, data: bytes) -> tuple[float, str]:
    """Seconds to read and build ``data`` as a file with ``suffix``, and what came of it."""
    started = time.perf_counter()
    try:
        extracted = read_bytes(data, f"hostile{suffix}", max_bytes=LIMIT)
    except IngestError as error:
        return time.perf_counter() - started, f"refused: {error.reason}"
    document = build_document("doc", "hostile", extracted, document_meta(extracted, "hostile", MetadataOverrides()))
    return time.perf_counter() - started, f"{len(document.chunks)} chunks"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="multiply every n by this")
    args = parser.parse_args()
    print("| case | n | bytes | s at n | s at 2n | ratio | result |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, suffix, n, build in CASES:
        n *= args.scale
        small, large = build(n), build(2 * n)
        first, result = seconds(suffix, small)
        second, _ = seconds(suffix, large)
        ratio = second / first if first > 0 else float("nan")
        print(f"| {name} | {n} | {len(small)} | {first:.2f} | {second:.2f} | {ratio:.1f} | {result} |", flush=True)


if __name__ == "__main__":
    main()

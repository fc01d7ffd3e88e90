"""Checks the development set in benchmarks/data: gold data that lies makes the benchmark lie.

Self-contained on purpose: the document text is extracted here with python-docx / BeautifulSoup /
pypdf directly, not with the project's readers, so this test holds the data to account even while
the ingest code changes.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "benchmarks" / "data"
DOCS = DATA / "docs"
QA = DATA / "dev-qa.jsonl"

KEYS = {"id", "doc", "type", "question", "answer", "must_contain", "evidence"}
TYPES = {"lead", "slogan", "deadline", "figure", "fact", "unanswerable"}
SUFFIXES = {".txt", ".md", ".docx", ".html", ".pdf"}
MAX_EVIDENCE = 80
CJK = re.compile(r"[\u4e00-\u9fff]")


# --------------------------------------------------------------------------- extraction


def decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def html_text(path: Path) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_bytes(), "html.parser").get_text()


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    # PDF text comes back with a newline at every wrapped line; a reader must join them, so do we.
    pages = [page.extract_text() or "" for page in PdfReader(str(path)).pages]
    return "".join(pages).replace("\n", "")


@cache
def doc_text(name: str) -> str:
    path = DOCS / name
    suffix = path.suffix.lower()
    if suffix in {".txt", ".md"}:
        return decode_text(path.read_bytes())
    if suffix == ".docx":
        return docx_text(path)
    if suffix == ".html":
        return html_text(path)
    if suffix == ".pdf":
        return pdf_text(path)
    raise AssertionError(f"unsupported document type: {name}")


# --------------------------------------------------------------------------- data


def load_rows() -> list[dict]:
    rows = []
    for n, line in enumerate(QA.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:  # pragma: no cover - reported as a failure
            pytest.fail(f"line {n} is not JSON: {exc}")
    return rows


ROWS = load_rows()
ANSWERABLE = [r for r in ROWS if r.get("type") != "unanswerable"]
UNANSWERABLE = [r for r in ROWS if r.get("type") == "unanswerable"]
DOC_FILES = sorted(p for p in DOCS.iterdir() if p.is_file())


def ids(rows):
    return [r.get("id", "?") for r in rows]


# --------------------------------------------------------------------------- schema and counts


def test_every_line_parses_with_required_keys():
    assert ROWS, "dev-qa.jsonl is empty"
    for row in ROWS:
        assert set(row) == KEYS, row
        assert row["type"] in TYPES, row
        for key in ("id", "doc", "type", "question", "answer", "evidence"):
            assert isinstance(row[key], str), (row["id"], key)
        assert isinstance(row["must_contain"], list), row["id"]
        assert all(isinstance(s, str) and s for s in row["must_contain"]), row["id"]
        assert row["question"].strip(), row["id"]


def test_ids_unique():
    counts = Counter(r["id"] for r in ROWS)
    assert not [i for i, c in counts.items() if c > 1]


def test_counts_and_ratios():
    counts = Counter(r["type"] for r in ROWS)
    total = len(ROWS)
    assert total >= 120, counts
    assert counts["lead"] / total >= 0.40, counts
    assert counts["slogan"] / total >= 0.20, counts
    assert counts["unanswerable"] >= 10, counts
    for typ in ("deadline", "figure", "fact"):
        assert counts[typ] > 0, counts


def test_questions_unique():
    counts = Counter(r["question"] for r in ROWS)
    assert not [q for q, c in counts.items() if c > 1]


# --------------------------------------------------------------------------- documents


def test_documents_cover_the_formats():
    suffixes = Counter(p.suffix.lower() for p in DOC_FILES)
    assert len(DOC_FILES) >= 6
    assert set(suffixes) <= SUFFIXES, suffixes
    for needed in (".docx", ".html", ".txt", ".pdf"):
        assert suffixes[needed] >= 1, f"no {needed} document"


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: p.name)
def test_document_size(path):
    text = doc_text(path.name)
    cjk = len(CJK.findall(text))
    assert 2000 <= cjk <= 6000, f"{path.name}: {cjk} Chinese characters, want 2,000-6,000"


def test_gbk_document_really_is_gbk():
    gbk = []
    for path in DOC_FILES:
        if path.suffix.lower() != ".txt":
            continue
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data.decode("gbk")  # must be plain GBK, not only gb18030
            gbk.append(path.name)
    assert gbk, "no GBK-encoded .txt document"
    for name in gbk:
        text = doc_text(name)
        # mixes ASCII and full-width punctuation, as real files do
        assert "," in text and "。" in text and "(" in text and '"' in text, name


def test_docx_has_responsibility_table():
    import docx

    headers = {"序号", "重点任务", "牵头单位", "责任单位", "完成时限"}
    found = False
    for path in DOC_FILES:
        if path.suffix.lower() != ".docx":
            continue
        for table in docx.Document(str(path)).tables:
            if {c.text.strip() for c in table.rows[0].cells} == headers and len(table.rows) > 5:
                found = True
    assert found, "no .docx with a 序号/重点任务/牵头单位/责任单位/完成时限 table"


def test_every_document_is_asked_about():
    used = Counter(r["doc"] for r in ANSWERABLE)
    for path in DOC_FILES:
        assert used[path.name] >= 10, f"{path.name}: only {used[path.name]} questions"


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_docs", DATA / "build_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_documents_match_their_sources(tmp_path):
    """The committed .docx/.pdf/GBK files must be what build_docs.py makes from sources/."""
    pytest.importorskip("reportlab")
    build = _load_builder()
    pairs = [
        ("qingshan-rural-plan-2025.txt", "qingshan-rural-plan-2025.docx", build.build_docx, docx_text),
        ("qingshan-gov-report-2025.txt", "qingshan-gov-report-2025.pdf", build.build_pdf, pdf_text),
    ]
    for src, out, builder, extract in pairs:
        fresh = tmp_path / out
        builder(build.SOURCES / src, fresh)
        assert extract(fresh) == extract(DOCS / out), f"{out} is stale: run benchmarks/data/build_docs.py"
    src = build.SOURCES / "qingshan-safety-flood-speech-2025.txt"
    fresh = tmp_path / "gbk.txt"
    build.build_gbk(src, fresh)
    assert fresh.read_bytes() == (DOCS / "qingshan-safety-flood-speech-2025.txt").read_bytes()


# --------------------------------------------------------------------------- gold answers


@pytest.mark.parametrize("row", ANSWERABLE, ids=ids(ANSWERABLE))
def test_answerable_row(row):
    assert row["doc"], "answerable question without doc"
    assert (DOCS / row["doc"]).is_file(), f"missing document {row['doc']}"
    assert row["answer"].strip()
    assert row["must_contain"], "answerable question without must_contain"
    for needle in row["must_contain"]:
        assert needle in row["answer"], f"must_contain {needle!r} not in answer {row['answer']!r}"
    evidence = row["evidence"]
    assert evidence and "\n" not in evidence
    assert len(evidence) <= MAX_EVIDENCE, f"evidence is {len(evidence)} characters"
    assert evidence in doc_text(row["doc"]), f"evidence not found verbatim in {row['doc']}: {evidence!r}"
    assert evidence not in row["question"], "question copies the evidence"


@pytest.mark.parametrize("row", UNANSWERABLE, ids=ids(UNANSWERABLE))
def test_unanswerable_row(row):
    assert row["doc"] == ""
    assert row["evidence"] == ""
    assert row["must_contain"] == []
    assert row["answer"] == ""

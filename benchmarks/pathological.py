"""Pathological inputs: how the time of extraction and of answering grows with the input's size.

    .venv/bin/python benchmarks/pathological.py                  # documents 20k/40k/80k/1M, questions 500/15k/1M
    .venv/bin/python benchmarks/pathological.py --quick          # documents 20k/40k/80k
    .venv/bin/python benchmarks/pathological.py --sizes 10000,20000 --only 由 --no-engine

Documents go through what ingest runs besides reading and embedding (normalise, sections, chunks,
directive and slogan extraction); questions through ``analyse()`` and ``Engine.answer()`` (an engine
over the example speech, the packaged model). Each row is one input at one size; "per doubling" is
the time's growth per doubling of the size since the size before (2.0 is linear, 4.0 quadratic; a
question's time stays flat, as the engine reads its first ``MAX_QUESTION_CHARS`` characters).
Nothing is asserted: the table is read (tests/test_pathological.py checks that each input finishes).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bot.questions import analyse  # noqa: E402
from ingest.extraction import extract  # noqa: E402
from ingest.models import DocumentMeta, ExtractedText  # noqa: E402
from ingest.pipeline import build_document  # noqa: E402

EXAMPLE = REPO / "examples" / "county-plenary-speech-p2.txt"
DOCUMENT_SIZES = (20_000, 40_000, 80_000, 1_000_000)
QUICK_SIZES = (20_000, 40_000, 80_000)
QUESTION_SIZES = (500, 15_000, 1_000_000)


def _example() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


def _repeat(unit: str) -> Callable[[int], str]:
    """``unit`` repeated to ``size`` characters."""
    return lambda size: (unit * (size // len(unit) + 1))[:size]


def _unpunctuated(size: int) -> str:
    """The example speech without punctuation, spaces or line breaks: one statement."""
    return _repeat(re.sub(r"[\s，。；：！？、“”（）《》]", "", _example()))(size)


def _one_line(size: int) -> str:
    """The example speech on one line: thousands of statements in one paragraph."""
    return _repeat(_example().replace("\n", ""))(size)


def _table(size: int) -> str:
    """A task table kept as TAB-separated cells under one header line."""
    return "序号\t重点任务\t牵头单位\t配合单位\n" + _repeat("3\t修订学校章程\t县教育局\t县财政局\n")(size)


# Each document: a name and its text at a size.
DOCUMENTS: dict[str, Callable[[int], str]] = {
    "example speech, repeated": _repeat(_example()),
    "unpunctuated speech": _unpunctuated,
    "speech on one line": _one_line,
    "由由由…": _repeat("由"),
    "由，由，…": _repeat("由，"),
    "trailers in one paragraph": _repeat("加快老旧小区改造。（省住房城乡建设厅、省财政厅按职责分工负责）"),
    "quotes and formulas": _repeat("坚持“三个一批”，落实三个一批和三个导向：一是抓好“马上办”；"),
    "TAB table rows": _table,
    "rendered table fields": _repeat(
        "重点任务：建立项目储备库；牵头单位：县发改局；责任单位：各乡镇；完成时限：6月底前。"
    ),
    "numerals, digits, +": _repeat("一二三四五六七八九十1+2+3+"),
    "a run of spaces": lambda size: "甲" + " " * (size - 2) + "乙",
    "a run of TABs": lambda size: "a" + "\t" * (size - 2) + "\n",
}
# Each question: a name and its text at a size.
QUESTIONS: dict[str, Callable[[int], str]] = {
    "由…由牵头": lambda size: "由" * (size - 2) + "牵头",
    "、、、…": _repeat("、"),
    "“““…": _repeat("“"),
    "的的的…": _repeat("的"),
    "在…在下": lambda size: "在" * (size - 1) + "下",
    "digits": _repeat("1234567890"),
    "mixed punctuation": _repeat("，。；：！？、“”（）《》"),
    "quoted terms": _repeat("“三个一批”"),
}


@dataclass(frozen=True)
class Row:
    """One input at one size, and its time."""

    stage: str  # "extract", "analyse" or "answer"
    name: str
    size: int
    seconds: float


def extract_text(text: str) -> int:
    """Ingest's work on ``text`` besides reading and embedding; returns how many directives it found."""
    meta = DocumentMeta(
        title="pathological", source="benchmark", content_hash=hashlib.sha256(text.encode()).hexdigest()
    )
    document = build_document("pathological", "pathological", ExtractedText(text), meta)
    return len(extract(document).directives)


def _timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


# A stage: its name in the table and the work timed on one input's text.
Stage = tuple[str, Callable[[str], object]]


def run(
    stages: Sequence[Stage],
    inputs: dict[str, Callable[[int], str]],
    sizes: Iterable[int],
    names: Iterable[str] | None = None,
) -> list[Row]:
    """Each stage timed on each input (of ``names``, default all) at each size: one row per stage, input
    and size, an input's stages one after the other on the same text.

    >>> [row.stage for row in run([("len", len), ("upper", str.upper)], {"a": _repeat("由")}, [10], ["a"])]
    ['len', 'upper']
    """
    stages[0][1]("预热。")  # jieba loads its dictionaries now, not in the first row
    rows = []
    for name in names or inputs:
        for size in sizes:
            text = inputs[name](size)
            for stage, work in stages:
                rows.append(Row(stage, name, size, _timed(lambda work=work, text=text: work(text))))
                _progress(rows[-1])
    return rows


def run_documents(sizes: Iterable[int], names: Iterable[str] | None = None) -> list[Row]:
    """Extraction timed on each document at each size."""
    return run([("extract", extract_text)], DOCUMENTS, sizes, names)


def run_questions(sizes: Iterable[int], engine: object | None = None, names: Iterable[str] | None = None) -> list[Row]:
    """``analyse()`` timed on each question at each size, and ``engine.answer()`` when an engine is given."""
    stages: list[Stage] = [("analyse", analyse)]
    if engine is not None:
        stages.append(("answer", engine.answer))  # type: ignore[attr-defined]
    return run(stages, QUESTIONS, sizes, names)


def per_doubling(rows: list[Row]) -> list[float | None]:
    """Each row's growth in time per doubling of the size since the last row before it of the same
    stage and input (None for an input's first size).

    >>> per_doubling([Row("extract", "a", 1000, 1.0), Row("answer", "b", 1000, 1.0), Row("extract", "a", 4000, 4.0)])
    [None, None, 2.0]
    """
    growth: list[float | None] = []
    last: dict[tuple[str, str], Row] = {}
    for row in rows:
        before = last.get((row.stage, row.name))
        last[(row.stage, row.name)] = row
        doublings = math.log2(row.size / before.size) if before else 0.0
        if before is None or before.seconds <= 0 or doublings <= 0:
            growth.append(None)
            continue
        growth.append(round((row.seconds / before.seconds) ** (1 / doublings), 2))
    return growth


def table(rows: list[Row]) -> str:
    """The rows as a markdown table."""
    lines = ["| stage | input | size (chars) | seconds | per doubling |", "|---|---|---:|---:|---:|"]
    for row, growth in zip(rows, per_doubling(rows), strict=True):
        shown = "" if growth is None else f"{growth:.2f}"
        lines.append(f"| {row.stage} | {row.name} | {row.size:,} | {row.seconds:.3f} | {shown} |")
    return "\n".join(lines)


def open_engine(data_dir: Path, model: object | None = None) -> object:
    """An engine over the example speech in ``data_dir`` (the packaged model unless ``model`` is given)."""
    from bot.engine import Engine
    from bot.settings import Settings
    from vectorstore.embeddings import load_packaged_model

    engine = Engine.open(Settings(data_dir=data_dir), model=model or load_packaged_model())  # type: ignore[arg-type]
    engine.ingest_file(EXAMPLE)
    return engine


def _progress(row: Row) -> None:
    print(f"  {row.stage:8} {row.name:28} {row.size:>10,} {row.seconds:8.3f}s", file=sys.stderr, flush=True)


def _sizes(text: str) -> tuple[int, ...]:
    return tuple(int(size) for size in text.split(",") if size.strip())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=_sizes, help="document sizes in characters (default 20000,40000,80000,1000000)")
    parser.add_argument("--question-sizes", type=_sizes, default=QUESTION_SIZES, help="default 500,15000,1000000")
    parser.add_argument("--quick", action="store_true", help="documents at 20000,40000,80000 only")
    parser.add_argument("--only", help="run only the inputs whose name contains this")
    parser.add_argument("--no-engine", action="store_true", help="time analyse() but not Engine.answer()")
    args = parser.parse_args(argv)
    sizes = args.sizes or (QUICK_SIZES if args.quick else DOCUMENT_SIZES)
    documents = [name for name in DOCUMENTS if not args.only or args.only in name]
    questions = [name for name in QUESTIONS if not args.only or args.only in name]
    rows = run_documents(sizes, documents) if documents else []
    with tempfile.TemporaryDirectory() as data_dir:
        engine = None if args.no_engine or not questions else open_engine(Path(data_dir))
        rows += run_questions(args.question_sizes, engine, questions) if questions else []
        if engine is not None:
            engine.close()  # type: ignore[attr-defined]
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Quality benchmark: Luoshi vs the LangChain-tutorial baseline, plus two ablations, in one run.

Systems, all on the same documents, the same questions and the same embedding model:

- ``luoshi``: as shipped (default settings: BM25 + dense fusion, extractive answerer);
- ``baseline``: RecursiveCharacterTextSplitter (500/50, Chinese separators) + Chroma; the
  answer is the top chunk, the citation that chunk; it never refuses;
- ``baseline-hybrid``: the tutorial's next step, for context: the same chunks, retrieved by
  an EnsembleRetriever-style RRF of BM25 (``jieba.lcut``) and Chroma;
- ``lexical-only``: Luoshi with ``dense_weight=0`` (BM25 alone);
- ``dense-only``: Luoshi with ``lexical_weight=0`` (vectors alone).

Scoring is ``bot/reporting/qa_eval.py``'s: an answer is right if it contains every ``must_contain``
string, a citation if one cited quote contains or overlaps the gold evidence; unanswerable
questions must be refused. ``evidence@k`` is a diagnostic: the share of answerable questions
whose evidence is in the system's top-k retrieved chunks (k = Luoshi's ``top_k``; evidence@1: the
first chunk). ``chars read per right answer`` is every answer's length over the right answers.

    python benchmarks/quality.py [--json docs/benchmarks/quality.json] [--failures]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import argument_parser, comma_list, load_model, quiet, write_results  # noqa: E402
from benchmarks.quality_report import failures_text, summary_table, to_json, type_tables  # noqa: E402
from benchmarks.quality_run import SYSTEMS, datasets, run_dataset  # noqa: E402

DEFAULT_JSON = REPO / "docs" / "benchmarks" / "quality.json"


def main(argv: list[str] | None = None) -> int:
    """Run the chosen systems on the chosen datasets, print the tables, write the JSON."""
    parser = argument_parser(__doc__, DEFAULT_JSON, "embedding model for every system (default: packaged)")
    parser.add_argument(
        "--datasets", type=comma_list, help="comma-separated: seed, dev, real (default: every one available)"
    )
    parser.add_argument(
        "--systems", type=comma_list, default=",".join(SYSTEMS), help="comma-separated subset of " + ", ".join(SYSTEMS)
    )
    parser.add_argument("--failures", action="store_true", help="list Luoshi's failed questions")
    args = parser.parse_args(argv)
    quiet()

    started = time.perf_counter()
    model = load_model(args.model)
    chosen = datasets()
    names, systems = args.datasets or list(chosen), args.systems
    unknown = [n for n in names if n not in chosen] + [s for s in systems if s not in SYSTEMS]
    if unknown:
        parser.error(f"unknown dataset or system: {', '.join(unknown)}")

    results = []
    with tempfile.TemporaryDirectory(prefix="luoshi-quality-") as tmp:
        for name in names:
            result = run_dataset(chosen[name], model, Path(tmp), systems)
            results.append(result)
            print(f"\n## {name}: {len(result.items)} questions, chunks {result.chunks}\n")
            print(summary_table(result))
            print(type_tables(result))
            if args.failures and "luoshi" in result.systems:
                print(failures_text(result))
    seconds = time.perf_counter() - started
    write_results(args.json, to_json(results, model, seconds))
    print(f"\nwrote {args.json} ({seconds:.0f} s, model {model.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

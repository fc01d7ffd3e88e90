"""Precision and recall of directive and slogan extraction on the example speech.

    .venv/bin/python benchmarks/extraction_accuracy.py [EXPECTED.json] [--failures]

The expected list is tests/data/example_assignments.json (the tests check the same list).
Precision comes first: a wrong lead is worse than none.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bot.reporting.extraction_eval import extract_file, format_percent, load_expected, score  # noqa: E402

EXPECTED = REPO / "tests" / "data" / "example_assignments.json"


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv if not arg.startswith("--")]
    expected_path = paths[0] if paths else EXPECTED
    expected = load_expected(expected_path)
    document = (expected_path.parent / expected["document"]).resolve()
    if not document.exists():
        document = REPO / expected["document"]
    text, extraction = extract_file(document)
    result = score(text, extraction, expected)
    print(f"Extraction on {document.name}: {len(extraction.directives)} directives, "
          f"{len({s.term for s in extraction.slogans})} slogans")  # fmt: skip
    print(f"{'':22} {'TP':>4} {'FP':>4} {'FN':>4} {'precision':>10} {'recall':>8}")
    for label, tally in result.rows():
        print(
            f"{label:22} {tally.true_positive:>4} {tally.false_positive:>4} {tally.false_negative:>4} "
            f"{format_percent(tally.precision):>10} {format_percent(tally.recall):>8}"
        )
    print(f"traps with a directive: {len(result.traps_hit)} of {len(expected.get('traps', ()))}")
    if "--failures" in argv:
        for problem in result.problems:
            print("  ✗", problem)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

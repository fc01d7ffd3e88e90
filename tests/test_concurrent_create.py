"""Defect 4: processes that create one new data directory at the same moment all succeed.

Before the fix, two `luoshi ingest` runs on a new folder both failed about one time in three
("table collections already exists", "database is locked", or a model mismatch read half way).
Here eight real processes start within microseconds of each other on fresh folders, round after
round: on the old code most runs of this test see at least one of those errors.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from vectorstore.health import inspect

PROCESSES = 8
ROUNDS = 16


def test_processes_creating_one_data_directory_at_once_all_succeed(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.concurrent_writers", str(tmp_path), str(PROCESSES), str(ROUNDS)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    rounds = json.loads(result.stdout)
    failures = [outcome for outcomes in rounds for outcome in outcomes if outcome not in {"opened", "added"}]
    assert failures == []
    assert rounds[-1] == ["added"] * PROCESSES  # the last round also ingested, one document each
    health = inspect(tmp_path / f"round-{ROUNDS - 1}")
    assert health.ok, health.report()
    assert (health.documents, health.generation > 0) == (PROCESSES, True)

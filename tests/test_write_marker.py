"""A write killed between its vectors and its commit on one machine is repaired by a process that opens the
store on another: with the catalog in PostgreSQL the write's marker lives in the catalog (vectorstore/marker.py),
not in the dead worker's data directory."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from ingest.pipeline import ingest_file
from tests.conftest import EXAMPLE_SPEECH, REPO, luoshi
from tests.stalled_writer import WRITTEN
from tests.vector_writer import hashing_model
from vectorstore.marker import MARKER_FILE, WriteMarker
from vectorstore.store import Store

SECOND = "关于资金保障的通知\n一、工作要求\n由县财政局牵头，各乡镇要做好资金保障，确保项目资金按时到位。"


def _servers(postgres_url: str, chroma_server: str) -> dict[str, str]:
    return {"LUOSHI_DATABASE_URL": postgres_url, "LUOSHI_CHROMA_URL": chroma_server, "LUOSHI_LEXICAL_INDEX": "bm25s"}


def _orphans(store: Store) -> set[str]:
    """Vectors on the server the catalog does not know."""
    return set(store.vectors.ids()) - set(store.catalog.chunk_ids())


def test_a_worker_killed_before_its_commit_is_repaired_from_another_machine(
    postgres_url: str, chroma_server: str, tmp_path: Path
) -> None:
    machine_a, machine_b = tmp_path / "a", tmp_path / "b"
    store = Store(machine_b, hashing_model(), chroma_server, database_url=postgres_url)
    try:
        assert ingest_file(store, EXAMPLE_SPEECH, max_bytes=10**8).status == "added"
        committed = sorted(store.catalog.chunk_ids())
    finally:
        store.close()
    second = tmp_path / "second.txt"
    second.write_text(SECOND, encoding="utf-8")
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.stalled_writer", str(machine_a), str(second), chroma_server, postgres_url],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = writer.stdout.readline()  # type: ignore[union-attr]
        assert line.strip() == WRITTEN, line + writer.stderr.read()  # type: ignore[union-attr]
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=60)
    assert not (machine_b / MARKER_FILE).exists()  # the dead worker's data directory is another machine's
    before = luoshi(machine_b, "check", env=_servers(postgres_url, chroma_server))
    assert before.returncode == 1 and "belong to no chunk" in before.stdout, before.stdout + before.stderr

    reopened = Store(machine_b, hashing_model(), chroma_server, database_url=postgres_url)
    try:
        assert _orphans(reopened) == set()
        assert sorted(reopened.vectors.ids()) == sorted(reopened.catalog.chunk_ids()) == committed
        assert not WriteMarker(machine_b, reopened.catalog).present()
    finally:
        reopened.close()
    assert "interrupted" in before.stdout  # `luoshi check` on machine B saw the marker too
    after = luoshi(machine_b, "check", env=_servers(postgres_url, chroma_server))
    assert after.returncode == 0, after.stdout + after.stderr

"""Upload to answerable: how long after an upload starts can another worker answer from it, with
the bm25s and the tantivy lexical index (``LUOSHI_LEXICAL_INDEX``), at 10k and 100k chunks.

A store of about N chunks is built from the synthetic corpus (``benchmarks/synthetic.py``), once,
and kept in ``--workdir`` for later runs. Then, for each lexical index, a writer engine uploads a
small new document (the real pipeline: read, chunk, extract, embed, commit, index) while a second
engine on the same data directory, opened before, standing for another worker, asks a question only
that document answers, again and again, until it answers from it. The document is then removed
(timed too) so that every upload meets the same store.

Embedding is excluded: a deterministic hashing embedding of the packaged model's dimension (384)
stands in for the model, so the figures are the store's and the index's, not the model's. The
tantivy index of a store first opened with it is built from the catalog (its own column).

    python benchmarks/upload_latency.py                      # 10k and 100k chunks
    python benchmarks/upload_latency.py --sizes 10000 --uploads 3
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from langchain_core.embeddings import Embeddings  # noqa: E402

from benchmarks.synthetic import generate  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.settings import Settings  # noqa: E402
from ingest.language.tokens import bigrams  # noqa: E402
from ingest.pipeline import ingest_file  # noqa: E402
from vectorstore.embeddings import EmbeddingModel  # noqa: E402
from vectorstore.lexical_backends import BACKENDS  # noqa: E402
from vectorstore.store import Store  # noqa: E402

DIMENSION = 384  # the packaged all-MiniLM-L6-v2's
_TIMEOUT = 300.0  # seconds an upload may take to become answerable before the run gives up
_UPLOAD = "关于{topic}工作的通知\n一、工作安排\n{topic}由县{unit}牵头，各乡镇配合，于年底前全面完成。\n"
_TOPICS = ("智慧水务示范片区建设", "古村落消防改造提升", "高标准农田数字台账", "冷链物流骨干网布局", "校外托管服务规范")
_UNITS = ("水利局", "消防救援大队", "农业农村局", "商务局", "教育体育局")


class HashingEmbeddings(Embeddings):
    """Character bigrams hashed into ``dimension`` signed buckets, L2-normalised: deterministic and
    nearly free (a stand-in for the model where only the store and index are measured).

    >>> vector = HashingEmbeddings(8).embed_query("资金保障")
    >>> len(vector), round(sum(v * v for v in vector), 6)
    (8, 1.0)
    """

    def __init__(self, dimension: int = DIMENSION) -> None:
        self.dimension = dimension

    def _embed(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for gram in bigrams(text) or [text]:
            digest = int.from_bytes(hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest(), "little")
            vector[digest % self.dimension] += 1.0 if digest >> 63 else -1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._embed(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)


MODEL = EmbeddingModel(f"hashing-{DIMENSION} (benchmark stand-in)", DIMENSION, HashingEmbeddings())


def build_store(data_dir: Path, chunks: int, **store_options: Any) -> int:
    """A store of at least ``chunks`` chunks of synthetic speeches (kept: later runs reuse it);
    ``store_options`` go to ``Store`` (``chroma_url``, ``database_url``, ``lexical``)."""
    store = Store(data_dir, MODEL, **store_options)
    try:
        have = store.catalog.count_chunks()
        if have >= chunks:
            return have
        corpus = data_dir.parent / f"{data_dir.name}-corpus"
        corpus.mkdir(exist_ok=True)
        started = time.perf_counter()
        with store.batch():  # bm25s is published once, at the end
            for document in generate(start=len(store.documents())):
                path = corpus / f"doc-{document.index:06d}.txt"
                path.write_text(document.text, encoding="utf-8")
                ingest_file(store, path, max_bytes=10**8)
                have = store.catalog.count_chunks()
                if document.index % 20 == 0:
                    print(f"  built {have} chunks in {time.perf_counter() - started:.0f} s", flush=True)
                if have >= chunks:
                    break
        return have
    finally:
        store.close()


def measure(data_dir: Path, lexical: str, uploads: int, offset: int) -> dict:
    """Upload ``uploads`` documents through one engine while another answers; each is then removed."""
    settings = Settings(data_dir=data_dir, lexical_index=lexical, audit_enabled=False)
    started = time.perf_counter()
    writer = Engine(Store(data_dir, MODEL, lexical=lexical), settings)
    opened = time.perf_counter() - started
    reader = Engine(Store(data_dir, MODEL, lexical=lexical), settings)
    reader.answer("预热")
    committed, answerable, removed = [], [], []
    try:
        for number in range(uploads):
            slot = (offset + number) % len(_TOPICS)
            topic, unit = _TOPICS[slot], _UNITS[slot]
            path = data_dir.parent / f"upload-{lexical}-{number}.txt"
            path.write_text(_UPLOAD.format(topic=topic, unit=unit), encoding="utf-8")
            question = f"{topic}由哪个单位牵头？"
            assert not _answers(reader, question, unit), f"the store already answers {question}"
            started = time.perf_counter()
            report = writer.ingest_file(path)
            committed.append(time.perf_counter() - started)
            while not _answers(reader, question, unit):
                if time.perf_counter() - started > _TIMEOUT:
                    raise TimeoutError(f"{question} unanswered after {_TIMEOUT} s")
                time.sleep(0.01)
            answerable.append(time.perf_counter() - started)
            started = time.perf_counter()
            writer.remove(report.doc_id)
            removed.append(time.perf_counter() - started)
    finally:
        reader.close()
        writer.close()
    return {"open": opened, "commit": committed, "answerable": answerable, "remove": removed}


def _answers(engine: Engine, question: str, unit: str) -> bool:
    answer = engine.answer(question)
    return answer.found and unit in answer.answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="store sizes in chunks, comma-separated")
    parser.add_argument("--uploads", type=int, default=3, help="uploads timed per size and index")
    parser.add_argument(
        "--bm25s-uploads", type=int, default=None, help="uploads timed with bm25s (default --uploads; each is slow)"
    )
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "luoshi-upload-latency")
    arguments = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load {load:.1f}; Python {sys.version.split()[0]}")
    print(f"embedding: {MODEL.name}: the model's time is excluded")
    rows = []
    for size in (int(part) for part in arguments.sizes.split(",")):
        data_dir = arguments.workdir / f"store-{size}"
        print(f"store of {size} chunks in {data_dir}", flush=True)
        chunks = build_store(data_dir, size)
        for index, lexical in enumerate(sorted(BACKENDS, key=lambda name: name != "tantivy")):
            uploads = arguments.uploads
            if lexical == "tantivy":
                shutil.rmtree(data_dir / "tantivy", ignore_errors=True)  # "open" builds it from the catalog
            elif arguments.bm25s_uploads is not None:
                uploads = arguments.bm25s_uploads
            result = measure(data_dir, lexical, uploads, index * arguments.uploads)
            rows.append((size, chunks, lexical, result))
            print(f"  {lexical}: {_row(size, chunks, lexical, result)}", flush=True)
    print()
    print(
        "| chunks | lexical index | open (s) | upload: ingest+commit (s) "
        "| upload → answerable by another worker (s) | removal (s) |"
    )
    print("|---:|---|---:|---:|---:|---:|")
    for size, chunks, lexical, result in rows:
        print(_row(size, chunks, lexical, result))
    print(
        "\nmedian (max) of the uploads; open: the writer's Store() (tantivy's first builds its index from the catalog)"
    )


def _row(size: int, chunks: int, lexical: str, result: dict) -> str:
    def cell(values: list[float]) -> str:
        return f"{statistics.median(values):.2f} ({max(values):.2f})"

    return (
        f"| {chunks:,} | {lexical} | {result['open']:.1f} | {cell(result['commit'])} | "
        f"{cell(result['answerable'])} | {cell(result['remove'])} |"
    )


if __name__ == "__main__":
    main()

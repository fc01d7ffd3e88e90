"""What both benchmarks share: paths, the model, the LangChain-tutorial baseline, machine facts, the CLI.

The baseline is the RAG pipeline a team would assemble from a LangChain tutorial:
``RecursiveCharacterTextSplitter`` (500 characters, overlap 50, Chinese separators) and Chroma
dense retrieval with the same embedding model as Luoshi. Its answer is the top chunk, its
citation that chunk. It reads files with Luoshi's own readers, so file formats are not what
separates the two.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import shutil
import sys
import time
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # `import common` from benchmarks/; each script has the same lines
    sys.path.insert(0, str(REPO))

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import bm25s  # noqa: E402
import jieba  # noqa: E402
from langchain_chroma import Chroma  # noqa: E402
from langchain_core.documents import Document  # noqa: E402
from langchain_core.embeddings import Embeddings  # noqa: E402
from langchain_text_splitters import RecursiveCharacterTextSplitter  # noqa: E402

from bot.answers import Answer, Citation  # noqa: E402
from ingest.readers import read_document  # noqa: E402
from vectorstore.embeddings import EmbeddingModel, load_embedding_model, load_packaged_model  # noqa: E402

# LangChain's EnsembleRetriever: weighted reciprocal rank fusion with this constant.
RRF_C = 60
BASELINE_CHUNK_SIZE = 500
BASELINE_CHUNK_OVERLAP = 50
# The separators Chinese LangChain tutorials use: paragraphs, lines, sentence ends, clauses.
CHINESE_SEPARATORS = ["\n\n", "\n", "。", "！", "？", "；", "，", "、", " ", ""]
MAX_FILE_BYTES = 50 * 1024 * 1024
PACKAGED = "packaged"


def load_model(name: str = PACKAGED) -> EmbeddingModel:
    """The packaged all-MiniLM-L6-v2 (``packaged``), or any model Luoshi can load by name/path."""
    return load_packaged_model() if name == PACKAGED else load_embedding_model(name)


class TimedEmbeddings(Embeddings):
    """Delegates to a LangChain embeddings object and adds up the seconds spent embedding."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.document_seconds = 0.0
        self.query_seconds = 0.0
        self.documents = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        started = time.perf_counter()
        vectors = self.inner.embed_documents(texts)
        self.document_seconds += time.perf_counter() - started
        self.documents += len(texts)
        return vectors

    def embed_query(self, text: str) -> list[float]:
        started = time.perf_counter()
        vector = self.inner.embed_query(text)
        self.query_seconds += time.perf_counter() - started
        return vector


class BaselineRAG:
    """LangChain tutorial RAG: recursive character chunks in Chroma; the answer is the top chunk.

    It never refuses: any non-empty collection returns its nearest chunk (a refusal happens only
    when there is no chunk at all). With ``hybrid`` it is the tutorial's next step: an
    EnsembleRetriever of BM25 over ``jieba.lcut`` tokens and Chroma, 0.5/0.5, fused by RRF.
    """

    collection = "baseline_chunks"

    def __init__(self, persist_dir: Path, embeddings: Embeddings, k: int = 8, hybrid: bool = False) -> None:
        self.persist_dir = Path(persist_dir)
        self.k = k
        self.hybrid = hybrid
        self._chunks: list[Document] = []
        self._bm25: bm25s.BM25 | None = None
        self.splitter = RecursiveCharacterTextSplitter(
            chunk_size=BASELINE_CHUNK_SIZE,
            chunk_overlap=BASELINE_CHUNK_OVERLAP,
            separators=CHINESE_SEPARATORS,
            keep_separator="end",  # 。 stays with its sentence, as a Chinese reader expects
            add_start_index=True,
        )
        self.vectors = Chroma(
            collection_name=self.collection,
            embedding_function=embeddings,
            persist_directory=str(self.persist_dir),
        )

    def split(self, path: Path) -> list[Document]:
        """Read ``path`` with Luoshi's readers and split it as the tutorial does."""
        extracted = read_document(path, max_bytes=MAX_FILE_BYTES)
        title = extracted.title or path.stem
        return self.splitter.create_documents([extracted.text], metadatas=[{"doc_id": path.name, "title": title}])

    def ingest_file(self, path: Path) -> tuple[int, int]:
        """Add one file; returns (chunks, characters of extracted text)."""
        chunks = self.split(path)
        if chunks:
            self.vectors.add_documents(chunks)
            if self.hybrid:
                self._chunks.extend(chunks)
                self._bm25 = None
        return len(chunks), sum(len(c.page_content) for c in chunks)

    def search(self, question: str, k: int | None = None) -> list[Document]:
        """The top ``k`` chunks: Chroma's ``similarity_search``, or the BM25 + Chroma ensemble."""
        k = k or self.k
        if not self.hybrid:
            return self.vectors.similarity_search(question, k=k)
        dense = self.vectors.similarity_search(question, k=k)
        lexical = self._lexical_search(question, k)
        scores: dict[str, float] = {}
        by_key: dict[str, Document] = {}
        for ranking in (lexical, dense):
            for rank, document in enumerate(ranking, start=1):
                key = document.page_content  # EnsembleRetriever also deduplicates by content
                scores[key] = scores.get(key, 0.0) + 0.5 / (RRF_C + rank)
                by_key.setdefault(key, document)
        return [by_key[key] for key in sorted(scores, key=scores.__getitem__, reverse=True)[:k]]

    def _lexical_search(self, question: str, k: int) -> list[Document]:
        if not self._chunks:
            return []
        if self._bm25 is None:
            self._bm25 = bm25s.BM25()
            self._bm25.index([jieba.lcut(c.page_content) for c in self._chunks], show_progress=False)
        k = min(k, len(self._chunks))
        rows, _ = self._bm25.retrieve([jieba.lcut(question)], k=k, show_progress=False, n_threads=1)
        return [self._chunks[int(row)] for row in rows[0]]

    def answer(self, question: str) -> Answer:
        """The top chunk is the answer and its own citation.

        Hybrid: the first of the fused top-k lists (fusing two top-1 lists would be BM25's top-1).
        """
        hits = self.search(question, k=None if self.hybrid else 1)[:1]
        if not hits:
            return Answer(question, "没有找到。", False, "other")
        return Answer(question, hits[0].page_content, True, "other", citations=(citation_of(hits[0]),))

    def count(self) -> int:
        return self.vectors._collection.count()


def citation_of(document: Document) -> Citation:
    """A baseline chunk as a citation (the whole chunk is the quote)."""
    meta = document.metadata
    start = int(meta.get("start_index", 0))
    return Citation(
        doc_id=str(meta.get("doc_id", "")),
        title=str(meta.get("title", "")),
        section="",
        quote=document.page_content,
        start=start,
        end=start + len(document.page_content),
    )


def disk_bytes(path: Path) -> int:
    """Bytes of every file under ``path`` (what ``du --apparent-size`` would say)."""
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


def machine() -> dict[str, Any]:
    """Cores, RAM, CPU model, Python and key library versions, for the record."""
    from importlib.metadata import PackageNotFoundError, version

    info: dict[str, Any] = {
        "cores": os.cpu_count(),
        "ram_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1),
        "cpu": _cpu_model(),
        "os": platform.platform(),
        "python": platform.python_version(),
    }
    for package in ("torch", "sentence-transformers", "chromadb", "langchain-chroma", "bm25s", "jieba"):
        try:
            info[package] = version(package)
        except PackageNotFoundError:
            info[package] = None
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def argument_parser(doc: str, default_json: Path, model_help: str) -> argparse.ArgumentParser:
    """A benchmark's parser: described by its docstring's first paragraph, with ``--json`` and ``--model``."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--json", type=Path, default=default_json, help=f"results file (default {default_json})")
    parser.add_argument("--model", default=PACKAGED, help=model_help)
    return parser


def comma_list(text: str) -> list[str]:
    """A comma-separated option as a list: ``"seed, dev,"`` → ``["seed", "dev"]``."""
    return [part.strip() for part in text.split(",") if part.strip()]


def quiet() -> None:
    """Keep library chatter out of the tables (and out of a query worker's JSON line)."""
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger().setLevel(logging.ERROR)
    for name in ("bm25s", "chromadb", "httpx", "jieba", "sentence_transformers", "transformers"):
        logging.getLogger(name).setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    try:
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()
    except ImportError:
        pass


def run_facts(seconds: float) -> dict[str, Any]:
    """The first entries of every results file: the command, the machine, the duration, the load."""
    return {
        "command": command_line(),
        "machine": machine(),
        "seconds": round(seconds, 1),
        "load_average_1_5_15": [round(value, 2) for value in os.getloadavg()],
    }


def write_results(path: Path, document: dict[str, Any]) -> None:
    """Write a results file (UTF-8 JSON, indented, Chinese unescaped), creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def command_line() -> str:
    """The command as typed, relative to the repo, for the results file."""
    script = Path(sys.argv[0])
    if script.resolve().is_relative_to(REPO):
        script = script.resolve().relative_to(REPO)
    return " ".join(["python", str(script), *sys.argv[1:]])


def fresh_dir(path: Path) -> Path:
    """An empty directory at ``path``."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def percent(value: float | None) -> str:
    """0.8444 → ``84.4%``; None → ``–``."""
    return "–" if value is None else f"{100 * value:.1f}%"

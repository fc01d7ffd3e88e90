"""The optional LLM rewording through the engine, against a fake OpenAI-compatible server on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from bot.engine import Engine
from bot.settings import Settings
from tests.conftest import EXAMPLE_SPEECH
from tests.fake_openai import FakeOpenAI, content, raw
from vectorstore.embeddings import EmbeddingModel


@pytest.fixture(scope="module")
def chat_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(scope="module")
def engine_with_llm(
    embedding_model: EmbeddingModel, chat_server: FakeOpenAI, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("llm"), llm_base_url=chat_server.base_url, llm_model="qwen2.5")
    engine = Engine.open(settings, embedding_model)
    engine.ingest_file(EXAMPLE_SPEECH)
    yield engine
    engine.close()


@pytest.fixture(autouse=True)
def fresh_script(chat_server: FakeOpenAI) -> None:
    chat_server.script.clear()
    chat_server.requests.clear()


QUESTION = "谁牵头加强社会治安防控体系建设？"


def test_grounded_rewording_is_used_and_citations_stay(engine_with_llm: Engine, chat_server: FakeOpenAI) -> None:
    chat_server.script.append(content(lambda _: "社会治安防控体系建设由李新同志牵头，县公安部门具体负责落实。"))
    answer = engine_with_llm.answer(QUESTION)
    assert answer.answer == "社会治安防控体系建设由李新同志牵头，县公安部门具体负责落实。"
    assert answer.citations and "由李新同志牵头" in answer.citations[0].quote
    request = chat_server.requests[0]
    assert request["model"] == "qwen2.5"
    assert "由李新同志牵头" in request["messages"][1]["content"]  # the quotes went to the LLM


@pytest.mark.parametrize(
    "reply",
    [
        pytest.param(content(lambda _: "由李新同志牵头，县公安局负责，年底前完成。"), id="changed unit, new deadline"),
        pytest.param(content(lambda _: "由王强同志牵头，县公安部门负责。"), id="changed person"),
        pytest.param(content(lambda _: "由李新同志牵头，县公安部门负责，力争破案率提高到95%。"), id="new number"),
        pytest.param(content(lambda _: None), id="content null"),
        pytest.param(raw(b"upstream error", 500, "text/plain"), id="HTTP 500"),
    ],
)
def test_ungrounded_or_failed_rewording_keeps_the_extractive_answer(
    engine_with_llm: Engine, chat_server: FakeOpenAI, reply
) -> None:
    chat_server.script.append(reply)
    assert engine_with_llm.answer(QUESTION).answer == "由李新同志牵头，县公安部门负责。"
    assert len(chat_server.requests) == 1


def test_refusals_never_reach_the_llm(engine_with_llm: Engine, chat_server: FakeOpenAI) -> None:
    answer = engine_with_llm.answer("明年全县GDP增长目标是多少？")
    assert not answer.found and chat_server.requests == []
    assert json.dumps(answer.to_json_dict(), ensure_ascii=False)

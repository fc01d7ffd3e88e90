"""The optional LLM rewording, against a fake OpenAI-compatible server on loopback."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from bot.engine import Engine
from tests.conftest import EXAMPLE_SPEECH


@dataclass
class FakeChatServer:
    """Answers /v1/chat/completions with the next scripted reply (text or HTTP status)."""

    replies: list[str | int] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    port: int = 0

    async def _complete(self, request: web.Request) -> web.Response:
        self.requests.append(await request.json())
        reply = self.replies.pop(0)
        if isinstance(reply, int):
            return web.Response(status=reply, text="upstream error")
        return web.json_response({"choices": [{"message": {"role": "assistant", "content": reply}}]})

    def serve(self) -> Iterator[FakeChatServer]:
        loop = asyncio.new_event_loop()
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._complete)
        runner = web.AppRunner(app)
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        yield self
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.run_until_complete(runner.cleanup())
        loop.close()


@pytest.fixture
def chat_server() -> Iterator[FakeChatServer]:
    yield from FakeChatServer().serve()


@pytest.fixture
def engine_with_llm(make_engine, chat_server: FakeChatServer) -> Engine:
    engine: Engine = make_engine(llm_base_url=f"http://127.0.0.1:{chat_server.port}/v1", llm_model="qwen2.5")
    engine.ingest_file(EXAMPLE_SPEECH)
    return engine


QUESTION = "谁牵头加强社会治安防控体系建设？"


def test_grounded_rewording_is_used_and_citations_stay(engine_with_llm: Engine, chat_server) -> None:
    chat_server.replies.append("社会治安防控体系建设由李新同志牵头，县公安部门具体负责落实。")
    answer = engine_with_llm.answer(QUESTION)
    assert answer.answer == "社会治安防控体系建设由李新同志牵头，县公安部门具体负责落实。"
    assert answer.citations and "由李新同志牵头" in answer.citations[0].quote
    request = chat_server.requests[0]
    assert request["model"] == "qwen2.5"
    assert "由李新同志牵头" in request["messages"][1]["content"]  # the quotes went to the LLM


@pytest.mark.parametrize(
    "reply",
    [
        "由李新同志牵头，县公安局负责，年底前完成。",  # a changed unit and an invented deadline
        "由王强同志牵头，县公安部门负责。",  # a changed person
        "由李新同志牵头，县公安部门负责，力争破案率提高到95%。",  # a number no quote has
        500,  # the endpoint fails
    ],
)
def test_ungrounded_or_failed_rewording_keeps_the_extractive_answer(
    engine_with_llm: Engine, chat_server, reply: str | int
) -> None:
    chat_server.replies.append(reply)
    assert engine_with_llm.answer(QUESTION).answer == "由李新同志牵头，县公安部门负责。"


def test_refusals_never_reach_the_llm(engine_with_llm: Engine, chat_server) -> None:
    answer = engine_with_llm.answer("明年全县GDP增长目标是多少？")
    assert not answer.found and chat_server.requests == []
    assert json.dumps(answer.to_json_dict(), ensure_ascii=False)

"""The OpenAI-compatible endpoints with the ``openai`` package's own client pointed at ``/v1``: a cited
answer, non-streaming and streaming; follow-ups through the resent history or the ``user`` field, answered
as ``POST /v1/ask`` answers the same two questions in one conversation."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import openai
import pytest

from bot.answers import Answer, Citation
from bot.plain_answer import plain_text
from tests.api.harness import LEAD_QUESTION, READER_KEY, ServedApi

FOLLOW_UP = "那他还负责什么？"
OTHER_LEAD = "谁牵头信访稳定工作？"


def _client(api: ServedApi, key: str = READER_KEY) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{api.base_url}/v1", api_key=key, max_retries=0, timeout=120.0)


def _as_answer(body: dict) -> Answer:
    return Answer(
        body["question"], body["answer"], body["found"], body["kind"], tuple(Citation(**c) for c in body["citations"])
    )


def test_models_lists_luoshi(example_api: ServedApi) -> None:
    assert [model.id for model in _client(example_api).models.list()] == ["luoshi"]


def test_chat_completion_is_a_cited_answer(example_api: ServedApi) -> None:
    with example_api.client() as reader:
        expected = reader.post("/v1/ask", json={"question": LEAD_QUESTION}).json()
    completion = _client(example_api).chat.completions.create(
        model="luoshi",
        messages=[{"role": "system", "content": "你是助手"}, {"role": "user", "content": LEAD_QUESTION}],
    )
    text = completion.choices[0].message.content
    assert text == plain_text(_as_answer(expected))
    assert text.startswith(expected["answer"]) and "李新" in text
    assert f"[1] 《{expected['citations'][0]['title']}》" in text and expected["citations"][0]["quote"] in text
    assert completion.model_extra["citations"] == expected["citations"] and len(expected["citations"]) >= 1
    assert completion.choices[0].finish_reason == "stop"


def test_streamed_chat_completion_is_the_same_reply(example_api: ServedApi) -> None:
    client = _client(example_api)
    plain = client.chat.completions.create(model="luoshi", messages=[{"role": "user", "content": LEAD_QUESTION}])
    chunks = list(
        client.chat.completions.create(
            model="luoshi", messages=[{"role": "user", "content": LEAD_QUESTION}], stream=True
        )
    )
    assert len(chunks) > 2
    assert "".join(chunk.choices[0].delta.content or "" for chunk in chunks) == plain.choices[0].message.content
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.model_extra["citations"] == plain.model_extra["citations"]


def test_stream_ends_with_done(example_api: ServedApi) -> None:
    body = {"model": "luoshi", "stream": True, "messages": [{"role": "user", "content": LEAD_QUESTION}]}
    with example_api.client() as reader, reader.stream("POST", "/v1/chat/completions", json=body) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [line for line in response.iter_lines() if line]
    assert events[-1] == "data: [DONE]" and all(event.startswith("data: ") for event in events)


def _follow_up_by_ask(api: ServedApi, conversation: str) -> dict:
    with api.client() as reader:
        reader.post("/v1/ask", json={"question": LEAD_QUESTION, "conversation_id": conversation})
        return reader.post("/v1/ask", json={"question": FOLLOW_UP, "conversation_id": conversation}).json()


def test_follow_up_through_the_resent_history(open_api: Callable[..., ServedApi]) -> None:
    api = open_api(example=True)
    expected = _follow_up_by_ask(api, "by-ask")
    client = _client(api)
    first = client.chat.completions.create(model="luoshi", messages=[{"role": "user", "content": LEAD_QUESTION}])
    history = [
        {"role": "user", "content": LEAD_QUESTION},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": FOLLOW_UP},
    ]
    follow_up = client.chat.completions.create(model="luoshi", messages=history)
    assert follow_up.choices[0].message.content == plain_text(_as_answer(expected))
    assert expected["found"] and "李新" in expected["answer"]
    alone = client.chat.completions.create(model="luoshi", messages=[{"role": "user", "content": FOLLOW_UP}])
    assert alone.choices[0].message.content != follow_up.choices[0].message.content  # no context without history
    follow_ups = [e for e in api.audit() if e["event"] == "question" and e.get("follow_up")]
    assert len(follow_ups) == 2  # one by /v1/ask, one by the chat


def test_follow_up_through_the_user_field(open_api: Callable[..., ServedApi]) -> None:
    api = open_api(example=True)
    expected = _follow_up_by_ask(api, "by-ask")
    client = _client(api)
    client.chat.completions.create(model="luoshi", messages=[{"role": "user", "content": LEAD_QUESTION}], user="u1")
    follow_up = client.chat.completions.create(
        model="luoshi", messages=[{"role": "user", "content": FOLLOW_UP}], user="u1"
    )
    assert follow_up.choices[0].message.content == plain_text(_as_answer(expected))


def test_unknown_model_and_no_question(example_api: ServedApi) -> None:
    client = _client(example_api)
    with pytest.raises(openai.NotFoundError) as unknown:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": LEAD_QUESTION}])
    assert unknown.value.body["code"] == "model_not_found"
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(model="luoshi", messages=[{"role": "system", "content": "你好"}])


def test_a_bad_key_is_refused_to_the_openai_client(example_api: ServedApi) -> None:
    with pytest.raises(openai.AuthenticationError):
        _client(example_api, "not-a-key-at-all").chat.completions.create(
            model="luoshi", messages=[{"role": "user", "content": OTHER_LEAD}]
        )
    assert httpx.get(f"{example_api.base_url}/v1/models").status_code == 401

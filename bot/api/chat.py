"""OpenAI-compatible ``GET /v1/models`` and ``POST /v1/chat/completions``, so that chat front-ends and office
middleware can use Luoshi as a "model" called ``luoshi``.

The question is the last user message. A follow-up keeps its context through the request's ``user`` field,
or, without one, through the earlier user messages a front-end resends: the answer to a chat whose user
messages are ``[q1]`` is remembered under their hash, and found again when ``[q1, q2]`` comes. The reply is
the answer and its numbered sources; a top-level ``citations`` field (in the last chunk when streaming)
carries the citation objects of ``POST /v1/ask``.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterator, Sequence
from typing import Any, Literal

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict

from bot.answers import Answer
from bot.api.auth import Caller, Reader
from bot.api.errors import ApiError
from bot.api.questions import conversation_of
from bot.plain_answer import plain_text
from prompts import api_texts as texts

MODEL = "luoshi"
STREAM_PIECE = 24  # characters per streamed chunk: the answer is whole before the first is sent

router = APIRouter(prefix="/v1", tags=["openai"])


class ChatMessage(BaseModel):
    """A message; ``content`` is text or OpenAI's list of parts (only the text parts are read)."""

    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None

    @property
    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(str(part.get("text", "")) for part in self.content if part.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    """The fields of OpenAI's request that Luoshi reads; the others (temperature, …) are accepted and ignored."""

    model_config = ConfigDict(extra="ignore")
    model: str = MODEL
    messages: list[ChatMessage]
    stream: bool = False
    user: str | None = None


def chat_conversations(user: str | None, asked: Sequence[str]) -> tuple[str | None, str | None]:
    """(the conversation to read the context from, the one to remember the answer under) for a chat whose
    user messages are ``asked``, the last being the question.

    >>> chat_conversations("u7", ["q1", "q2"])
    ('chat-user:u7', 'chat-user:u7')
    >>> first, second = chat_conversations(None, ["q1"]), chat_conversations(None, ["q1", "q2"])
    >>> first[0] is None and first[1] == second[0]
    True
    """
    if user:
        return f"chat-user:{user}", f"chat-user:{user}"

    def digest(messages: Sequence[str]) -> str:
        return "chat:" + hashlib.sha256(json.dumps(list(messages), ensure_ascii=False).encode()).hexdigest()[:32]

    earlier = asked[:-1]
    return (digest(earlier) if earlier else None), digest(asked)


def _ask(caller: Caller, request: ChatRequest) -> Answer:
    if request.model != MODEL:
        raise ApiError(404, "model_not_found", texts.MODEL_NOT_FOUND.format(model=request.model, available=MODEL))
    asked = [message.text for message in request.messages if message.role == "user"]
    if not asked or not asked[-1].strip():
        raise ApiError(422, "invalid_request", texts.NO_USER_MESSAGE)
    read_from, remember_as = chat_conversations(request.user, asked)
    return caller.desk.ask(
        caller.actor,
        asked[-1],
        conversation_of(caller, read_from),
        remember_as=conversation_of(caller, remember_as),  # where the next request of this chat reads it
    )


def _chunk(completion_id: str, created: int, delta: dict[str, str], finish: str | None = None, **extra: Any) -> str:
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    body = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": MODEL}
    return "data: " + json.dumps({**body, "choices": [choice], **extra}, ensure_ascii=False) + "\n\n"


def _stream(answer: Answer, completion_id: str, created: int) -> Iterator[str]:
    text = plain_text(answer)
    yield _chunk(completion_id, created, {"role": "assistant", "content": ""})
    for start in range(0, len(text), STREAM_PIECE):
        yield _chunk(completion_id, created, {"content": text[start : start + STREAM_PIECE]})
    yield _chunk(completion_id, created, {}, "stop", citations=answer.to_json_dict()["citations"])
    yield "data: [DONE]\n\n"


@router.get("/models", summary="The one model, luoshi (OpenAI-compatible)")
def models(caller: Reader) -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL, "object": "model", "created": 0, "owned_by": "luoshi"}]}


@router.post("/chat/completions", summary="A cited answer as an OpenAI chat completion", response_model=None)
async def chat_completions(request: ChatRequest, caller: Reader) -> dict[str, Any] | Any:
    answer = await run_in_threadpool(_ask, caller, request)  # errors (429, 503) before any byte is sent
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    if request.stream:
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return StreamingResponse(
            _stream(answer, completion_id, created), media_type="text/event-stream", headers=headers
        )
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": MODEL,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": plain_text(answer)}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        "citations": answer.to_json_dict()["citations"],
    }

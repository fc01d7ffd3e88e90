"""Optional rewording of extractive answers by an OpenAI-compatible chat endpoint.

The LLM only rewords: it sees the question, the extractive answer and the quotes, and its text is
used only if :func:`bot.grounding.ungrounded` finds every clause of it in the answer and the quotes.
Otherwise, or on any failure of the endpoint (an error, a hang, a reply too slow, too large or not
in the expected shape), the extractive answer stands. Citations never change.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import replace

import httpx
from pydantic import BaseModel, Field, ValidationError

from bot.answers import Answer
from bot.grounding import ungrounded
from prompts import llm_prompts as prompts

log = logging.getLogger(__name__)

# A chat reply is a few hundred bytes; more is a broken or hostile endpoint.
_MAX_REPLY_BYTES = 64 * 1024
# Reasoning models (DeepSeek-R1, Qwen3) may put their thinking before the answer.
_THINKING = re.compile(r"^\s*<think>.*?</think>", re.DOTALL)


class LLMReplyError(Exception):
    """The endpoint's reply cannot be used: too slow, too large, or not a chat completion."""


class _Message(BaseModel):
    content: str


class _Choice(BaseModel):
    message: _Message


class _Completion(BaseModel):
    """The part of an OpenAI chat completion Luoshi reads: ``choices[0].message.content``, a string."""

    choices: list[_Choice] = Field(min_length=1)


class Rephraser:
    """Calls ``{base_url}/chat/completions`` (DeepSeek, Qwen, vLLM, Ollama all speak it).

    ``timeout`` bounds each network step and the whole reply: a server that sends its reply a byte
    at a time is cut off too.
    """

    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 20.0) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)
        self.model = model
        self.timeout = timeout

    def reword(self, answer: Answer) -> Answer:
        """The answer in the LLM's words when they are grounded, else unchanged."""
        if not answer.found or not answer.citations:
            return answer
        try:
            text = self._complete(answer)
        except (httpx.HTTPError, LLMReplyError) as error:
            log.warning("LLM rewording failed (%s); keeping the extractive answer", error)
            return answer
        reason = ungrounded(text, answer)
        if reason is not None:
            log.info("LLM answer dropped (%s); keeping the extractive answer", reason)
            return answer
        return replace(answer, answer=text)

    def _complete(self, answer: Answer) -> str:
        quotes = "\n".join(
            prompts.QUOTE_LINE.format(number=n, title=c.title, section=c.section, quote=c.quote)
            for n, c in enumerate(answer.citations, start=1)
        )
        request = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": prompts.SYSTEM},
                {
                    "role": "user",
                    "content": prompts.USER.format(question=answer.question, answer=answer.answer, quotes=quotes),
                },
            ],
        }
        deadline = time.monotonic() + self.timeout
        body = bytearray()
        with self._client.stream("POST", "/chat/completions", json=request) as response:
            response.raise_for_status()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > _MAX_REPLY_BYTES:
                    raise LLMReplyError(f"reply longer than {_MAX_REPLY_BYTES} bytes")
                if time.monotonic() > deadline:
                    raise LLMReplyError(f"reply not complete within {self.timeout} s")
        return reply_text(bytes(body))

    def close(self) -> None:
        self._client.close()


def reply_text(body: bytes | str) -> str:
    """The answer text of a chat completion's JSON ``body``, without a leading <think> block.

    >>> reply_text('{"choices": [{"message": {"role": "assistant", "content": " <think>…</think>由李新同志牵头。"}}]}')
    '由李新同志牵头。'
    >>> reply_text('{"choices": [{"message": {"content": null}}]}')
    Traceback (most recent call last):
    bot.llm.LLMReplyError: not a chat completion: choices.0.message.content: Input should be a valid string
    """
    try:
        completion = _Completion.model_validate_json(body)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:3])
        raise LLMReplyError(f"not a chat completion: {problems}") from None
    return _THINKING.sub("", completion.choices[0].message.content).strip()

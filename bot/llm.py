"""Optional rewording of extractive answers by an OpenAI-compatible chat endpoint.

The LLM only rewords: it sees the question, the extractive answer and the quotes, and its text
is used only if it keeps every name, number and term of the extractive answer and adds no number
the quotes lack. Otherwise, or on any error, the extractive answer stands. Citations never change.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

import httpx

from bot.answers import Answer
from ingest.language.roles import ROLES, alternation, words_for
from prompts import llm_prompts as prompts

log = logging.getLogger(__name__)

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# The extractive answer's own words (由…牵头，…负责，时限要求：…) split into the phrases that carry facts.
_PHRASE_BREAK = re.compile(f"[，、；：。“”\\n]|由|{alternation(words_for(*ROLES, register='document'))}|时限要求")
_MAX_PHRASE_CHARS = 16
_MAX_CHARS = 400


class Rephraser:
    """Calls ``{base_url}/chat/completions`` (DeepSeek, Qwen, vLLM, Ollama all speak it)."""

    def __init__(self, base_url: str, model: str, api_key: str | None = None, timeout: float = 20.0) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=base_url.rstrip("/"), headers=headers, timeout=timeout)
        self.model = model

    def reword(self, answer: Answer) -> Answer:
        """The answer in the LLM's words when they are grounded, else unchanged."""
        if not answer.found or not answer.citations:
            return answer
        try:
            text = self._complete(answer)
        except (httpx.HTTPError, KeyError, IndexError, TypeError, ValueError) as error:
            log.warning("LLM rewording failed (%s); keeping the extractive answer", error)
            return answer
        if not grounded(text, answer):
            log.info("LLM answer dropped: it changed or added facts")
            return answer
        return replace(answer, answer=text)

    def _complete(self, answer: Answer) -> str:
        quotes = "\n".join(
            prompts.QUOTE_LINE.format(number=n, title=c.title, section=c.section, quote=c.quote)
            for n, c in enumerate(answer.citations, start=1)
        )
        response = self._client.post(
            "/chat/completions",
            json={
                "model": self.model,
                "temperature": 0,
                "messages": [
                    {"role": "system", "content": prompts.SYSTEM},
                    {
                        "role": "user",
                        "content": prompts.USER.format(question=answer.question, answer=answer.answer, quotes=quotes),
                    },
                ],
            },
        )
        response.raise_for_status()
        return response.json()["choices"][0]["message"]["content"].strip()

    def close(self) -> None:
        self._client.close()


def grounded(text: str, answer: Answer) -> bool:
    """Does the reworded ``text`` keep the extractive answer's facts and add none?

    Kept: every short phrase of the extractive answer (names, units, items of a slogan, time
    limits) and its entity. Added: no number that neither the answer nor the quotes contain.
    """
    if not text or len(text) > _MAX_CHARS:
        return False
    sources = answer.answer + "".join(citation.quote for citation in answer.citations)
    if any(number not in sources for number in _NUMBER.findall(text)):
        return False
    phrases = [phrase for phrase in _PHRASE_BREAK.split(answer.answer) if 2 <= len(phrase) <= _MAX_PHRASE_CHARS]
    phrases += [answer.entity] if answer.entity else []
    return all(phrase in text for phrase in phrases)

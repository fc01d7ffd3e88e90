"""``GET /v1/me`` (who the key is) and ``POST /v1/ask`` (a question, answered as ``luoshi ask --json`` does).

Conversations are kept per key: two keys using the same ``conversation_id`` do not share follow-ups.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from bot.api.auth import Caller, Reader


class AskRequest(BaseModel):
    """A question; with the same ``conversation_id`` a follow-up (「什么时候完成？」) reads the last answer."""

    question: str = Field(description="The question, e.g. 谁牵头加强社会治安防控体系建设？")
    conversation_id: str | None = Field(default=None, max_length=200, description="Any id the caller keeps per chat.")


def conversation_of(caller: Caller, conversation_id: str | None) -> str | None:
    """The desk's conversation for a caller's id: scoped to the key.

    >>> from bot.audit import Actor, Channel
    >>> conversation_of(Caller(Actor(Channel.HTTP, "portal"), "reader", None), "c1")
    'key:portal:c1'
    """
    return f"key:{caller.actor.user}:{conversation_id}" if conversation_id else None


router = APIRouter(prefix="/v1", tags=["questions"])


@router.get("/me", summary="The key's name and role")
def me(caller: Reader) -> dict[str, str]:
    return {"name": caller.actor.user, "role": caller.role}


@router.post("/ask", summary="Answer a question with its citations (the object of `luoshi ask --json`)")
def ask(request: AskRequest, caller: Reader) -> dict[str, Any]:
    answer = caller.desk.ask(caller.actor, request.question, conversation_of(caller, request.conversation_id))
    return answer.to_json_dict()

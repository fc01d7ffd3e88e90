"""Who is calling: an API key from ``Authorization: Bearer <key>`` or ``X-API-Key``, its role (reader or
admin) and the desk it may use. Requests without a known key get 401 and a reader asking for an admin's
action 403, both audited (the key itself is never written anywhere).

An endpoint declares what it needs::

    @router.get("/v1/documents")
    def documents(caller: Reader) -> dict: ...

    @router.delete("/v1/documents/{doc_id}")
    def remove(doc_id: str, caller: Admin) -> dict: ...
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from bot.api.errors import ApiError
from bot.audit import Actor, Channel
from bot.desk import Desk
from bot.settings import ApiKey
from prompts import api_texts as texts

ANONYMOUS = "(no valid key)"  # the audit trail's user for a request without a known key

# Declared so that the OpenAPI schema shows both ways of giving the key; checked by ``reader``.
_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <key> (LUOSHI_API_KEYS)")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The key, as an alternative to Bearer")


@dataclass(frozen=True)
class Caller:
    """A request with a known key: who it is for the audit trail, its role, and the desk."""

    actor: Actor
    role: str
    desk: Desk

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def find_key(keys: Sequence[ApiKey], given: str) -> ApiKey | None:
    """The key ``given`` is, compared in constant time against every key (no early exit).

    >>> keys = (ApiKey("reader-key-1", "reader", "portal"), ApiKey("admin-key-01", "admin", "office"))
    >>> find_key(keys, "admin-key-01").name, find_key(keys, "admin-key-02")
    ('office', None)
    """
    found = None
    for key in keys:
        if hmac.compare_digest(key.secret.encode(), given.encode()):
            found = key
    return found


def desk_of(request: Request) -> Desk:
    """The desk the application serves from (set by :func:`bot.api.app.create_app`)."""
    return request.app.state.desk


def action_of(request: Request) -> str:
    """What a request tries, as the audit trail records it: ``POST /v1/documents``."""
    return f"{request.method} {request.url.path}"


def reader(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    header_key: Annotated[str | None, Depends(_header)],
) -> Caller:
    """Any known key (reader or admin); otherwise 401, audited as ``bad_key``."""
    desk = desk_of(request)
    given = bearer.credentials if bearer is not None else header_key
    key = find_key(desk.settings.api_keys, given) if given else None
    if key is None:
        desk.refuse(Actor(Channel.HTTP, ANONYMOUS), "bad_key", action_of(request))
        message = texts.UNKNOWN_KEY if given else texts.MISSING_KEY
        raise ApiError(401, "unauthorized", message, {"WWW-Authenticate": "Bearer"})
    return Caller(Actor(Channel.HTTP, key.name, name=key.name), key.role, desk)


Reader = Annotated[Caller, Depends(reader)]  # an endpoint's parameter: any known key


def admin(request: Request, caller: Reader) -> Caller:
    """An admin's key; a reader's gets 403, audited as ``not_admin``."""
    if not caller.is_admin:
        caller.desk.refuse(caller.actor, "not_admin", action_of(request))
        raise ApiError(403, "not_admin", texts.NOT_ADMIN)
    return caller


Admin = Annotated[Caller, Depends(admin)]  # an endpoint's parameter: an admin's key

"""Every error the API returns is JSON, ``{"error": {"code": ..., "message": ...}}``, with a Chinese
message for people and never a traceback; an unexpected error is logged for the operator.

>>> error_body("not_found", "请求的地址不存在。")
{'error': {'code': 'not_found', 'message': '请求的地址不存在。'}}
"""

from __future__ import annotations

import logging
import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.desk import RateLimited, StoreWithheld
from prompts import api_texts as texts

logger = logging.getLogger(__name__)

# What Starlette's own errors (unknown route, wrong method, unreadable form) are called and told.
_HTTP_ERRORS: dict[int, tuple[str, str]] = {
    400: ("bad_request", texts.BAD_REQUEST),
    404: ("not_found", texts.NOT_FOUND),
    405: ("method_not_allowed", texts.METHOD_NOT_ALLOWED),
}


class ApiError(Exception):
    """An error to return as it is: HTTP ``status``, a ``code`` for programs, a Chinese ``message``."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    """The JSON body of an error."""
    return {"error": {"code": code, "message": message, **extra}}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


def field_names(error: RequestValidationError) -> str:
    """The request fields a validation error is about, e.g. ``body.question、query.start``.

    >>> field_names(RequestValidationError([{"loc": ("body", "question"), "msg": "Field required"}]))
    'body.question'
    """
    names = (".".join(str(part) for part in problem.get("loc", ())) for problem in error.errors())
    return "、".join(dict.fromkeys(name for name in names if name)) or "body"


def install_error_handlers(app: FastAPI) -> None:
    """Make every error of ``app`` the JSON error shape."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message, error.headers)

    @app.exception_handler(RateLimited)
    async def rate_limited(request: Request, error: RateLimited) -> JSONResponse:
        wait = str(max(1, math.ceil(error.wait)))
        return error_response(429, "rate_limited", error.message_zh, {"Retry-After": wait})

    @app.exception_handler(StoreWithheld)
    async def withheld(request: Request, error: StoreWithheld) -> JSONResponse:
        return error_response(503, "service_withheld", error.message_zh)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(part) for part in problem.get("loc", ())), "problem": problem.get("msg", "")}
            for problem in error.errors()
        ]
        message = texts.INVALID_REQUEST.format(fields=field_names(error))
        return JSONResponse(error_body("invalid_request", message, details=details), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code, message = _HTTP_ERRORS.get(error.status_code, (f"http_{error.status_code}", texts.BAD_REQUEST))
        return error_response(error.status_code, code, message, getattr(error, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        logger.error("Unexpected error on %s %s", request.method, request.url.path, exc_info=error)
        return error_response(500, "internal_error", texts.INTERNAL_ERROR)

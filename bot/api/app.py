"""The API application: :func:`create_app` builds it over a desk, :func:`serve` runs it (``luoshi api``).

::

    app = create_app(Settings())        # opens the desk; closed when the server shuts down
    uvicorn.run(app, host="127.0.0.1", port=8000)
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from bot.api import chat, documents, ledger, questions
from bot.api.channels import channel_routers
from bot.api.errors import install_error_handlers
from bot.classified_store import refuse_classified_store
from bot.desk import Desk
from bot.settings import Settings

logger = logging.getLogger(__name__)

TITLE = "落实 Luoshi API"
DESCRIPTION = (
    "Cited answers about the work directives in the documents Luoshi holds; the 督办台账 and the 提法; an "
    "OpenAI-compatible /v1/chat/completions. Every request needs a key (Authorization: Bearer <key>). See docs/api.md."
)


class NoApiKeys(ValueError):
    """``luoshi api`` without LUOSHI_API_KEYS: nobody could use it."""


def create_app(settings: Settings, desk: Desk | None = None) -> FastAPI:
    """The API over ``desk`` (opened from ``settings`` if not given, and then closed at shutdown). Raises
    :class:`bot.classified_store.ClassifiedStoreError` when the store holds classified documents."""
    owns_desk = desk is None
    desk = desk or Desk.open(settings)
    try:
        refuse_classified_store(desk.engine.store.catalog, settings.data_dir)
    except BaseException:
        if owns_desk:
            desk.close()
        raise

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if owns_desk:
            logger.info("Closing the desk")
            desk.close()

    # Swagger UI and ReDoc load scripts from a CDN, which an office network may not reach: only the schema.
    app = FastAPI(title=TITLE, description=DESCRIPTION, lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.desk = desk
    app.state.settings = settings
    install_error_handlers(app)
    for router in (questions.router, documents.router, ledger.router, chat.router):
        app.include_router(router)
    for router in channel_routers(settings, desk):
        app.include_router(router)
    if settings.api_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=sorted(settings.api_cors_origins),
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
            expose_headers=["Content-Disposition", "Retry-After"],
        )
    return app


def serve(settings: Settings) -> None:
    """``luoshi api``: serve the API on ``settings.api_host:api_port`` until SIGINT/SIGTERM. Raises
    :class:`NoApiKeys` (a ValueError) without keys, and the store's errors before listening."""
    if not settings.api_keys:
        raise NoApiKeys("no API keys configured: set LUOSHI_API_KEYS=key:reader|admin[:name],...")
    import uvicorn  # only when serving

    logger.info("Opening the desk (data dir %s)", settings.data_dir)
    app = create_app(settings)
    uvicorn.run(app, host=settings.api_host, port=settings.api_port, log_level="info", proxy_headers=True)

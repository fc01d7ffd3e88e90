"""The console's routes: the page at ``/``, its scripts and styles under ``/console/``, and its Chinese texts
at ``/console/texts.json``.

The page is rendered once, when the router is made: its ``{{key}}`` placeholders are filled, HTML-escaped,
from :data:`prompts.console_texts.TEXTS`. The static files are few and small, so they are read into memory
then too and served from a fixed list (no path from a request ever reaches the file system). Every response
carries ``X-Content-Type-Options: nosniff``; the page also a strict Content-Security-Policy (scripts and styles
only from this origin, nothing inline)::

    app.include_router(console_router())
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, JSONResponse, Response

from prompts.console_texts import TEXTS

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGE_TEMPLATE = "index.html"
MEDIA_TYPES: dict[str, str] = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
}
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
COMMON_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
PAGE_HEADERS: dict[str, str] = {
    **COMMON_HEADERS,
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
}
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@dataclass(frozen=True)
class Asset:
    """A static file of the console, held in memory."""

    content: bytes
    media_type: str


def render_page(template: str, texts: Mapping[str, str]) -> str:
    """The page with each ``{{key}}`` replaced by ``texts[key]``, HTML-escaped (a missing key is a KeyError).

    >>> render_page('<h1 title="{{a}}">{{a}}</h1>', {"a": '"落实" <b>'})
    '<h1 title="&quot;落实&quot; &lt;b&gt;">&quot;落实&quot; &lt;b&gt;</h1>'
    """
    return _PLACEHOLDER.sub(lambda match: html.escape(texts[match.group(1)]), template)


def load_assets(folder: Path = STATIC_DIR) -> dict[str, Asset]:
    """The console's scripts and styles by file name.

    >>> sorted(load_assets())[:2]
    ['api.js', 'app.js']
    """
    return {
        path.name: Asset(path.read_bytes(), MEDIA_TYPES[path.suffix])
        for path in sorted(folder.iterdir())
        if path.suffix in MEDIA_TYPES
    }


def console_router(texts: Mapping[str, str] = TEXTS) -> APIRouter:
    """The routes of the console: ``GET /``, ``GET /console/texts.json`` and ``GET /console/<file>``."""
    page = render_page((STATIC_DIR / PAGE_TEMPLATE).read_text(encoding="utf-8"), texts)
    assets = load_assets()
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    def console_page() -> HTMLResponse:
        return HTMLResponse(page, headers=PAGE_HEADERS)

    @router.get("/console/texts.json")
    def console_texts() -> JSONResponse:
        return JSONResponse(dict(texts), headers=COMMON_HEADERS)

    @router.get("/console/{name}")
    def console_asset(name: str) -> Response:
        asset = assets.get(name)
        if asset is None:
            raise HTTPException(status_code=404, detail="Not Found")
        return Response(asset.content, media_type=asset.media_type, headers=COMMON_HEADERS)

    return router

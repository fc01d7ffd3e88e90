"""A callback's request body read with a size cap, for the chat channels' callbacks (WeCom, DingTalk): a
body over the cap is refused (413) as soon as it passes it, never read whole.

    body = await limited_body(request, 64 * 1024)
"""

from __future__ import annotations

from fastapi import HTTPException, Request


async def limited_body(request: Request, limit: int) -> bytes:
    """The request body, or HTTP 413 once it passes ``limit`` bytes."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, "body too large")
    return bytes(body)

"""Fetch an uploaded file from the Bot API, never more than a byte limit of it.

The size a document states (in the message, and again from getFile) is checked before the download,
but it is the server's word: a file that is larger than it says must not be fetched in full before it
is refused. python-telegram-bot's ``File.download_to_drive`` reads the whole body into memory first,
so the file URL is streamed here with httpx (PTB's own HTTP client) and the download is stopped as soon
as ``Content-Length`` or the bytes received pass the limit::

    size = await download_capped(await document.get_file(), workdir / name, limit=settings.max_file_bytes)
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import httpx
from telegram import File

CONNECT_TIMEOUT = 10.0  # seconds
_COPY_CHUNK = 1024 * 1024


class DownloadTooLarge(Exception):
    """The file passed the limit: ``size`` bytes were stated (Content-Length, getFile) or received."""

    def __init__(self, size: int, limit: int, source: str) -> None:
        super().__init__(f"{source}: {size} bytes, over the limit of {limit}")
        self.size, self.limit, self.source = size, limit, source


class DownloadFailed(Exception):
    """The file could not be fetched; ``retry`` if trying again may help. The message never holds the URL
    (it contains the bot token)."""

    def __init__(self, reason: str, *, retry: bool) -> None:
        super().__init__(reason)
        self.retry = retry


def encoded_url(file_path: str) -> str:
    """The file URL with its path percent-encoded, exactly as PTB requests it (the token's colon too).

    >>> encoded_url("http://127.0.0.1:8081/file/bot1:x/documents/讲话 稿.txt")
    'http://127.0.0.1:8081/file/bot1%3Ax/documents/%E8%AE%B2%E8%AF%9D%20%E7%A8%BF.txt'
    """
    parts = urlsplit(file_path)
    return urlunsplit(parts._replace(path=quote(parts.path)))


async def download_capped(telegram_file: File, path: Path, *, limit: int, timeout: float) -> int:
    """Write the file to ``path`` and return its size; :class:`DownloadTooLarge` as soon as it passes
    ``limit`` bytes, :class:`DownloadFailed` if it cannot be had. ``timeout``: seconds per network read."""
    if telegram_file.file_size is not None and telegram_file.file_size > limit:
        raise DownloadTooLarge(telegram_file.file_size, limit, "getFile")
    if not telegram_file.file_path:
        raise DownloadFailed("getFile gave no file_path", retry=False)
    if urlsplit(telegram_file.file_path).scheme not in ("http", "https"):
        # A Bot API server in --local mode gives a path on this machine.
        return await asyncio.to_thread(_copy_local, Path(telegram_file.file_path), path, limit)
    timeouts = httpx.Timeout(timeout, connect=CONNECT_TIMEOUT)
    try:
        async with (
            httpx.AsyncClient(timeout=timeouts, headers={"Accept-Encoding": "identity"}) as client,
            client.stream("GET", encoded_url(telegram_file.file_path)) as response,
        ):
            if response.status_code != httpx.codes.OK:
                retry = response.status_code >= 500 or response.status_code == httpx.codes.TOO_MANY_REQUESTS
                raise DownloadFailed(f"HTTP {response.status_code}", retry=retry)
            stated = response.headers.get("Content-Length", "")
            if stated.isdigit() and int(stated) > limit:
                raise DownloadTooLarge(int(stated), limit, "Content-Length")
            received = 0
            with path.open("wb") as out:
                async for chunk in response.aiter_bytes():
                    received += len(chunk)
                    if received > limit:
                        raise DownloadTooLarge(received, limit, "received")
                    out.write(chunk)
            return received
    except httpx.TransportError as error:  # its text may hold the URL: only the kind is kept
        raise DownloadFailed(type(error).__name__, retry=True) from None


def _copy_local(source: Path, path: Path, limit: int) -> int:
    """A file the Bot API server keeps on this machine: copied, at most ``limit`` bytes of it."""
    copied = 0
    try:
        with source.open("rb") as file, path.open("wb") as out:
            while chunk := file.read(_COPY_CHUNK):
                copied += len(chunk)
                if copied > limit:
                    raise DownloadTooLarge(copied, limit, "local file")
                out.write(chunk)
    except OSError as error:
        raise DownloadFailed(f"local file: {error.strerror}", retry=False) from None
    return copied

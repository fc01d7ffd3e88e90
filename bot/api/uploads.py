"""Reading one uploaded file from a multipart body without holding more than the size limit.

Starlette parses the form as the body streams in and spools the file to disk past 1 MB; what it does not
do is stop reading at a size. :func:`read_upload` refuses a body whose Content-Length is over the limit
before reading any of it, and stops a body without one (chunked) as soon as it passes the limit: either way
:class:`TooLarge`, and the endpoint answers 413.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import Message

FORM_ALLOWANCE = 64 * 1024  # bytes of a multipart body beyond the file: boundaries, headers, the text fields
TEXT_FIELDS = ("title", "speaker", "date", "meeting")


class TooLarge(Exception):
    """The upload is over the size limit."""


class NoFile(Exception):
    """The form has no ``file`` part."""


@dataclass(frozen=True)
class Upload:
    """The file and the text fields of an upload form."""

    filename: str
    content_type: str | None
    data: bytes
    fields: dict[str, str]


def declared_length(request: Request) -> int | None:
    """The request's Content-Length, if it gives a number."""
    value = request.headers.get("content-length", "")
    return int(value) if value.isdigit() else None


async def read_upload(request: Request, max_file_bytes: int) -> Upload:
    """The one file (``file``) and text fields of ``request``'s form; raises :class:`TooLarge` or
    :class:`NoFile`."""
    limit = max_file_bytes + FORM_ALLOWANCE
    length = declared_length(request)
    if length is not None and length > limit:
        raise TooLarge
    received = 0

    async def receive_within_limit() -> Message:
        nonlocal received
        message = await request.receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise TooLarge
        return message

    limited = Request(request.scope, receive_within_limit)
    async with limited.form(max_files=1, max_fields=len(TEXT_FIELDS) + 2) as form:
        file = form.get("file")
        if not isinstance(file, UploadFile):
            raise NoFile
        if file.size is not None and file.size > max_file_bytes:
            raise TooLarge
        data = await file.read(max_file_bytes + 1)
        if len(data) > max_file_bytes:
            raise TooLarge
        fields = {name: value.strip() for name in TEXT_FIELDS if isinstance(value := form.get(name), str)}
        return Upload(file.filename or "", file.content_type, data, {k: v for k, v in fields.items() if v})

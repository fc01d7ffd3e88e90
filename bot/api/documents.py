"""The documents: list (``GET /v1/documents``), upload (``POST``, admins), remove (``DELETE``, admins) and
the paragraph around a citation (``GET /v1/documents/{doc_id}/paragraph``).

The listing gives no server paths or hashes: ``source`` is the file's name only.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from bot.api.auth import Admin, Reader
from bot.api.errors import ApiError, error_response
from bot.api.uploads import NoFile, TooLarge, Upload, read_upload
from bot.desk import SpanOutside
from bot.upload_names import human_size, safe_filename
from ingest.errors import IngestError
from ingest.pipeline import IngestReport, MetadataOverrides
from prompts import api_texts as texts
from vectorstore.catalog import DocumentRecord

router = APIRouter(prefix="/v1/documents", tags=["documents"])

_UPLOAD_FORM = {  # the multipart body, read by bot/api/uploads.py rather than FastAPI (to stop at the limit)
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        **{name: {"type": "string"} for name in ("title", "speaker", "date", "meeting")},
                    },
                }
            }
        },
    }
}


def document_json(record: DocumentRecord) -> dict[str, Any]:
    """A document as the API lists it.

    >>> record = DocumentRecord("ab12", "k", "通知", "/srv/in/a.txt", "h", None, "2025-03-01", None, "t", 2, 7)
    >>> document_json(record)["source"], "content_hash" in document_json(record)
    ('a.txt', False)
    """
    return {
        "doc_id": record.doc_id,
        "title": record.title,
        "source": PurePath(record.source).name,
        "speaker": record.speaker,
        "date": record.date,
        "meeting": record.meeting,
        "ingested_at": record.ingested_at,
        "section_count": record.section_count,
        "chunk_count": record.chunk_count,
        "marking": record.marking,
        "classified": record.classified,
    }


def report_json(report: IngestReport) -> dict[str, Any]:
    """What an accepted upload became (a duplicate names the stored document, maybe ingested from a path)."""
    return {
        "doc_id": report.doc_id,
        "title": report.title,
        "source": PurePath(report.source).name,
        "status": report.status,
        "section_count": report.section_count,
        "chunk_count": report.chunk_count,
        "directive_count": report.directive_count,
        "marking": report.marking,
    }


@router.get("", summary="The documents, newest first")
def documents(caller: Reader) -> dict[str, list[dict[str, Any]]]:
    records = caller.desk.documents(caller.actor)
    return {"documents": [document_json(record) for record in records]}


@router.post("", status_code=201, summary="Upload one file (admins)", openapi_extra=_UPLOAD_FORM)
async def upload(request: Request, caller: Admin) -> JSONResponse:
    desk, limit = caller.desk, caller.desk.settings.max_file_bytes
    try:
        form: Upload = await read_upload(request, limit)
    except TooLarge:
        message = texts.FILE_TOO_LARGE.format(limit=human_size(limit))
        await run_in_threadpool(
            desk.audit.ingest, caller.actor, "(not read)", reason=message, detail="request body over the size limit"
        )
        return error_response(413, "file_too_large", message)
    except NoFile as error:
        raise ApiError(422, "invalid_request", texts.NO_FILE) from error
    meta = MetadataOverrides(**form.fields)
    name = safe_filename(form.filename, form.content_type)
    try:
        report = await run_in_threadpool(desk.upload, caller.actor, name, form.data, meta)
    except IngestError as error:
        raise ApiError(422, "ingest_refused", error.message_zh) from error
    return JSONResponse(report_json(report), status_code=201)


@router.delete("/{doc_id}", summary="Remove a document (admins)")
def remove(doc_id: str, caller: Admin) -> dict[str, str]:
    if not caller.desk.remove(caller.actor, doc_id):
        raise ApiError(404, "document_not_found", texts.DOCUMENT_NOT_FOUND.format(doc_id=doc_id))
    return {"removed": doc_id}


@router.get("/{doc_id}/paragraph", summary="The paragraph around a citation's span")
def paragraph(caller: Reader, doc_id: str, start: int = Query(ge=0), end: int = Query(ge=1)) -> dict[str, str]:
    try:
        found = caller.desk.paragraph(caller.actor, doc_id, start, end)
    except SpanOutside as error:
        raise ApiError(422, "bad_span", texts.BAD_SPAN.format(length=error.length)) from error
    if found is None:
        raise ApiError(404, "document_not_found", texts.DOCUMENT_NOT_FOUND.format(doc_id=doc_id))
    record, text = found
    return {"doc_id": doc_id, "title": record.title, "text": text}

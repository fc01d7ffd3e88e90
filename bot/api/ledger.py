"""The 督办台账 (``GET /v1/tasks``, as JSON or an .xlsx / .csv download) and the 提法 glossary
(``GET /v1/slogans``). The files are :mod:`bot.reporting.task_export`'s, as ``luoshi tasks --export`` writes.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import Response

from bot.api.auth import Reader
from bot.reporting.task_export import SHEET_TITLE, csv_text, xlsx_bytes
from vectorstore.ledger import DirectiveRecord, GlossaryEntry

router = APIRouter(prefix="/v1", tags=["ledger"])

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(filename: str, fallback: str) -> str:
    """A Content-Disposition for a download named ``filename`` (RFC 5987/6266: an ASCII ``fallback`` for old
    clients, the UTF-8 name for the others). Starlette builds one only for files on disk, so here it is.

    >>> print(attachment("督办台账.xlsx", "ledger.xlsx"))
    attachment; filename="ledger.xlsx"; filename*=UTF-8''%E7%9D%A3%E5%8A%9E%E5%8F%B0%E8%B4%A6.xlsx
    """
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def task_json(number: int, record: DirectiveRecord) -> dict[str, Any]:
    """One task of the ledger as the API gives it."""
    return {
        "number": number,
        "task": record.task,
        "lead": list(record.lead),
        "responsible": list(record.responsible),
        "cooperating": list(record.cooperating),
        "deadline": record.deadline,
        "doc_id": record.doc_id,
        "title": record.title,
        "section": record.section_label,
        "quote": record.quote.strip(),
    }


def glossary_json(entry: GlossaryEntry) -> dict[str, Any]:
    """A 提法 with its definition and where it occurs."""
    return {
        "term": entry.term,
        "definition": entry.definition.definition if entry.definition else None,
        "occurrences": [
            {"doc_id": o.doc_id, "title": o.title, "section": o.section_label, "quote": o.quote.strip()}
            for o in entry.occurrences
        ],
    }


@router.get("/tasks", summary="The supervision ledger (督办台账), as JSON or a download", response_model=None)
def tasks(
    caller: Reader,
    lead: str | None = Query(default=None, description="Only tasks this unit or person leads (牵头)."),
    party: str | None = Query(default=None, description="Only tasks naming this unit or person in any role."),
    doc: str | None = Query(default=None, description="Only tasks of this document id."),
    deadline: str | None = Query(default=None, description="Only tasks whose deadline contains this (2025, 6月)."),
    format: Literal["json", "csv", "xlsx"] = Query(default="json", description="json, or a csv / xlsx download."),
) -> dict[str, Any] | Response:
    records = caller.desk.tasks(caller.actor, lead=lead, party=party, doc_id=doc, deadline=deadline, shown_as=format)
    if format == "xlsx":
        headers = {"Content-Disposition": attachment(f"{SHEET_TITLE}.xlsx", "ledger.xlsx")}
        return Response(xlsx_bytes(records), media_type=XLSX_TYPE, headers=headers)
    if format == "csv":  # with a BOM, as `luoshi tasks --export` writes it, so that Excel reads UTF-8
        headers = {"Content-Disposition": attachment(f"{SHEET_TITLE}.csv", "ledger.csv")}
        return Response(csv_text(records).encode("utf-8-sig"), media_type="text/csv; charset=utf-8", headers=headers)
    return {"count": len(records), "tasks": [task_json(n, record) for n, record in enumerate(records, start=1)]}


@router.get("/slogans", summary="The glossary of slogans and formulas (提法)")
def slogans(
    caller: Reader, term: str | None = Query(default=None, description="Only this slogan.")
) -> dict[str, list[dict[str, Any]]]:
    entries = caller.desk.glossary(caller.actor, term)
    return {"slogans": [glossary_json(entry) for entry in entries]}

"""The 督办台账, the 提法 and a citation's paragraph over real HTTP, compared with what the desk and
``bot.reporting.task_export`` give for the same store: JSON, CSV and an .xlsx that openpyxl opens."""

from __future__ import annotations

import csv
import io
from urllib.parse import unquote

import openpyxl

from bot.answers import Citation
from bot.reporting.task_export import HEADERS, SHEET_TITLE, csv_text, ledger_rows
from tests.api.harness import LEAD_QUESTION, ServedApi
from tests.conftest import OPERATOR


def test_tasks_json_is_the_ledger(example_api: ServedApi) -> None:
    records = example_api.desk.tasks(OPERATOR)
    with example_api.client() as reader:
        body = reader.get("/v1/tasks").json()
    assert body["count"] == len(records) > 5
    assert [task["number"] for task in body["tasks"]] == list(range(1, len(records) + 1))
    for task, row, record in zip(body["tasks"], ledger_rows(records), records, strict=True):
        assert task["task"] == row[1] and task["section"] == row[7] and task["quote"] == row[8]
        assert (task["lead"], task["responsible"]) == (list(record.lead), list(record.responsible))
        assert (task["doc_id"], task["title"], task["deadline"]) == (record.doc_id, record.title, record.deadline)


def test_tasks_filters(example_api: ServedApi) -> None:
    desk = example_api.desk
    with example_api.client() as reader:
        led = reader.get("/v1/tasks", params={"lead": "李新"}).json()
        named = reader.get("/v1/tasks", params={"party": "公安部门"}).json()
        of_doc = reader.get("/v1/tasks", params={"doc": desk.engine.documents()[0].doc_id}).json()
        nothing = reader.get("/v1/tasks", params={"doc": "no-such-doc"}).json()
    assert [t["task"] for t in led["tasks"]] == [r.task for r in desk.tasks(OPERATOR, lead="李新")]
    assert led["count"] >= 1
    assert all(any("李新" in name for name in t["lead"]) for t in led["tasks"])
    assert [t["task"] for t in named["tasks"]] == [r.task for r in desk.tasks(OPERATOR, party="公安部门")]
    assert of_doc["count"] == len(desk.tasks(OPERATOR)) and nothing == {"count": 0, "tasks": []}


def test_tasks_deadline_filter_keeps_tasks_whose_deadline_contains_it(example_api: ServedApi) -> None:
    records = example_api.desk.tasks(OPERATOR)
    deadlines = [record.deadline for record in records if record.deadline]
    assert deadlines, "the example has tasks with deadlines"
    wanted = deadlines[0][:2]
    with example_api.client() as reader:
        body = reader.get("/v1/tasks", params={"deadline": wanted}).json()
    assert body["count"] == sum(1 for d in deadlines if wanted in d) >= 1
    assert all(wanted in task["deadline"] for task in body["tasks"])


def test_tasks_xlsx_opens_and_matches_the_json(example_api: ServedApi) -> None:
    with example_api.client() as reader:
        tasks = reader.get("/v1/tasks", params={"lead": "李新"}).json()["tasks"]
        response = reader.get("/v1/tasks", params={"lead": "李新", "format": "xlsx"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"{SHEET_TITLE}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == HEADERS
    assert [(row[0], row[1], row[7], row[8]) for row in rows[1:]] == [
        (t["number"], t["task"], t["section"], t["quote"]) for t in tasks
    ]


def test_tasks_csv_is_the_export(example_api: ServedApi) -> None:
    with example_api.client() as reader:
        response = reader.get("/v1/tasks", params={"format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    text = response.content.decode("utf-8-sig")
    assert text == csv_text(example_api.desk.tasks(OPERATOR))
    rows = list(csv.reader(io.StringIO(text)))
    assert tuple(rows[0]) == HEADERS and len(rows) == len(example_api.desk.tasks(OPERATOR)) + 1


def test_tasks_unknown_format_is_422(example_api: ServedApi) -> None:
    with example_api.client() as reader:
        response = reader.get("/v1/tasks", params={"format": "pdf"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_request"


def test_slogans_are_the_glossary(example_api: ServedApi) -> None:
    entries = example_api.desk.glossary(OPERATOR)
    with example_api.client() as reader:
        slogans = reader.get("/v1/slogans").json()["slogans"]
        one = reader.get("/v1/slogans", params={"term": entries[0].term}).json()["slogans"]
    assert [s["term"] for s in slogans] == [e.term for e in entries] and len(entries) >= 2
    for slogan, entry in zip(slogans, entries, strict=True):
        assert len(slogan["occurrences"]) == len(entry.occurrences)
        assert slogan["definition"] == (entry.definition.definition if entry.definition else None)
        assert {o["doc_id"] for o in slogan["occurrences"]} == set(entry.documents)
    assert [s["term"] for s in one] == [entries[0].term]


def test_paragraph_of_a_citation(example_api: ServedApi) -> None:
    with example_api.client() as reader:
        answer = reader.post("/v1/ask", json={"question": LEAD_QUESTION}).json()
        cited = answer["citations"][0]
        params = {"start": cited["start"], "end": cited["end"]}
        paragraph = reader.get(f"/v1/documents/{cited['doc_id']}/paragraph", params=params).json()
        unknown = reader.get("/v1/documents/no-such-doc/paragraph", params=params)
        backwards = reader.get(
            f"/v1/documents/{cited['doc_id']}/paragraph", params={"start": cited["end"], "end": cited["start"]}
        )
        past_the_end = reader.get(f"/v1/documents/{cited['doc_id']}/paragraph", params={"start": 0, "end": 10**7})
    assert paragraph == {
        "doc_id": cited["doc_id"],
        "title": cited["title"],
        "text": example_api.desk.source_text(OPERATOR, Citation(**cited)),
    }
    assert cited["quote"] in paragraph["text"]
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "document_not_found"
    assert [r.status_code for r in (backwards, past_the_end)] == [422, 422]
    assert past_the_end.json()["error"]["code"] == "bad_span"


def test_lookups_are_audited(example_api: ServedApi) -> None:
    before = len(example_api.audit())
    with example_api.client() as reader:
        led = reader.get("/v1/tasks", params={"lead": "李新"}).json()
        reader.get("/v1/tasks", params={"deadline": "年底", "format": "xlsx"})
        slogans = reader.get("/v1/slogans").json()["slogans"]
        cited = reader.post("/v1/ask", json={"question": LEAD_QUESTION}).json()["citations"][0]
        reader.get(f"/v1/documents/{cited['doc_id']}/paragraph", params={"start": cited["start"], "end": cited["end"]})
    entries = [e for e in example_api.audit()[before:] if e["event"] == "lookup"]
    assert [(e["channel"], e["user"], e["what"]) for e in entries] == [
        ("http", "portal", "tasks"),
        ("http", "portal", "tasks_export"),
        ("http", "portal", "slogans"),
        ("http", "portal", "source"),
    ]
    tasks, export, glossary, source = entries
    assert (tasks["shown"], tasks["lead"], tasks["format"]) == (led["count"], "李新", "json")
    assert (export["deadline"], export["format"]) == ("年底", "xlsx") and "lead" not in export
    assert glossary["shown"] == len(slogans)
    assert (source["doc_id"], source["start"], source["end"]) == (cited["doc_id"], cited["start"], cited["end"])

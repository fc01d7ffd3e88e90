"""Keys and roles over real HTTP: no key or an unknown one gets 401, a reader cannot upload or remove (403),
an admin can (upload → listed → answered → removed → gone); each refusal is in the audit trail, never a key."""

from __future__ import annotations

from collections.abc import Callable

from tests.api.harness import ADMIN_KEY, READER_KEY, ServedApi
from tests.conftest import EXAMPLE_SPEECH

NOTICE = "关于做好春耕工作的通知\n\n一、总体要求\n由县农业农村局牵头，各乡镇负责，2025年6月底前完成春耕备耕工作。\n"
NOTICE_QUESTION = "谁牵头春耕备耕工作？"


def test_me_names_the_key_and_its_role(example_api: ServedApi) -> None:
    with example_api.client(READER_KEY) as reader, example_api.client(None, **{"X-API-Key": ADMIN_KEY}) as admin:
        assert reader.get("/v1/me").json() == {"name": "portal", "role": "reader"}
        assert admin.get("/v1/me").json() == {"name": "office", "role": "admin"}


def test_missing_or_unknown_key_is_401_and_audited_without_the_key(example_api: ServedApi) -> None:
    before = len(example_api.audit())
    wrong = "not-a-key-at-all-42"
    with (
        example_api.client(None) as nobody,
        example_api.client(wrong) as stranger,
        example_api.client(None, **{"X-API-Key": wrong}) as stranger_by_header,
        example_api.client(READER_KEY[:-1]) as almost,
    ):
        attempts = [
            nobody.post("/v1/ask", json={"question": "谁牵头？"}),
            stranger.get("/v1/documents"),
            stranger_by_header.get("/v1/tasks"),
            almost.get("/v1/me"),
        ]
    for response in attempts:
        assert response.status_code == 401
        error = response.json()["error"]
        assert error["code"] == "unauthorized" and error["message"]
    refused = example_api.audit()[before:]
    assert [(e["channel"], e["event"], e["outcome"]) for e in refused] == [("http", "access", "bad_key")] * 4
    assert [e["action"] for e in refused] == ["POST /v1/ask", "GET /v1/documents", "GET /v1/tasks", "GET /v1/me"]
    trail = example_api.settings.audit_file.read_text(encoding="utf-8")
    assert wrong not in trail and READER_KEY[:-1] not in trail


def test_reader_cannot_upload_or_remove(open_api: Callable[..., ServedApi]) -> None:
    api = open_api(example=True)
    documents = api.document_ids()
    with api.client(READER_KEY) as reader:
        upload = reader.post("/v1/documents", files={"file": ("notice.txt", NOTICE.encode(), "text/plain")})
        removal = reader.delete(f"/v1/documents/{documents[0]}")
    for response in (upload, removal):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "not_admin"
    assert api.document_ids() == documents
    refused = [e for e in api.audit() if e["event"] == "access"]
    assert [(e["channel"], e["user"], e["outcome"], e["action"]) for e in refused] == [
        ("http", "portal", "not_admin", "POST /v1/documents"),
        ("http", "portal", "not_admin", f"DELETE /v1/documents/{documents[0]}"),
    ]


def test_admin_uploads_asks_and_removes(open_api: Callable[..., ServedApi]) -> None:
    api = open_api()
    with api.client(ADMIN_KEY) as admin, api.client(READER_KEY) as reader:
        assert reader.get("/v1/documents").json() == {"documents": []}
        meta = {"speaker": "县长", "date": "2025-03-01"}
        uploaded = admin.post("/v1/documents", files={"file": ("春耕.txt", NOTICE.encode(), "text/plain")}, data=meta)
        assert uploaded.status_code == 201, uploaded.text
        report = uploaded.json()
        assert report["status"] == "added" and report["source"] == "春耕.txt" and report["directive_count"] >= 1
        listed = reader.get("/v1/documents").json()["documents"]
        assert [(d["doc_id"], d["speaker"], d["date"], d["classified"]) for d in listed] == [
            (report["doc_id"], "县长", "2025-03-01", False)
        ]
        assert not {"content_hash", "source_key"} & set(listed[0])
        answer = reader.post("/v1/ask", json={"question": NOTICE_QUESTION}).json()
        expected = api.desk.engine.answer(NOTICE_QUESTION)
        assert answer == expected.to_json_dict() and answer["found"]
        assert {c["doc_id"] for c in answer["citations"]} == {report["doc_id"]}
        assert admin.delete(f"/v1/documents/{report['doc_id']}").json() == {"removed": report["doc_id"]}
        assert reader.get("/v1/documents").json() == {"documents": []}
        again = admin.delete(f"/v1/documents/{report['doc_id']}")
        assert again.status_code == 404 and again.json()["error"]["code"] == "document_not_found"
        gone = reader.post("/v1/ask", json={"question": NOTICE_QUESTION}).json()
        assert gone == api.desk.engine.answer(NOTICE_QUESTION).to_json_dict()
        assert not gone["found"]
    lookups = [(e["user"], e["what"], e["shown"]) for e in api.audit() if e["event"] == "lookup"]
    assert lookups == [("portal", "documents", 0), ("portal", "documents", 1), ("portal", "documents", 0)]
    trail = [(e["channel"], e["user"], e["event"], e["outcome"]) for e in api.audit() if e["event"] != "lookup"]
    assert trail == [
        ("http", "office", "ingest", "accepted"),
        ("http", "portal", "question", "answered"),
        ("http", "office", "remove", "removed"),
        ("http", "office", "remove", "not_found"),
        ("http", "portal", "question", "refused"),
    ]


def test_the_example_document_is_listed_by_file_name(example_api: ServedApi) -> None:
    with example_api.client() as reader:
        (document,) = reader.get("/v1/documents").json()["documents"]
    assert document["source"] == EXAMPLE_SPEECH.name  # not the server's path
    (record,) = example_api.desk.engine.documents()
    assert (document["doc_id"], document["title"], document["chunk_count"]) == (
        record.doc_id,
        record.title,
        record.chunk_count,
    )

"""Uploads refused over real HTTP leave the store as it was: a type Luoshi cannot read, a classified
document, a body over LUOSHI_MAX_FILE_MB (413, with or without a Content-Length, before it is read whole),
a form without a file. Each refusal the desk sees is audited."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from ingest.errors import IngestError
from tests.api.harness import ADMIN_KEY, ServedApi

SECRET = "机密★1年\n关于维稳预案的通知\n一、压实安全责任\n由县应急管理局牵头，在12月31日前完成隐患排查。\n"
MAX_FILE_MB = 0.05  # 51 200 bytes


@pytest.fixture
def api(open_api: Callable[..., ServedApi]) -> ServedApi:
    return open_api(example=True, max_file_mb=MAX_FILE_MB)


def _upload(api: ServedApi, name: str, data: bytes, content_type: str = "text/plain") -> httpx.Response:
    with api.client(ADMIN_KEY) as admin:
        return admin.post("/v1/documents", files={"file": (name, data, content_type)})


def test_unsupported_type_is_refused_with_the_ingest_message(api: ServedApi) -> None:
    before = api.document_ids()
    response = _upload(api, "表格.xls", b"\xd0\xcf\x11\xe0 not a document", "application/vnd.ms-excel")
    assert response.status_code == 422
    assert response.json() == {
        "error": {"code": "ingest_refused", "message": IngestError("表格.xls", "unsupported_type").message_zh}
    }
    assert api.document_ids() == before
    (entry,) = [e for e in api.audit() if e["event"] == "ingest"]
    assert (entry["channel"], entry["user"], entry["outcome"]) == ("http", "office", "refused")
    assert entry["file"] == "表格.xls"


def test_classified_document_is_refused(api: ServedApi) -> None:
    before = api.document_ids()
    response = _upload(api, "预案.txt", SECRET.encode())
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "ingest_refused" and error["message"].startswith("《预案.txt》无法收录")
    assert "机密" in error["message"]
    assert api.document_ids() == before
    with api.client() as reader:
        assert reader.post("/v1/ask", json={"question": "谁牵头隐患排查？"}).status_code == 200  # not withheld


def test_body_over_the_limit_is_413(api: ServedApi) -> None:
    before = api.document_ids()
    too_big = ("由县公安局牵头。" * 4000).encode()  # 96 000 bytes
    assert len(too_big) > api.settings.max_file_bytes
    response = _upload(api, "big.txt", too_big)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large"
    assert api.document_ids() == before
    refused = [e for e in api.audit() if e["event"] == "ingest"]
    assert [(e["outcome"], e["detail"]) for e in refused] == [("refused", "request body over the size limit")]


def test_chunked_body_over_the_limit_is_413(api: ServedApi) -> None:
    """Without a Content-Length the server counts what arrives and stops at the limit, even when the file
    itself is small and the bulk is another form field."""
    before = api.document_ids()
    boundary = "luoshi-test-boundary"
    notice = "一、总体要求\n由县农业农村局牵头，2025年6月底前完成春耕备耕工作。\n"

    def body() -> Iterator[bytes]:  # a generator: httpx sends it chunked
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
            f"Content-Type: text/plain\r\n\r\n{notice}\r\n"
            f'--{boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n'
        ).encode()
        for _ in range(40):
            yield b"x" * 4096  # 160 KB of one field: under Starlette's own 1 MB limit of a field
        yield f"\r\n--{boundary}--\r\n".encode()

    with api.client(ADMIN_KEY) as admin:
        response = admin.post(
            "/v1/documents", content=body(), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
    assert response.status_code == 413
    assert api.document_ids() == before


def test_file_just_under_the_limit_is_taken(api: ServedApi) -> None:
    text = "关于做好春耕工作的通知\n\n一、总体要求\n由县农业农村局牵头，各乡镇负责，2025年6月底前完成春耕备耕工作。\n"
    data = text.encode() + "。".encode() * ((api.settings.max_file_bytes - len(text.encode())) // 3)
    assert len(data) <= api.settings.max_file_bytes
    response = _upload(api, "春耕.txt", data)
    assert response.status_code == 201, response.text
    assert response.json()["doc_id"] in api.document_ids()


def test_form_without_a_file_is_422(api: ServedApi) -> None:
    before = api.document_ids()
    with api.client(ADMIN_KEY) as admin:
        response = admin.post("/v1/documents", data={"title": "无文件"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert api.document_ids() == before


def test_title_given_with_the_upload_is_kept(api: ServedApi) -> None:
    text = "一、总体要求\n由县农业农村局牵头，各乡镇负责，2025年6月底前完成春耕备耕工作。\n"
    with api.client(ADMIN_KEY) as admin:
        response = admin.post(
            "/v1/documents",
            files={"file": ("a.txt", text.encode(), "text/plain")},
            data={"title": "关于做好春耕工作的通知", "meeting": "县政府常务会议"},
        )
    assert response.status_code == 201, response.text
    assert response.json()["title"] == "关于做好春耕工作的通知"
    (record,) = [r for r in api.desk.engine.documents() if r.doc_id == response.json()["doc_id"]]
    assert (record.title, record.meeting) == ("关于做好春耕工作的通知", "县政府常务会议")


def test_the_same_file_again_is_unchanged_and_its_text_under_another_name_a_duplicate(api: ServedApi) -> None:
    text = "一、总体要求\n由县农业农村局牵头，各乡镇负责，2025年6月底前完成春耕备耕工作。\n".encode()
    first = _upload(api, "春耕.txt", text).json()
    again = _upload(api, "春耕.txt", text).json()
    twin = _upload(api, "春耕-副本.txt", text).json()
    assert [first["status"], again["status"], twin["status"]] == ["added", "unchanged", "duplicate"]
    assert first["doc_id"] == again["doc_id"] == twin["doc_id"] and twin["source"] == "春耕.txt"
    assert api.document_ids().count(first["doc_id"]) == 1

"""Errors over real HTTP are JSON with a Chinese message and never a traceback: the rate limit (429 with
Retry-After), a store that holds a classified document (503 while it is there; refused at start), bad
requests (422, 404, 405), an unexpected failure (500). CORS is off unless origins are set."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import openai
import pytest

from bot.api.app import create_app
from bot.classified_store import ClassifiedStoreError
from bot.desk import Desk
from bot.engine import Engine
from prompts import api_texts, channel_texts
from tests.api.harness import ADMIN_KEY, LEAD_QUESTION, READER_KEY, ServedApi, api_settings
from vectorstore.catalog import catalog_location
from vectorstore.embeddings import EmbeddingModel

SECRET = "机密★1年\n关于维稳预案的通知\n一、压实安全责任\n由县应急管理局牵头，在12月31日前完成隐患排查。\n"
PORTAL = "https://portal.example.gov.cn"


def test_rate_limit_is_429_with_retry_after(open_api: Callable[..., ServedApi]) -> None:
    api = open_api(example=True, rate_limit_per_minute=1)
    with api.client(READER_KEY) as reader, api.client(ADMIN_KEY) as admin:
        assert reader.post("/v1/ask", json={"question": LEAD_QUESTION}).status_code == 200
        limited = reader.post("/v1/ask", json={"question": LEAD_QUESTION})
        other_key = admin.post("/v1/ask", json={"question": LEAD_QUESTION})
    assert limited.status_code == 429 and other_key.status_code == 200  # counted per key
    seconds = int(limited.headers["retry-after"])
    assert 1 <= seconds <= 60
    error = limited.json()["error"]
    assert error["code"] == "rate_limited"
    # the person is told the wait rounded, the header rounds it up (never early)
    assert error["message"] in {channel_texts.RATE_LIMITED.format(seconds=s) for s in (seconds, seconds - 1)}
    client = openai.OpenAI(base_url=f"{api.base_url}/v1", api_key=READER_KEY, max_retries=0)
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(model="luoshi", messages=[{"role": "user", "content": LEAD_QUESTION}])
    outcomes = [(e["user"], e["outcome"]) for e in api.audit() if e["event"] == "question"]
    assert outcomes == [
        ("portal", "answered"),
        ("portal", "rate_limited"),
        ("office", "answered"),
        ("portal", "rate_limited"),
    ]


def test_classified_document_withholds_answers_until_removed(
    open_api: Callable[..., ServedApi], tmp_path: Path
) -> None:
    api = open_api(example=True)
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    report = api.desk.engine.ingest_file(secret, allow_classified=True)  # as `luoshi ingest` lets an operator
    withheld = {"error": {"code": "service_withheld", "message": channel_texts.SERVICE_WITHHELD}}
    with api.client(READER_KEY) as reader, api.client(ADMIN_KEY) as admin:
        for response in (
            reader.post("/v1/ask", json={"question": LEAD_QUESTION}),
            reader.get("/v1/tasks"),
            reader.get("/v1/slogans"),
            reader.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": LEAD_QUESTION}]}),
        ):
            assert (response.status_code, response.json()) == (503, withheld)
        listed = {d["doc_id"]: d for d in reader.get("/v1/documents").json()["documents"]}
        assert listed[report.doc_id]["classified"] and listed[report.doc_id]["marking"].startswith("机密")
        assert admin.delete(f"/v1/documents/{report.doc_id}").status_code == 200
        assert reader.post("/v1/ask", json={"question": LEAD_QUESTION}).json()["found"]
    turned_away = [(e["event"], e["outcome"], e.get("action")) for e in api.audit() if e["outcome"] == "withheld"]
    assert turned_away == [
        ("question", "withheld", None),
        ("access", "withheld", "tasks"),
        ("access", "withheld", "slogans"),
        ("question", "withheld", None),
    ]


def test_a_classified_store_is_refused_at_start(embedding_model: EmbeddingModel, tmp_path: Path) -> None:
    settings = api_settings(tmp_path / "data")
    desk = Desk.open(settings, Engine.open(settings, embedding_model))
    try:
        secret = tmp_path / "secret.txt"
        secret.write_text(SECRET, encoding="utf-8")
        desk.engine.ingest_file(secret, allow_classified=True)
        with pytest.raises(ClassifiedStoreError, match="classified"):
            create_app(settings, desk)
    finally:
        desk.close()


def test_bad_requests_are_json(example_api: ServedApi) -> None:
    with example_api.client() as reader:
        missing = reader.post("/v1/ask", json={"conversation_id": "c1"})
        not_json = reader.post("/v1/ask", content=b"{", headers={"Content-Type": "application/json"})
        unknown = reader.get("/v1/nothing-here")
        wrong_method = reader.put("/v1/ask", json={"question": LEAD_QUESTION})
        too_long = reader.post("/v1/ask", json={"question": "由" * 600 + "牵头"})
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "invalid_request"
    assert "body.question" in missing.json()["error"]["message"]
    assert not_json.status_code == 422
    assert (unknown.status_code, unknown.json()["error"]) == (
        404,
        {"code": "not_found", "message": api_texts.NOT_FOUND},
    )
    assert wrong_method.status_code == 405 and wrong_method.json()["error"]["code"] == "method_not_allowed"
    assert too_long.status_code == 200 and not too_long.json()["found"]  # the desk's refusal, as the bot's


def test_an_unexpected_failure_is_500_without_a_traceback(open_api: Callable[..., ServedApi]) -> None:
    api = open_api()
    with sqlite3.connect(catalog_location(api.settings.data_dir)) as catalog:  # break the store under the server
        catalog.execute("ALTER TABLE markings RENAME TO markings_gone")
    with api.client() as reader:
        response = reader.get("/v1/documents")
    assert response.status_code == 500
    assert response.json() == {"error": {"code": "internal_error", "message": api_texts.INTERNAL_ERROR}}
    assert "Traceback" not in response.text and "markings" not in response.text


def test_openapi_schema_without_the_cdn_pages(example_api: ServedApi) -> None:
    with example_api.client(None) as anyone:
        schema = anyone.get("/openapi.json").json()
        assert anyone.get("/docs").status_code == 404
    for path in ("/v1/ask", "/v1/documents", "/v1/tasks", "/v1/slogans", "/v1/chat/completions", "/v1/models"):
        assert path in schema["paths"]
    upload = schema["paths"]["/v1/documents"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert upload["schema"]["required"] == ["file"]


def test_cors_is_off_by_default(example_api: ServedApi) -> None:
    with example_api.client(READER_KEY, Origin=PORTAL) as browser:
        response = browser.get("/v1/me")
        preflight = browser.options(
            "/v1/ask",
            headers={"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
        )
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_for_the_origins_set(open_api: Callable[..., ServedApi]) -> None:
    api = open_api(api_cors_origins=f"{PORTAL}, https://oa.example.gov.cn")
    preflight_headers = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    with api.client(READER_KEY, Origin=PORTAL) as browser, api.client(READER_KEY, Origin="https://evil.test") as other:
        response = browser.get("/v1/me")
        preflight = browser.options("/v1/ask", headers=preflight_headers)
        stranger = other.get("/v1/me")
        stranger_preflight = other.options("/v1/ask", headers=preflight_headers)
    assert response.headers["access-control-allow-origin"] == PORTAL
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == PORTAL
    assert "access-control-allow-origin" not in stranger.headers
    assert stranger_preflight.status_code == 400

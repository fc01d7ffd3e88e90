"""The WeCom adapter end to end: the fake WeCom platform calls the adapter's callback (served by uvicorn on
loopback) as WeCom does, and receives the replies through its message API. Answers are compared with what
the desk's engine, and `luoshi ask --json`, say for the same question over the same store.

Each test talks as its own user (the follow-up memory, the rate limit and the refusal gate are per user),
and each served app is stopped gracefully before the assertions, so every reply has been sent by then.
"""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from bot.answers import Citation
from bot.audit import read_entries
from bot.desk import Desk
from bot.plain_answer import plain_text, source_line
from bot.source_request import source_reply
from bot.wecom.client import TEXT_LIMIT_BYTES
from bot.wecom.routes import CALLBACK_PATH
from prompts import channel_texts
from prompts import wecom_texts as texts
from prompts.channel_texts import RATE_LIMITED
from tests.api.harness import serve_app
from tests.conftest import OPERATOR, luoshi
from tests.wecom.conftest import MANY_TASKS_UNIT
from tests.wecom.fake_wecom import FakeWeCom
from tests.wecom.harness import SECRET, wecom_app, wecom_settings

QUESTION = "谁牵头加强社会治安防控体系建设？"
FOLLOW_UP = "那他还负责什么？"


@pytest.fixture
def app(desk: Desk, data_dir: Path, wecom: FakeWeCom) -> FastAPI:
    """A fresh app with the WeCom router (a fresh client: no cached token)."""
    return wecom_app(wecom_settings(data_dir, wecom.base_url), desk)


def entries_of(desk: Desk, user: str) -> list[dict]:
    return list(read_entries(desk.audit.path, user=user))


def app_get(base: str, params: dict[str, str]) -> httpx.Response:
    return httpx.get(base + CALLBACK_PATH, params=params, timeout=30)


def test_url_verification_returns_the_decrypted_echostr(app, wecom: FakeWeCom) -> None:
    with serve_app(app) as base:
        response, echo = wecom.verify_url(base + CALLBACK_PATH)
        forged = wecom.crypto.seal("12345")
        refused = app_get(base, {"msg_signature": "0" * 40, "timestamp": "1", "nonce": "2", "echostr": forged})
    assert response.status_code == 200
    assert response.text == echo
    assert response.headers["content-type"].startswith("text/plain")
    assert refused.status_code == 403


def test_wrong_signature_or_stale_timestamp_is_refused_and_nothing_answered(app, wecom: FakeWeCom, desk: Desk) -> None:
    user = "ChenJing"
    with serve_app(app) as base:
        forged = wecom.send_user_message(base + CALLBACK_PATH, user, QUESTION, bad_signature=True)
        stale = wecom.send_user_message(base + CALLBACK_PATH, user, QUESTION, timestamp=1409659813)
    assert forged.status_code == 403
    assert stale.status_code == 403
    assert wecom.messages_to(user) == []
    assert entries_of(desk, user) == []


def test_question_answered_through_message_send_with_the_ask_json_answer(
    app, wecom: FakeWeCom, desk: Desk, data_dir: Path
) -> None:
    user = "LiXin"
    with serve_app(app) as base:
        response = wecom.send_user_message(base + CALLBACK_PATH, user, QUESTION)
        assert response.status_code == 200
        assert response.content == b""  # answered at once, empty: the reply goes through the message API
    cli = luoshi(data_dir, "ask", "--json", QUESTION)
    assert cli.returncode == 0, cli.stderr
    expected = json.loads(cli.stdout)
    assert expected["found"] and expected["citations"]
    [reply] = wecom.messages_to(user)
    assert reply.startswith(expected["answer"])
    for number, citation in enumerate(expected["citations"], start=1):
        assert source_line(number, Citation(**citation)) in reply
    [entry] = [entry for entry in entries_of(desk, user) if entry["event"] == "question"]
    assert entry["channel"] == "wecom"
    assert entry["outcome"] == "answered"
    assert entry["answer"] == expected["answer"]
    assert [cited["doc_id"] for cited in entry["cited"]] == [c["doc_id"] for c in expected["citations"]]


def test_follow_up_uses_the_previous_answer_and_source_n_shows_its_paragraph(app, wecom: FakeWeCom, desk: Desk) -> None:
    user = "ZhaoMin"
    first = desk.engine.answer(QUESTION, None)
    alone, with_context = desk.engine.answer(FOLLOW_UP, None), desk.engine.answer(FOLLOW_UP, first)
    assert plain_text(alone) != plain_text(with_context)  # else this test could not tell
    with serve_app(app) as base:
        wecom.send_user_message(base + CALLBACK_PATH, user, QUESTION)
    with serve_app(app) as base:
        wecom.send_user_message(base + CALLBACK_PATH, user, "原文 1")
    with serve_app(app) as base:
        wecom.send_user_message(base + CALLBACK_PATH, user, FOLLOW_UP)
    replies = wecom.messages_to(user)
    assert replies[0] == plain_text(first)
    assert replies[1] == source_reply(1, first.citations[0], desk.source_text(OPERATOR, first.citations[0]))
    assert first.citations[0].quote in replies[1]
    assert replies[2] == plain_text(with_context)
    entries = [entry for entry in entries_of(desk, user) if entry["event"] in ("question", "lookup")]
    assert [(entry["event"], entry.get("follow_up", False)) for entry in entries] == [
        ("question", False),
        ("lookup", False),  # 「原文 1」, audited as a source lookup
        ("question", True),
    ]
    assert (entries[1]["channel"], entries[1]["what"], entries[1]["doc_id"]) == (
        "wecom",
        "source",
        first.citations[0].doc_id,
    )


def test_outsider_is_refused_once_naming_the_user_id_and_every_attempt_audited(
    app, wecom: FakeWeCom, desk: Desk
) -> None:
    outsider = "Stranger007"
    with serve_app(app) as base:
        wecom.send_user_message(base + CALLBACK_PATH, outsider, QUESTION)
    with serve_app(app) as base:
        wecom.send_user_message(base + CALLBACK_PATH, outsider, "再问一次")
    assert wecom.messages_to(outsider) == [texts.NOT_ALLOWED.format(user_id=outsider)]
    assert outsider in wecom.messages_to(outsider)[0]
    entries = entries_of(desk, outsider)
    assert [(e["channel"], e["event"], e["outcome"]) for e in entries] == [("wecom", "access", "user_not_allowed")] * 2
    assert [e["text"] for e in entries] == [QUESTION, "再问一次"]


def test_same_msg_id_delivered_twice_to_two_workers_is_answered_once(
    desk: Desk, data_dir: Path, wecom: FakeWeCom
) -> None:
    user = "SunLei"
    worker_a = wecom_app(wecom_settings(data_dir, wecom.base_url), desk)
    worker_b = wecom_app(wecom_settings(data_dir, wecom.base_url), desk)
    msg_id = "6054768590064713728"
    with serve_app(worker_a) as base_a, serve_app(worker_b) as base_b, ThreadPoolExecutor(4) as pool:
        deliveries = [  # at once to both workers, as when WeCom retries while the first is still in flight
            pool.submit(wecom.send_user_message, base + CALLBACK_PATH, user, QUESTION, msg_id)
            for base in (base_a, base_b, base_a, base_b)
        ]
        statuses = [delivery.result().status_code for delivery in deliveries]
    assert statuses == [200] * 4
    assert wecom.messages_to(user) == [plain_text(desk.engine.answer(QUESTION, None))]
    assert len([e for e in entries_of(desk, user) if e["event"] == "question"]) == 1


def test_expired_token_is_refreshed_once_and_the_reply_still_arrives(app, wecom: FakeWeCom) -> None:
    user = "ZhouYu"
    with serve_app(app) as base:
        wecom.send_user_message(base + CALLBACK_PATH, user, QUESTION)
    tokens_before, rejected_before = wecom.token_requests, len(wecom.rejected_sends)
    wecom.expire_tokens()
    with serve_app(app) as base:  # the same app: its client still holds the token WeCom just expired
        wecom.send_user_message(base + CALLBACK_PATH, user, "原文 1")
    assert len(wecom.messages_to(user)) == 2
    assert wecom.token_requests == tokens_before + 1
    assert wecom.rejected_sends[rejected_before:] == [42001]


def test_long_reply_is_split_under_2048_bytes_at_line_ends(app, wecom: FakeWeCom, desk: Desk) -> None:
    user = "WuHao"
    question = f"{MANY_TASKS_UNIT}承担哪些任务？"
    expected = plain_text(desk.engine.answer(question, None))
    assert len(expected.encode()) > TEXT_LIMIT_BYTES  # else this test could not tell
    with serve_app(app) as base:
        wecom.send_user_message(base + CALLBACK_PATH, user, question)
    parts = wecom.messages_to(user)
    assert len(parts) >= 2
    assert all(len(part.encode()) <= TEXT_LIMIT_BYTES for part in parts)
    assert "\n".join(parts) == expected  # cut between lines, nothing lost
    assert 45002 not in wecom.rejected_sends


def test_other_message_types_get_a_note_and_events_nothing(app, wecom: FakeWeCom) -> None:
    user = "WangFang"
    with serve_app(app) as base:
        image = wecom.post(base + CALLBACK_PATH, wecom.message_xml(user, "", "900001", msg_type="image"))
        event = wecom.post(base + CALLBACK_PATH, wecom.event_xml(user, "enter_agent"))
    assert [image.status_code, event.status_code] == [200, 200]
    assert wecom.messages_to(user) == [channel_texts.TEXT_ONLY]


def test_neither_the_secret_nor_an_access_token_is_logged(
    desk: Desk, data_dir: Path, wecom: FakeWeCom, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = wecom_app(wecom_settings(data_dir, wecom.base_url), desk)
    with serve_app(app) as base:
        wecom.send_user_message(base + CALLBACK_PATH, "LiXin", "原文 1")
    wecom.expire_tokens()
    with serve_app(app) as base:
        wecom.send_user_message(base + CALLBACK_PATH, "LiXin", "原文 1")
    assert wecom.token_requests >= 2
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "access token rejected" in logged  # the refresh was logged…
    assert SECRET not in logged  # …without the secret
    assert "corpsecret" not in logged and "access_token=" not in logged


def test_an_oversized_body_is_refused_unread(app: FastAPI, wecom: FakeWeCom) -> None:
    user = "WangFang"
    before = wecom.messages_to(user)
    with serve_app(app) as base:
        response = wecom.post(base + CALLBACK_PATH, wecom.message_xml(user, "问" * 30_000, "900002"))
    assert response.status_code == 413
    assert wecom.messages_to(user) == before


def test_a_user_over_the_rate_limit_is_told_once(app: FastAPI, wecom: FakeWeCom, desk: Desk) -> None:
    user = "HeJun"
    limit = desk.settings.rate_limit_per_minute
    with serve_app(app) as base:
        for _ in range(limit + 2):
            wecom.send_user_message(base + CALLBACK_PATH, user, QUESTION)
    replies = wecom.messages_to(user)
    told = [reply for reply in replies if reply.startswith(RATE_LIMITED.split("{")[0])]
    assert len(told) == 1
    assert len(replies) == limit + 1
    outcomes = [entry["outcome"] for entry in entries_of(desk, user) if entry["event"] == "question"]
    assert sorted(outcomes) == ["answered"] * limit + ["rate_limited"] * 2

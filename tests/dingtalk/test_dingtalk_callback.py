"""The DingTalk robot end to end: the fake DingTalk posts users' messages to the robot's callback (served by
uvicorn on loopback), signed as DingTalk signs them, and receives the replies on its sessionWebhooks. Answers
are compared with what `luoshi ask --json`, and the desk's engine, say for the same question over the store.

Each test talks as its own staff id (the follow-up memory, the rate limit and the refusal gate are per
user), and each served app is stopped gracefully before the assertions, so every reply has been sent by then.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from bot.answers import Citation
from bot.audit import read_entries
from bot.desk import Desk
from bot.dingtalk.routes import CALLBACK_PATH
from bot.plain_answer import plain_text, source_line
from bot.source_request import source_reply
from prompts import channel_texts
from prompts import dingtalk_texts as texts
from tests.api.harness import serve_app
from tests.conftest import OPERATOR, luoshi
from tests.dingtalk.fake_dingtalk import FakeDingTalk
from tests.dingtalk.harness import APP_SECRET, dingtalk_app, dingtalk_settings

QUESTION = "谁牵头加强社会治安防控体系建设？"
FOLLOW_UP = "那他还负责什么？"
GROUP = "cidQ3fGroupOfTheCountyOffice=="


@pytest.fixture
def app(desk: Desk, data_dir: Path, dingtalk: FakeDingTalk) -> FastAPI:
    return dingtalk_app(dingtalk_settings(data_dir, dingtalk.base_url), desk)


def entries_of(desk: Desk, user: str) -> list[dict]:
    return list(read_entries(desk.audit.path, user=user))


def test_signed_question_is_answered_through_the_session_webhook_with_the_ask_json_answer(
    app: FastAPI, dingtalk: FakeDingTalk, desk: Desk, data_dir: Path
) -> None:
    staff = "0326150155"
    with serve_app(app) as base:
        response = dingtalk.send_user_message(base + CALLBACK_PATH, staff, QUESTION)
        assert response.status_code == 200
        assert response.content == b""  # answered at once, empty: the reply goes to the sessionWebhook
    cli = luoshi(data_dir, "ask", "--json", QUESTION)
    assert cli.returncode == 0, cli.stderr
    expected = json.loads(cli.stdout)
    assert expected["found"] and expected["citations"]
    [reply] = dingtalk.replies_to(staff)
    assert reply.content.startswith(expected["answer"])
    for number, citation in enumerate(expected["citations"], start=1):
        assert source_line(number, Citation(**citation)) in reply.content
    assert reply.at_user_ids == ()  # a private chat: no @
    [entry] = [entry for entry in entries_of(desk, staff) if entry["event"] == "question"]
    assert (entry["channel"], entry["outcome"], entry["answer"]) == ("dingtalk", "answered", expected["answer"])
    assert [cited["doc_id"] for cited in entry["cited"]] == [c["doc_id"] for c in expected["citations"]]


def test_bad_sign_stale_timestamp_or_no_sign_is_refused_and_nothing_sent(
    app: FastAPI, dingtalk: FakeDingTalk, desk: Desk
) -> None:
    staff = "0326150156"
    an_hour_and_a_minute_ago = int((time.time() - 3660) * 1000)
    body = dingtalk.message_body(staff, QUESTION)
    with serve_app(app) as base:
        forged = dingtalk.post(base + CALLBACK_PATH, body, bad_sign=True)
        stale = dingtalk.post(base + CALLBACK_PATH, body, timestamp_ms=an_hour_and_a_minute_ago)
        unsigned = httpx.post(base + CALLBACK_PATH, json=body, timeout=30)
    assert [forged.status_code, stale.status_code, unsigned.status_code] == [403, 403, 403]
    assert dingtalk.messages_to(staff) == []
    assert entries_of(desk, staff) == []


def test_outsider_is_refused_once_naming_the_staff_id_and_every_attempt_audited(
    app: FastAPI, dingtalk: FakeDingTalk, desk: Desk
) -> None:
    outsider = "9999000011"
    with serve_app(app) as base:
        dingtalk.send_user_message(base + CALLBACK_PATH, outsider, QUESTION)
    with serve_app(app) as base:
        dingtalk.send_user_message(base + CALLBACK_PATH, outsider, "再问一次")
    assert dingtalk.messages_to(outsider) == [texts.NOT_ALLOWED.format(user_id=outsider)]
    assert outsider in dingtalk.messages_to(outsider)[0]
    entries = entries_of(desk, outsider)
    assert [(e["channel"], e["event"], e["outcome"]) for e in entries] == [
        ("dingtalk", "access", "user_not_allowed")
    ] * 2
    assert [e["text"] for e in entries] == [QUESTION, "再问一次"]


def test_same_msg_id_delivered_twice_to_two_workers_is_answered_once(
    desk: Desk, data_dir: Path, dingtalk: FakeDingTalk
) -> None:
    staff = "0326150157"
    worker_a = dingtalk_app(dingtalk_settings(data_dir, dingtalk.base_url), desk)
    worker_b = dingtalk_app(dingtalk_settings(data_dir, dingtalk.base_url), desk)
    body = dingtalk.message_body(staff, QUESTION, msg_id="msgRetried0001==")
    with serve_app(worker_a) as base_a, serve_app(worker_b) as base_b, ThreadPoolExecutor(4) as pool:
        deliveries = [  # at once to both workers, as when DingTalk retries while the first is still in flight
            pool.submit(dingtalk.post, base + CALLBACK_PATH, body) for base in (base_a, base_b, base_a, base_b)
        ]
        statuses = [delivery.result().status_code for delivery in deliveries]
    assert statuses == [200] * 4
    assert dingtalk.messages_to(staff) == [plain_text(desk.engine.answer(QUESTION, None))]
    assert len([e for e in entries_of(desk, staff) if e["event"] == "question"]) == 1


def test_group_message_is_answered_with_an_at_of_the_sender(app: FastAPI, dingtalk: FakeDingTalk, desk: Desk) -> None:
    staff = "0326150158"
    with serve_app(app) as base:
        response = dingtalk.send_user_message(base + CALLBACK_PATH, staff, " " + QUESTION, group=GROUP)
    assert response.status_code == 200
    [reply] = dingtalk.replies_to(staff)
    assert reply.at_user_ids == (staff,)
    assert reply.content == plain_text(desk.engine.answer(QUESTION, None))


def test_follow_up_and_source_n_within_a_group_conversation(app: FastAPI, dingtalk: FakeDingTalk, desk: Desk) -> None:
    staff = "0326150159"
    first = desk.engine.answer(QUESTION, None)
    alone, with_context = desk.engine.answer(FOLLOW_UP, None), desk.engine.answer(FOLLOW_UP, first)
    assert plain_text(alone) != plain_text(with_context)  # else this test could not tell
    with serve_app(app) as base:
        dingtalk.send_user_message(base + CALLBACK_PATH, staff, QUESTION, group=GROUP)
    with serve_app(app) as base:
        dingtalk.send_user_message(base + CALLBACK_PATH, staff, "原文 1", group=GROUP)
    with serve_app(app) as base:
        dingtalk.send_user_message(base + CALLBACK_PATH, staff, FOLLOW_UP, group=GROUP)
    replies = dingtalk.messages_to(staff)
    assert replies[0] == plain_text(first)
    assert replies[1] == source_reply(1, first.citations[0], desk.source_text(OPERATOR, first.citations[0]))
    assert first.citations[0].quote in replies[1]
    assert replies[2] == plain_text(with_context)
    entries = [entry for entry in entries_of(desk, staff) if entry["event"] == "question"]
    assert [entry.get("follow_up", False) for entry in entries] == [False, True]


def test_a_session_webhook_on_a_foreign_host_is_not_called(app: FastAPI, dingtalk: FakeDingTalk) -> None:
    staff = "0326150160"
    # another loopback port, not in LUOSHI_DINGTALK_WEBHOOK_HOSTS
    with FakeDingTalk(APP_SECRET) as elsewhere, serve_app(app) as base:
        forged_target = dingtalk.send_user_message(
            base + CALLBACK_PATH, staff, QUESTION, webhook=elsewhere.webhook_for(staff)
        )
        lookalike = dingtalk.send_user_message(
            base + CALLBACK_PATH,
            staff,
            QUESTION,
            webhook="https://oapi.dingtalk.com.example.net/robot/sendBySession",
        )
        asked = dingtalk.send_user_message(base + CALLBACK_PATH, staff, "原文 1")  # the fake's own: allowed
    assert [forged_target.status_code, lookalike.status_code, asked.status_code] == [200, 200, 200]
    assert elsewhere.sent == []
    assert len(dingtalk.messages_to(staff)) == 1  # only the reply to the allowed webhook


def test_a_picture_gets_the_text_only_note(app: FastAPI, dingtalk: FakeDingTalk) -> None:
    staff = "0326150161"
    with serve_app(app) as base:
        response = dingtalk.send_user_message(base + CALLBACK_PATH, staff, "", msg_type="picture")
    assert response.status_code == 200
    assert dingtalk.messages_to(staff) == [channel_texts.TEXT_ONLY]

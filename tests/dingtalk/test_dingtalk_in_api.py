"""The DingTalk callback as `luoshi api` serves it: mounted by the API's ``channel_routers`` when the robot's
AppSecret is set, beside the /v1 routes (without their API keys: DingTalk's sign is its check), absent
otherwise."""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.api.app import create_app
from bot.desk import Desk
from bot.dingtalk.routes import CALLBACK_PATH
from bot.plain_answer import plain_text
from bot.settings import Settings
from tests.api.harness import serve_app
from tests.dingtalk.fake_dingtalk import FakeDingTalk
from tests.dingtalk.harness import dingtalk_settings

QUESTION = "谁牵头加强社会治安防控体系建设？"


def test_the_api_serves_the_callback_when_the_robot_is_configured(
    desk: Desk, data_dir: Path, dingtalk: FakeDingTalk
) -> None:
    staff = "0326150155"
    before = len(dingtalk.messages_to(staff))
    app = create_app(dingtalk_settings(data_dir, dingtalk.base_url), desk)
    with serve_app(app) as base:
        forged = dingtalk.send_user_message(base + CALLBACK_PATH, staff, QUESTION, bad_sign=True)
        asked = dingtalk.send_user_message(base + CALLBACK_PATH, staff, QUESTION)
    assert (forged.status_code, asked.status_code) == (403, 200)
    assert dingtalk.messages_to(staff)[before:] == [plain_text(desk.engine.answer(QUESTION, None))]


def test_the_api_has_no_callback_when_the_robot_is_not_configured(desk: Desk, data_dir: Path) -> None:
    app = create_app(Settings(data_dir=data_dir, database_url=None), desk)
    configured = create_app(dingtalk_settings(data_dir, "http://127.0.0.1:9"), desk)
    assert CALLBACK_PATH not in app.openapi()["paths"]  # (included routers are not in app.routes themselves)
    assert CALLBACK_PATH in configured.openapi()["paths"]
    with serve_app(app) as base:
        absent = httpx.post(base + CALLBACK_PATH, json={}, timeout=30)
    assert absent.status_code == 404

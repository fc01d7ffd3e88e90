"""The WeCom callback as `luoshi api` serves it: mounted by the API's ``channel_routers`` when WeCom is on,
beside the /v1 routes (without their API keys: WeCom's signature is its check), and refused at start when
WeCom is half configured."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.api.app import create_app
from bot.desk import Desk
from bot.plain_answer import plain_text
from bot.settings import Settings
from bot.wecom.config import WeComSettingsError
from bot.wecom.routes import CALLBACK_PATH
from tests.api.harness import serve_app
from tests.wecom.fake_wecom import FakeWeCom
from tests.wecom.harness import wecom_settings

QUESTION = "谁牵头加强社会治安防控体系建设？"


def test_the_api_serves_the_callback_when_wecom_is_on(desk: Desk, data_dir: Path, wecom: FakeWeCom) -> None:
    user = "GaoYan"
    app = create_app(wecom_settings(data_dir, wecom.base_url), desk)
    with serve_app(app) as base:
        check, echo = wecom.verify_url(base + CALLBACK_PATH)
        forged = wecom.send_user_message(base + CALLBACK_PATH, user, QUESTION, bad_signature=True)
        asked = wecom.send_user_message(base + CALLBACK_PATH, user, QUESTION)
    assert (check.status_code, check.text) == (200, echo)
    assert forged.status_code == 403
    assert asked.status_code == 200
    assert wecom.messages_to(user) == [plain_text(desk.engine.answer(QUESTION, None))]


def test_the_api_has_no_callback_when_wecom_is_off(desk: Desk, data_dir: Path) -> None:
    app = create_app(Settings(data_dir=data_dir, database_url=None), desk)
    assert CALLBACK_PATH not in app.openapi()["paths"]  # (included routers are not in app.routes themselves)
    on = create_app(wecom_settings(data_dir, "http://127.0.0.1:9"), desk)
    assert CALLBACK_PATH in on.openapi()["paths"]  # else the line above could not tell


def test_a_half_configured_wecom_stops_the_api_at_start(desk: Desk, data_dir: Path) -> None:
    with pytest.raises(WeComSettingsError, match="LUOSHI_WECOM_SECRET"):
        create_app(Settings(data_dir=data_dir, database_url=None, wecom_corp_id="ww1", wecom_agent_id=1), desk)

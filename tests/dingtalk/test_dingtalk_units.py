"""The robot's small parts: the settings, the signature against the fake platform's own signing, the
callback's JSON, the sessionWebhook allow-list and splitting under the text limit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.dingtalk.client import TEXT_LIMIT_BYTES, SessionWebhookClient
from bot.dingtalk.config import DingTalkSettingsError, dingtalk_config
from bot.dingtalk.messages import BadMessage, parse_message
from bot.dingtalk.signature import SignatureError, check_signature
from bot.message_split import split_text
from bot.settings import Settings
from tests.dingtalk.fake_dingtalk import FakeDingTalk
from tests.dingtalk.harness import APP_SECRET, dingtalk_settings

STAMP_MS = 1_774_080_994_334
DINGTALK_HOSTS = frozenset({("https", "oapi.dingtalk.com"), ("https", "api.dingtalk.com")})


def test_dingtalk_is_off_without_a_secret_and_the_config_keeps_it_out_of_its_repr(tmp_path: Path) -> None:
    assert dingtalk_config(Settings(data_dir=tmp_path)) is None
    assert dingtalk_config(Settings(data_dir=tmp_path, dingtalk_app_secret=SecretStr(""))) is None
    config = dingtalk_config(dingtalk_settings(tmp_path, "http://127.0.0.1:9/"))
    assert config is not None
    assert config.webhook_bases == frozenset({("http", "127.0.0.1:9")})
    assert APP_SECRET not in repr(config)


def test_settings_read_lists_from_the_environment_form(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, dingtalk_user_ids="0326150155， 0326150156", dingtalk_webhook_hosts="a.b")
    assert settings.dingtalk_user_ids == frozenset({"0326150155", "0326150156"})
    assert Settings(data_dir=tmp_path).dingtalk_webhook_hosts == frozenset({"oapi.dingtalk.com", "api.dingtalk.com"})


def test_a_webhook_host_that_is_not_a_host_is_refused(tmp_path: Path) -> None:
    settings = dingtalk_settings(tmp_path, "ftp://files.example")
    with pytest.raises(DingTalkSettingsError, match="LUOSHI_DINGTALK_WEBHOOK_HOSTS"):
        dingtalk_config(settings)


def test_the_platforms_sign_is_accepted_within_the_hour_and_refused_after_it() -> None:
    headers = FakeDingTalk(APP_SECRET).signed_headers(STAMP_MS)
    now = STAMP_MS / 1000
    check_signature(APP_SECRET, headers["timestamp"], headers["sign"], now=now + 59 * 60)
    check_signature(APP_SECRET, headers["timestamp"], headers["sign"], now=now - 59 * 60)
    with pytest.raises(SignatureError, match="off the clock"):
        check_signature(APP_SECRET, headers["timestamp"], headers["sign"], now=now + 61 * 60)


@pytest.mark.parametrize(
    ("timestamp", "sign"),
    [(str(STAMP_MS + 1), None), (str(STAMP_MS), "not base64 at all"), ("", None), ("1e12", None), ("٣٣", None)],
)
def test_a_wrong_sign_or_timestamp_is_refused(timestamp: str, sign: str | None) -> None:
    good = FakeDingTalk(APP_SECRET).signed_headers(STAMP_MS)["sign"]
    with pytest.raises(SignatureError):
        check_signature(APP_SECRET, timestamp, sign if sign is not None else good, now=STAMP_MS / 1000)


def test_another_robots_sign_is_refused() -> None:
    headers = FakeDingTalk("another-robot-secret").signed_headers(STAMP_MS)
    with pytest.raises(SignatureError, match="does not match"):
        check_signature(APP_SECRET, headers["timestamp"], headers["sign"], now=STAMP_MS / 1000)


def test_the_callback_json_gives_sender_text_and_conversation() -> None:
    fake = FakeDingTalk(APP_SECRET)
    private = parse_message(json.dumps(fake.message_body("0326150155", "谁牵头？")).encode())
    group = parse_message(json.dumps(fake.message_body("0326150155", "谁牵头？", group="cidG==")).encode())
    assert (private.sender, private.content, private.in_group, private.conversation) == (
        "0326150155",
        "谁牵头？",
        False,
        "0326150155",
    )
    assert (group.in_group, group.conversation, group.in_at_list) == (True, "cidG==:0326150155", True)
    picture = parse_message(json.dumps(fake.message_body("0326150155", "", msg_type="picture")).encode())
    assert (picture.msg_type, picture.content) == ("picture", "")


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"msgtype": "text"}',
        b'{"msgtype": "text", "senderStaffId": "1", "msgId": "m"}',
        b"{" * 70_000,
    ],
)
def test_a_body_that_is_not_a_robot_message_is_refused(body: bytes) -> None:
    with pytest.raises(BadMessage):
        parse_message(body)


@pytest.mark.parametrize(
    ("webhook", "allowed"),
    [
        ("https://oapi.dingtalk.com/robot/sendBySession?session=5d", True),
        ("https://api.dingtalk.com:443/v1.0/robot/x", True),
        ("https://OAPI.dingtalk.com/robot/sendBySession", True),
        ("http://oapi.dingtalk.com/robot/sendBySession", False),
        ("https://oapi.dingtalk.com:8443/robot/sendBySession", False),
        ("https://oapi.dingtalk.com.evil.example/robot/sendBySession", False),
        ("https://evil.example/?https://oapi.dingtalk.com/", False),
        ("https://user@oapi.dingtalk.com/robot/sendBySession", False),
        ("https://oapi.dingtalk.com:99999/", False),
        ("file:///etc/passwd", False),
    ],
)
def test_only_session_webhooks_on_dingtalks_hosts_are_allowed(webhook: str, allowed: bool) -> None:
    client = SessionWebhookClient(DINGTALK_HOSTS)
    assert client.allowed(webhook) is allowed
    client.close()


def test_an_expired_or_foreign_session_webhook_is_not_sent_to() -> None:
    client = SessionWebhookClient(DINGTALK_HOSTS, clock=lambda: STAMP_MS / 1000)
    webhook = "https://oapi.dingtalk.com/robot/sendBySession?session=5d"
    assert client.send_text(webhook, "由李新同志牵头。", expires_ms=STAMP_MS - 1) is False
    assert client.send_text("https://evil.example/robot", "由李新同志牵头。") is False
    client.close()


def test_a_long_reply_is_split_under_the_limit_at_line_ends() -> None:
    lines = [f"[{n}] 《县长在县政府全体会议上的讲话》 由县教育局牵头，推进第{n}批学校建设。" for n in range(120)]
    text = "\n".join(lines)
    parts = split_text(text, TEXT_LIMIT_BYTES)
    assert len(parts) > 1
    assert all(len(part.encode()) <= TEXT_LIMIT_BYTES for part in parts)
    assert "\n".join(parts) == text

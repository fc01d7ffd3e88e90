"""The adapter's small parts: settings checks, safe XML, splitting under 2048 bytes, 「原文 N」."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.message_split import split_text
from bot.settings import Settings
from bot.source_request import source_number
from bot.wecom.client import TEXT_LIMIT_BYTES
from bot.wecom.config import WeComSettingsError, wecom_config
from bot.wecom.messages import BadMessage, encrypted_part, parse_message
from tests.wecom.harness import AES_KEY, wecom_settings


def test_wecom_is_off_without_a_corp_id_and_complete_with_every_setting(tmp_path: Path) -> None:
    assert wecom_config(Settings(data_dir=tmp_path, wecom_corp_id=None)) is None
    config = wecom_config(wecom_settings(tmp_path, "http://127.0.0.1:9/"))
    assert config is not None
    assert config.api_base_url == "http://127.0.0.1:9"
    assert config.secret not in repr(config) and config.token not in repr(config)


def test_a_half_configured_app_names_what_is_missing_without_values(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, wecom_corp_id="ww1", wecom_token=SecretStr("tok-value"))
    with pytest.raises(WeComSettingsError) as error:
        wecom_config(settings)
    message = str(error.value)
    for name in ("LUOSHI_WECOM_AGENT_ID", "LUOSHI_WECOM_SECRET", "LUOSHI_WECOM_AES_KEY"):
        assert name in message
    assert "LUOSHI_WECOM_TOKEN" not in message and "tok-value" not in message


def test_an_aes_key_of_the_wrong_length_is_refused(tmp_path: Path) -> None:
    settings = wecom_settings(tmp_path, "http://127.0.0.1:9").model_copy(
        update={"wecom_aes_key": SecretStr(AES_KEY[:40])}
    )
    with pytest.raises(WeComSettingsError, match="43"):
        wecom_config(settings)


@pytest.mark.parametrize(
    "body",
    [
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Encrypt>&e;</Encrypt></xml>',
        '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>',
        "<xml><Encrypt>unclosed</xml>",
        "<xml><ToUserName>ww1</ToUserName></xml>",
        "<xml><Encrypt>" + "A" * 70_000 + "</Encrypt></xml>",
    ],
)
def test_hostile_or_broken_xml_is_refused(body: str) -> None:
    with pytest.raises(BadMessage):
        encrypted_part(body)


def test_a_message_without_sender_is_refused() -> None:
    with pytest.raises(BadMessage):
        parse_message("<xml><MsgType>text</MsgType><Content>hi</Content></xml>")


def test_split_keeps_lines_whole_and_every_part_under_the_limit() -> None:
    lines = [f"{n}. 《县长在县政府全体会议上的讲话》 由县教育局牵头，推进第{n}批学校建设。" for n in range(60)]
    text = "\n".join(lines)
    parts = split_text(text, TEXT_LIMIT_BYTES)
    assert len(parts) > 1
    assert all(len(part.encode()) <= TEXT_LIMIT_BYTES for part in parts)
    assert "\n".join(parts) == text
    assert all(line in lines for part in parts for line in part.split("\n"))


def test_a_line_over_the_limit_is_cut_between_characters() -> None:
    line = "落实" * 1500  # 9000 bytes, one line
    parts = split_text(line, TEXT_LIMIT_BYTES)
    assert all(len(part.encode()) <= TEXT_LIMIT_BYTES for part in parts)
    assert "".join(parts) == line


def test_short_text_is_one_message() -> None:
    assert split_text("由李新同志牵头。", TEXT_LIMIT_BYTES) == ["由李新同志牵头。"]


@pytest.mark.parametrize(
    ("text", "number"),
    [("原文 1", 1), ("原文12", 12), (" 原文 3 ", 3), ("原文", None), ("原文一", None), ("看原文 1", None)],
)
def test_source_requests(text: str, number: int | None) -> None:
    assert source_number(text) == number

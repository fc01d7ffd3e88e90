"""The WeCom settings, checked once: WeCom is on when a corp id is set, and then every other part is required.

>>> from pydantic import SecretStr
>>> from bot.settings import Settings
>>> wecom_config(Settings(data_dir="/tmp/luoshi-doc")) is None
True
>>> wecom_config(Settings(data_dir="/tmp/luoshi-doc", wecom_corp_id="ww1", wecom_agent_id=1000002))
Traceback (most recent call last):
...
bot.wecom.config.WeComSettingsError: WeCom is on (LUOSHI_WECOM_CORP_ID is set) but LUOSHI_WECOM_SECRET, \
LUOSHI_WECOM_TOKEN, LUOSHI_WECOM_AES_KEY are missing
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.settings import Settings
from bot.wecom.crypto import AES_KEY_LENGTH


class WeComSettingsError(ValueError):
    """WeCom is half configured; the message names what is missing (never a secret's value)."""


@dataclass(frozen=True)
class WeComConfig:
    """What the adapter needs, all present (secrets as plain strings: keep this object out of logs)."""

    corp_id: str
    agent_id: int
    secret: str
    token: str
    aes_key: str
    user_ids: frozenset[str]
    api_base_url: str

    def __repr__(self) -> str:
        return f"WeComConfig(corp_id={self.corp_id!r}, agent_id={self.agent_id}, users={len(self.user_ids)})"


def _env_name(field: str) -> str:
    return f"LUOSHI_{field.upper()}"


def wecom_config(settings: Settings) -> WeComConfig | None:
    """None when WeCom is off (no corp id); else the complete configuration, or :class:`WeComSettingsError`."""
    if not settings.wecom_corp_id:
        return None
    values = {
        "wecom_agent_id": settings.wecom_agent_id,
        "wecom_secret": settings.wecom_secret.get_secret_value() if settings.wecom_secret else None,
        "wecom_token": settings.wecom_token.get_secret_value() if settings.wecom_token else None,
        "wecom_aes_key": settings.wecom_aes_key.get_secret_value() if settings.wecom_aes_key else None,
    }
    missing = [_env_name(name) for name, value in values.items() if value in (None, "")]
    if missing:
        raise WeComSettingsError(
            f"WeCom is on ({_env_name('wecom_corp_id')} is set) but {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing"
        )
    aes_key = str(values["wecom_aes_key"])
    if len(aes_key) != AES_KEY_LENGTH or not aes_key.isascii() or not aes_key.isalnum():
        raise WeComSettingsError(
            f"{_env_name('wecom_aes_key')} must be {AES_KEY_LENGTH} letters and digits (the EncodingAESKey "
            f"WeCom shows); it has {len(aes_key)} characters"
        )
    return WeComConfig(
        corp_id=settings.wecom_corp_id,
        agent_id=int(values["wecom_agent_id"]),  # type: ignore[arg-type]
        secret=str(values["wecom_secret"]),
        token=str(values["wecom_token"]),
        aes_key=aes_key,
        user_ids=frozenset(settings.wecom_user_ids),
        api_base_url=settings.wecom_api_base_url.rstrip("/"),
    )
